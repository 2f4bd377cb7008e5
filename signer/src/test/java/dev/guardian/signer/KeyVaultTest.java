package dev.guardian.signer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.ChainId;
import dev.guardian.policy.Hex;
import dev.guardian.policy.Keccak256;
import dev.guardian.policy.TokenAmount;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.web3j.crypto.SignedRawTransaction;
import org.web3j.crypto.TransactionDecoder;

class KeyVaultTest {
    private static final String SECP256K1_ORDER = "fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141";

    private final KeyEncryptionKey kek = KeyEncryptionKey.generate();
    private final KeyVault vault = new KeyVault(kek);
    private final SecureRandom random = new SecureRandom();

    @Test
    void generatedKeySignsDigestsThatRecoverToItsAddress() {
        TransactionSigner signer = vault.signerFor(vault.generate());
        byte[] digest = randomDigest();

        Signature signature = signer.sign(digest);

        assertThat(signature.recoverSigner(digest)).isEqualTo(signer.address());
    }

    @Test
    void generatesADifferentKeyEachTime() {
        assertThat(vault.generate().address()).isNotEqualTo(vault.generate().address());
    }

    @Test
    void signaturesAreLowSWithBothRecoveryIdsAndAlwaysRecoverTheSigner() {
        TransactionSigner signer = vault.signerFor(vault.generate());
        Set<Integer> recoveryIds = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            byte[] digest = randomDigest();
            Signature signature = signer.sign(digest);
            assertThat(new BigInteger(1, signature.s())).isLessThanOrEqualTo(Secp256k1.HALF_N);
            assertThat(signature.recoverSigner(digest)).isEqualTo(signer.address());
            recoveryIds.add(signature.recoveryId());
        }
        // Each id has probability 1/2 per signature; missing one in 200 would be a 2^-199 event.
        assertThat(recoveryIds).containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void signsTheSameDigestIdenticallyBecauseNoncesAreDeterministic() {
        TransactionSigner signer = vault.signerFor(vault.generate());
        byte[] digest = randomDigest();

        assertThat(signer.sign(digest)).isEqualTo(signer.sign(digest));
    }

    @Test
    void signedTransactionDecodesWithWeb3jToTheSignerAndTheSameFields() throws Exception {
        TransactionSigner signer = vault.signerFor(vault.importKey(TestKeys.key(TestKeys.ANVIL_0_KEY)));
        byte[] transferCall = Hex.decode("0xa9059cbb00000000000000000000000070997970c51812dc3a010c7d01b50e0d17dc79c8"
                + "00000000000000000000000000000000000000000000000000000000000f4240");
        Eip1559Transaction tx = new Eip1559Transaction(
                new ChainId(31337),
                7,
                BigInteger.valueOf(1_000_000_000L),
                BigInteger.valueOf(3_000_000_000L),
                60_000,
                Address.parse("0x5FbDB2315678afecb367f032d93F642f64180aa3"),
                TokenAmount.zero(Asset.ether()),
                transferCall);

        SignedTransaction signed = signer.sign(tx);

        SignedRawTransaction decoded = (SignedRawTransaction) TransactionDecoder.decode(signed.rawHex());
        assertThat(signed.raw()[0]).isEqualTo((byte) 0x02);
        assertThat(decoded.getFrom()).isEqualTo(signer.address().toLowerHex());
        assertThat(decoded.getNonce()).isEqualTo(BigInteger.valueOf(7));
        assertThat(decoded.getTo()).isEqualTo(tx.to().toLowerHex());
        assertThat(decoded.getData()).isEqualTo(Hex.encode(transferCall).substring(2));
        assertThat(signed.hash().toBytes()).isEqualTo(Keccak256.hash(signed.raw()));
        assertThat(signed.from()).isEqualTo(Address.parse(TestKeys.ANVIL_0_ADDRESS));
    }

    @Test
    void importedKeyControlsItsKnownAddress() {
        SealedKey sealed = vault.importKey(TestKeys.key(TestKeys.ANVIL_0_KEY));

        assertThat(sealed.address()).isEqualTo(Address.parse(TestKeys.ANVIL_0_ADDRESS));
    }

    @Test
    void importZeroesTheCallersArray() {
        byte[] privateKey = TestKeys.key(TestKeys.ANVIL_0_KEY);

        vault.importKey(privateKey);

        assertThat(privateKey).containsOnly(0);
    }

    @Test
    void importZeroesTheCallersArrayEvenWhenTheKeyIsRejected() {
        byte[] outOfRange = TestKeys.key(SECP256K1_ORDER);

        assertThatThrownBy(() -> vault.importKey(outOfRange)).isInstanceOf(IllegalArgumentException.class);
        assertThat(outOfRange).containsOnly(0);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "0x0000000000000000000000000000000000000000000000000000000000000000", // k = 0
                "0x" + SECP256K1_ORDER, // k = n
                "0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364142", // k = n + 1
                "0xffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
                "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff", // 31 bytes
                "0x00ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80", // 33 bytes
            })
    void rejectsPrivateKeysOutsideTheGroupOrWithTheWrongLength(String privateKey) {
        assertThatThrownBy(() -> vault.importKey(Hex.decode(privateKey)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("private key");
    }

    @Test
    void acceptsTheLargestValidPrivateKey() {
        byte[] nMinusOne = TestKeys.key("0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140");

        TransactionSigner signer = vault.signerFor(vault.importKey(nMinusOne));
        byte[] digest = randomDigest();

        assertThat(signer.sign(digest).recoverSigner(digest)).isEqualTo(signer.address());
    }

    @Test
    void sealingTheSameKeyTwiceUsesFreshNonces() {
        SealedKey first = vault.importKey(TestKeys.key(TestKeys.ANVIL_0_KEY));
        SealedKey second = vault.importKey(TestKeys.key(TestKeys.ANVIL_0_KEY));

        assertThat(first.address()).isEqualTo(second.address());
        assertThat(nonceOf(first)).isNotEqualTo(nonceOf(second));
        assertThat(first.sealed()).isNotEqualTo(second.sealed());
    }

    @Test
    void sealedFormatIsVersionNonceCiphertextAndTag() {
        byte[] sealed = vault.generate().sealed();

        assertThat(sealed[0]).isEqualTo((byte) 1);
        assertThat(sealed).hasSize(1 + 12 + 32 + 16);
    }

    @Test
    void aKeySealedUnderOneKekDoesNotUnsealUnderAnother() {
        SealedKey sealed = vault.generate();
        KeyVault otherVault = new KeyVault(KeyEncryptionKey.generate());

        assertThatThrownBy(() -> otherVault.signerFor(sealed).sign(randomDigest()))
                .isInstanceOf(KeyUnsealException.class)
                .hasMessageContaining("cannot unseal the key for " + sealed.address());
    }

    @Test
    void aKeyReadBackFromItsKekFileStillUnseals() throws Exception {
        Path file = Files.createTempDirectory("kek").resolve("kek.b64");
        kek.writeTo(file);
        SealedKey sealed = vault.generate();

        try (KeyEncryptionKey reloaded = KeyEncryptionKey.fromFile(file)) {
            TransactionSigner signer = new KeyVault(reloaded).signerFor(sealed);
            byte[] digest = randomDigest();
            assertThat(signer.sign(digest).recoverSigner(digest)).isEqualTo(sealed.address());
        }
    }

    @ParameterizedTest(name = "flipping byte {0}")
    @ValueSource(ints = {0, 1, 12, 13, 44, 45, 60})
    void anyAlteredByteOfTheSealedKeyMakesItFailToUnseal(int index) {
        SealedKey sealed = vault.generate();
        byte[] altered = sealed.sealed();
        altered[index] ^= 0x01;

        TransactionSigner signer = vault.signerFor(new SealedKey(sealed.address(), altered));

        assertThatThrownBy(() -> signer.sign(randomDigest())).isInstanceOf(KeyUnsealException.class);
    }

    @Test
    void aTruncatedCiphertextFailsToUnseal() {
        byte[] sealed = vault.generate().sealed();
        SealedKey truncated = new SealedKey(vault.generate().address(), Arrays.copyOf(sealed, sealed.length - 1));

        assertThatThrownBy(() -> vault.signerFor(truncated).sign(randomDigest()))
                .isInstanceOf(KeyUnsealException.class);
    }

    @Test
    void aCiphertextMovedToAnotherAddressFailsToUnseal() {
        SealedKey first = vault.generate();
        SealedKey second = vault.generate();
        // As if two rows of the wallet table had their ciphertexts swapped.
        SealedKey swapped = new SealedKey(second.address(), first.sealed());

        assertThatThrownBy(() -> vault.signerFor(swapped).sign(randomDigest()))
                .isInstanceOf(KeyUnsealException.class)
                .hasMessageContaining("cannot unseal the key for " + second.address());
    }

    @Test
    void aKeySealedForAnAddressItDoesNotControlIsRefusedAtSigning() {
        byte[] privateKey = TestKeys.key(TestKeys.ANVIL_0_KEY);
        Address someoneElse = Address.parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
        SealedKey mislabelled = new SealedKey(someoneElse, KeySealing.seal(kek, someoneElse, privateKey, random));

        assertThatThrownBy(() -> vault.signerFor(mislabelled).sign(randomDigest()))
                .isInstanceOf(KeyUnsealException.class)
                .hasMessageContaining("does not control");
    }

    @Test
    void anUnsealFailureCarriesNoKeyMaterialInItsMessageOrStackTrace() {
        byte[] kekBytes = new byte[32];
        random.nextBytes(kekBytes);
        String kekBase64 = Base64.getEncoder().encodeToString(kekBytes);
        KeyVault sealingVault = new KeyVault(KeyEncryptionKey.fromBase64(kekBase64));
        SealedKey sealed = sealingVault.importKey(TestKeys.key(TestKeys.ANVIL_0_KEY));
        byte[] wrongKekBytes = new byte[32];
        random.nextBytes(wrongKekBytes);
        KeyVault wrongVault =
                new KeyVault(KeyEncryptionKey.fromBase64(Base64.getEncoder().encodeToString(wrongKekBytes)));

        KeyUnsealException failure = catchThrowableOfType(
                KeyUnsealException.class, () -> wrongVault.signerFor(sealed).sign(randomDigest()));

        String text = TestKeys.stackTraceOf(failure);
        assertThat(text).contains("cannot unseal");
        for (byte[] secret : new byte[][] {kekBytes, wrongKekBytes, TestKeys.key(TestKeys.ANVIL_0_KEY)}) {
            for (String rendering : TestKeys.renderings(secret)) {
                assertThat(text).doesNotContain(rendering);
            }
        }
    }

    @Test
    void toStringsOfVaultSignerAndSealedKeyShowNoKeyMaterial() {
        byte[] kekBytes = new byte[32];
        random.nextBytes(kekBytes);
        KeyVault knownVault =
                new KeyVault(KeyEncryptionKey.fromBase64(Base64.getEncoder().encodeToString(kekBytes)));
        SealedKey sealed = knownVault.importKey(TestKeys.key(TestKeys.ANVIL_0_KEY));
        TransactionSigner signer = knownVault.signerFor(sealed);

        String text = knownVault + " " + signer + " " + sealed;

        assertThat(text).contains(TestKeys.ANVIL_0_ADDRESS);
        for (byte[] secret : new byte[][] {kekBytes, TestKeys.key(TestKeys.ANVIL_0_KEY), sealed.sealed()}) {
            for (String rendering : TestKeys.renderings(secret)) {
                assertThat(text).doesNotContain(rendering);
            }
        }
    }

    @Test
    void signingWithAClosedKekFailsInsteadOfUsingZeroedBytes() {
        SealedKey sealed = vault.generate();
        kek.close();

        assertThatThrownBy(() -> vault.signerFor(sealed).sign(randomDigest()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 31, 33})
    void refusesToSignADigestThatIsNot32Bytes(int length) {
        TransactionSigner signer = vault.signerFor(vault.generate());

        assertThatThrownBy(() -> signer.sign(new byte[length]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("32 bytes");
    }

    private byte[] randomDigest() {
        byte[] digest = new byte[32];
        random.nextBytes(digest);
        return digest;
    }

    private static byte[] nonceOf(SealedKey key) {
        return Arrays.copyOfRange(key.sealed(), 1, 13);
    }
}
