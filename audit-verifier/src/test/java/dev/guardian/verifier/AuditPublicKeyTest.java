package dev.guardian.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.junit.jupiter.api.Test;

/** The audit public key: PEM as OpenSSL writes it, and the JDK verifying what Bouncy Castle signed. */
class AuditPublicKeyTest {

    @Test
    void verifiesAnEd25519SignatureMadeByBouncyCastleAsTheSignerMakesIt() {
        Ed25519PrivateKeyParameters privateKey = new Ed25519PrivateKeyParameters(new SecureRandom());
        AuditPublicKey publicKey =
                AuditPublicKey.ofRaw(privateKey.generatePublicKey().getEncoded());
        byte[] message = Checkpoint.signedMessage(41, "ab".repeat(32), publicKey.keyId());
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey);
        signer.update(message, 0, message.length);
        byte[] signature = signer.generateSignature();

        assertThat(publicKey.verifies(message, signature)).isTrue();
        message[message.length - 2] ^= 1;
        assertThat(publicKey.verifies(message, signature)).isFalse();
    }

    @Test
    void rfc8032TestVectorOneVerifies() {
        // RFC 8032, section 7.1, TEST 1: the empty message.
        AuditPublicKey key = AuditPublicKey.ofRaw(
                HexFormat.of().parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
        byte[] signature = HexFormat.of()
                .parseHex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                        + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");

        assertThat(key.verifies(new byte[0], signature)).isTrue();
    }

    @Test
    void pemRoundTripsAndMatchesTheJdkEncoding() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] spki = pair.getPublic().getEncoded();
        String jdkPem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getEncoder().encodeToString(spki)
                + "\n-----END PUBLIC KEY-----\n";

        AuditPublicKey key = AuditPublicKey.fromPem(jdkPem);

        assertThat(key.toPem()).isEqualTo(jdkPem);
        assertThat(AuditPublicKey.fromPem("some text before\n" + key.toPem())).isEqualTo(key);
        assertThat(key.keyId())
                .matches("ed25519:[0-9a-f]{16}")
                .isEqualTo("ed25519:" + AuditRecord.sha256Hex(key.raw()).substring(0, 16));
    }

    @Test
    void refusesAPemThatIsNotAnEd25519PublicKey() throws Exception {
        byte[] rsa = KeyPairGenerator.getInstance("RSA")
                .generateKeyPair()
                .getPublic()
                .getEncoded();
        String rsaPem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getEncoder().encodeToString(rsa)
                + "\n-----END PUBLIC KEY-----\n";

        assertThatThrownBy(() -> AuditPublicKey.fromPem(rsaPem)).hasMessageContaining("not an Ed25519 public key");
        assertThatThrownBy(() -> AuditPublicKey.fromPem("hello"))
                .hasMessageContaining("no '-----BEGIN PUBLIC KEY-----'");
        assertThatThrownBy(() -> AuditPublicKey.ofRaw(new byte[31])).hasMessageContaining("32 bytes");
    }

    @Test
    void aSignatureOfTheWrongLengthVerifiesNothing() {
        AuditPublicKey key = TestChain.typical().publicKey();

        assertThat(key.verifies("x".getBytes(StandardCharsets.UTF_8), new byte[63]))
                .isFalse();
        assertThat(key.verifies("x".getBytes(StandardCharsets.UTF_8), null)).isFalse();
    }
}
