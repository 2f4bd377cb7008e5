package dev.guardian.signer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.guardian.policy.Hex;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Signing typed data with a vault key, the r||s||v form, and what typed data prints. */
class TypedDataSigningTest {
    private final KeyVault vault = new KeyVault(KeyEncryptionKey.generate());

    @Test
    void signatureOverTypedDataRecoversToTheSignersAddress() {
        TransactionSigner signer = vault.signerFor(vault.generate());
        TypedData authorization = Eip712VectorsTest.transferWithAuthorization(
                8453,
                "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913",
                signer.address().toLowerHex(),
                "0xb73d8bc93b791510c4733c5c5ac2015a3c2930ec",
                "1000000",
                "0",
                "1791120073",
                "0x" + "ab".repeat(32));

        Signature signature = signer.sign(authorization);

        assertThat(signature.recoverSigner(Eip712.digest(authorization))).isEqualTo(signer.address());
        assertThat(Signature.fromRsv(signature.toRsv()).recoverSigner(Eip712.digest(authorization)))
                .isEqualTo(signer.address());
    }

    @Test
    void rsvIsRThenSThenVAs27Or28() {
        TransactionSigner signer = vault.signerFor(vault.generate());
        for (int i = 0; i < 16; i++) {
            byte[] digest = new byte[32];
            digest[0] = (byte) i;
            Signature signature = signer.sign(digest);

            byte[] rsv = signature.toRsv();

            assertThat(rsv).hasSize(65);
            assertThat(Arrays.copyOfRange(rsv, 0, 32)).isEqualTo(signature.r());
            assertThat(Arrays.copyOfRange(rsv, 32, 64)).isEqualTo(signature.s());
            assertThat(Byte.toUnsignedInt(rsv[64])).isEqualTo(27 + signature.recoveryId());
            assertThat(Signature.fromRsv(rsv)).isEqualTo(signature);
        }
    }

    @Test
    void fromRsvRefusesOtherLengthsOtherVsAndHighS() {
        byte[] rsv = Hex.decode("0x4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d"
                + "07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b915621c");
        assertThat(Signature.fromRsv(rsv).recoveryId()).isEqualTo(1);

        assertThatThrownBy(() -> Signature.fromRsv(Arrays.copyOf(rsv, 64)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65 bytes");
        for (int v : new int[] {0, 1, 26, 29, 37}) {
            byte[] other = rsv.clone();
            other[64] = (byte) v;
            assertThatThrownBy(() -> Signature.fromRsv(other))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("v must be 27 or 28");
        }
        byte[] highS = rsv.clone();
        Arrays.fill(highS, 32, 64, (byte) 0xff);
        assertThatThrownBy(() -> Signature.fromRsv(highS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("low-s");
    }

    @Test
    void typedDataPrintsShortlyWithoutTheMessageValues() {
        String longContents = "x".repeat(100_000);
        TypedData mail =
                Json.typedData(Eip712VectorsTest.SPEC_MAIL.replace("\"Hello, Bob!\"", "\"" + longContents + "\""));

        String text = mail.toString();

        assertThat(text)
                .contains("primaryType=Mail", "name=Ether Mail", "EIP712Domain", "Person")
                .doesNotContain("xxxxxxxxxx")
                .hasSizeLessThan(400);
    }

    @Test
    void signingTypedDataLeavesNoKeyMaterialInTextOrErrors() {
        byte[] key = TestKeys.key(TestKeys.ANVIL_0_KEY);
        TransactionSigner signer = vault.signerFor(vault.importKey(key));
        TypedData mail = Json.typedData(Eip712VectorsTest.SPEC_MAIL);
        Signature signature = signer.sign(mail);
        IllegalArgumentException refusal = catchThrowableOfType(
                IllegalArgumentException.class,
                () -> signer.sign(
                        Json.typedData(Eip712VectorsTest.SPEC_MAIL.replace("\"chainId\": 1", "\"chainId\": -1"))));

        String everything = signer + " " + mail + " " + signature + " " + TestKeys.stackTraceOf(refusal);

        for (String rendering : TestKeys.renderings(key)) {
            assertThat(everything).doesNotContain(rendering);
        }
        assertThat(refusal).hasMessageStartingWith("domain.chainId:");
    }
}
