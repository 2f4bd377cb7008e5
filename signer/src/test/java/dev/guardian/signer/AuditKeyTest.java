package dev.guardian.signer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Ed25519 audit key is kept like a wallet key: sealed, bound to its owner, opened only to sign. */
class AuditKeyTest {
    private final KeyEncryptionKey kek = KeyEncryptionKey.generate();
    private final KeyVault vault = new KeyVault(kek);
    private final SecureRandom random = new SecureRandom();

    @Test
    void signaturesVerifyUnderThePublishedPublicKey() {
        AuditSigner signer = vault.auditSignerFor(vault.generateAuditKey());
        byte[] message = "{\"headHash\":\"ab\",\"headSeq\":41}".getBytes(StandardCharsets.UTF_8);

        byte[] signature = signer.sign(message);

        assertThat(signature).hasSize(64);
        assertThat(Ed25519.verify(signature, 0, signer.publicKey(), 0, message, 0, message.length))
                .isTrue();
        message[0] ^= 1;
        assertThat(Ed25519.verify(signature, 0, signer.publicKey(), 0, message, 0, message.length))
                .isFalse();
    }

    @Test
    void signsTheRfc8032TestVectorOne() {
        // RFC 8032, section 7.1, TEST 1 (the empty message).
        byte[] privateKey = HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");

        assertThat(Ed25519Keys.publicKeyOf(privateKey))
                .isEqualTo(HexFormat.of().parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"));
        assertThat(Ed25519Keys.sign(privateKey, new byte[0]))
                .isEqualTo(HexFormat.of()
                        .parseHex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                                + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"));
    }

    @Test
    void generatesADifferentKeyEachTimeWithFreshNonces() {
        SealedAuditKey first = vault.generateAuditKey();
        SealedAuditKey second = vault.generateAuditKey();

        assertThat(first.publicKey()).isNotEqualTo(second.publicKey());
        assertThat(Arrays.copyOfRange(first.sealed(), 1, 13)).isNotEqualTo(Arrays.copyOfRange(second.sealed(), 1, 13));
        assertThat(first.sealed()[0]).isEqualTo((byte) 1);
        assertThat(first.sealed()).hasSize(1 + 12 + 32 + 16);
    }

    @Test
    void aKeySealedUnderOneKekDoesNotSignUnderAnother() {
        SealedAuditKey sealed = vault.generateAuditKey();

        assertThatThrownBy(() -> new KeyVault(KeyEncryptionKey.generate())
                        .auditSignerFor(sealed)
                        .sign(new byte[1]))
                .isInstanceOf(KeyUnsealException.class)
                .hasMessageContaining("cannot unseal the audit key with public key");
    }

    @ParameterizedTest(name = "flipping byte {0}")
    @ValueSource(ints = {0, 1, 12, 13, 44, 45, 60})
    void anyAlteredByteOfTheSealedKeyMakesItFailToUnseal(int index) {
        SealedAuditKey sealed = vault.generateAuditKey();
        byte[] altered = sealed.sealed();
        altered[index] ^= 0x01;

        AuditSigner signer = vault.auditSignerFor(new SealedAuditKey(sealed.publicKey(), altered));

        assertThatThrownBy(() -> signer.sign(new byte[1])).isInstanceOf(KeyUnsealException.class);
    }

    @Test
    void aCiphertextPairedWithAnotherPublicKeyFailsToUnseal() {
        SealedAuditKey first = vault.generateAuditKey();
        SealedAuditKey second = vault.generateAuditKey();

        assertThatThrownBy(() -> vault.auditSignerFor(new SealedAuditKey(second.publicKey(), first.sealed()))
                        .sign(new byte[1]))
                .isInstanceOf(KeyUnsealException.class);
    }

    @Test
    void aKeySealedForAPublicKeyItDoesNotMatchIsRefusedAtSigning() {
        byte[] privateKey = new byte[32];
        random.nextBytes(privateKey);
        byte[] otherPublicKey = vault.generateAuditKey().publicKey();
        SealedAuditKey mislabelled =
                new SealedAuditKey(otherPublicKey, KeySealing.sealAuditKey(kek, otherPublicKey, privateKey, random));

        assertThatThrownBy(() -> vault.auditSignerFor(mislabelled).sign(new byte[1]))
                .isInstanceOf(KeyUnsealException.class)
                .hasMessageContaining("does not belong to that public key");
    }

    @Test
    void aWalletKeyCiphertextNeverOpensAsAnAuditKeyNorTheReverse() {
        SealedKey wallet = vault.generate();
        SealedAuditKey audit = vault.generateAuditKey();

        assertThatThrownBy(() -> vault.auditSignerFor(new SealedAuditKey(audit.publicKey(), wallet.sealed()))
                        .sign(new byte[1]))
                .isInstanceOf(KeyUnsealException.class);
        assertThatThrownBy(() -> vault.signerFor(new SealedKey(wallet.address(), audit.sealed()))
                        .sign(new byte[32]))
                .isInstanceOf(KeyUnsealException.class);
    }

    @Test
    void signingWithAClosedKekFailsInsteadOfUsingZeroedBytes() {
        SealedAuditKey sealed = vault.generateAuditKey();
        kek.close();

        assertThatThrownBy(() -> vault.auditSignerFor(sealed).sign(new byte[1]))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void neitherToStringsNorUnsealFailuresCarryKeyMaterial() {
        byte[] kekBytes = new byte[32];
        random.nextBytes(kekBytes);
        KeyVault knownVault =
                new KeyVault(KeyEncryptionKey.fromBase64(Base64.getEncoder().encodeToString(kekBytes)));
        SealedAuditKey sealed = knownVault.generateAuditKey();
        AuditSigner signer = knownVault.auditSignerFor(sealed);
        KeyUnsealException failure = catchThrowableOfType(
                KeyUnsealException.class,
                () -> new KeyVault(KeyEncryptionKey.generate())
                        .auditSignerFor(sealed)
                        .sign(new byte[1]));

        String text = signer + " " + sealed + " " + TestKeys.stackTraceOf(failure);

        assertThat(text).contains(HexFormat.of().formatHex(sealed.publicKey()));
        for (byte[] secret : new byte[][] {kekBytes, sealed.sealed(), Arrays.copyOfRange(sealed.sealed(), 13, 45)}) {
            for (String rendering : TestKeys.renderings(secret)) {
                assertThat(text).doesNotContain(rendering);
            }
        }
    }
}
