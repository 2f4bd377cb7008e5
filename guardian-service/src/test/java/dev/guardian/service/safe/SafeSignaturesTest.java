package dev.guardian.service.safe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.policy.Address;
import dev.guardian.policy.Hex;
import dev.guardian.signer.KeyEncryptionKey;
import dev.guardian.signer.KeyVault;
import dev.guardian.signer.TransactionSigner;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Owner signatures read strictly and encoded as Safe 1.4.1's checkNSignatures reads them. */
class SafeSignaturesTest {
    private static final BigInteger N =
            new BigInteger("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);
    private static final KeyVault VAULT = new KeyVault(KeyEncryptionKey.generate());
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TransactionSigner signer = VAULT.signerFor(VAULT.generate());
    private final SafeTxHash hash = randomHash();

    @Test
    void recoversWhoSignedTheHashItself() {
        byte[] signed = signer.sign(hash.toBytes()).toRsv();

        SafeSignatures.OwnerSignature recovered = SafeSignatures.recover(hash, signed);

        assertThat(recovered.owner()).isEqualTo(signer.address());
        assertThat(recovered.encoded()).isEqualTo(signed);
        assertThat(recovered.overEthSignMessage()).isFalse();
        assertThat(SafeSignatures.sign(signer, hash)).isEqualTo(recovered);
    }

    @Test
    void aRecoveryIdAsVIsNormalisedTo27Or28() {
        byte[] signed = signer.sign(hash.toBytes()).toRsv();
        byte[] withRecoveryId = signed.clone();
        withRecoveryId[64] -= 27;

        SafeSignatures.OwnerSignature recovered = SafeSignatures.recover(hash, withRecoveryId);

        assertThat(recovered.owner()).isEqualTo(signer.address());
        assertThat(recovered.encoded()).isEqualTo(signed);
    }

    @Test
    void anEthSignSignatureIsReadWithSafesVPlusFourAndKeepsIt() {
        byte[] signed = signer.sign(SafeSignatures.ethSignDigest(hash)).toRsv();
        byte[] marked = signed.clone();
        marked[64] += 4;

        SafeSignatures.OwnerSignature recovered = SafeSignatures.recover(hash, marked);

        assertThat(recovered.owner()).isEqualTo(signer.address());
        assertThat(recovered.overEthSignMessage()).isTrue();
        assertThat(Byte.toUnsignedInt(recovered.encoded()[64])).isIn(31, 32);
        // Unmarked, the same bytes are a signature over the hash itself, by somebody else.
        assertThat(SafeSignatures.recover(hash, signed).owner()).isNotEqualTo(signer.address());
    }

    @Test
    void refusesTheHighSTwinOfAValidSignature() {
        byte[] twin = flipS(signer.sign(hash.toBytes()).toRsv());

        assertThatThrownBy(() -> SafeSignatures.recover(hash, twin))
                .isInstanceOfSatisfying(
                        SafeSignatureException.class,
                        e -> assertThat(e.reason().id()).isEqualTo("safe-signature.malleable-s"))
                .hasMessageContaining("upper half of the group order")
                .hasMessageNotContaining(Hex.encode(Arrays.copyOf(twin, 32)).substring(2));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 26, 29, 30, 33, 35, 255})
    void refusesAnyOtherV(int v) {
        byte[] signed = signer.sign(hash.toBytes()).toRsv();
        signed[64] = (byte) v;

        assertThatThrownBy(() -> SafeSignatures.recover(hash, signed))
                .isInstanceOfSatisfying(
                        SafeSignatureException.class,
                        e -> assertThat(e.reason()).isEqualTo(SafeSignatureException.Reason.V_UNSUPPORTED))
                .hasMessageContaining("v is " + v);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 64, 66, 130})
    void refusesAnythingButSixtyFiveBytes(int length) {
        assertThatThrownBy(() -> SafeSignatures.recover(hash, new byte[length]))
                .isInstanceOfSatisfying(
                        SafeSignatureException.class,
                        e -> assertThat(e.reason()).isEqualTo(SafeSignatureException.Reason.LENGTH))
                .hasMessageContaining("got " + length);
    }

    @Test
    void refusesRAndSOutOfRange() {
        byte[] signed = signer.sign(hash.toBytes()).toRsv();
        byte[] zeroR = signed.clone();
        Arrays.fill(zeroR, 0, 32, (byte) 0);
        byte[] zeroS = signed.clone();
        Arrays.fill(zeroS, 32, 64, (byte) 0);
        byte[] rIsN = signed.clone();
        System.arraycopy(word(N), 0, rIsN, 0, 32);

        for (byte[] bad : List.of(zeroR, zeroS, rIsN)) {
            assertThatThrownBy(() -> SafeSignatures.recover(hash, bad))
                    .isInstanceOfSatisfying(
                            SafeSignatureException.class,
                            e -> assertThat(e.reason()).isEqualTo(SafeSignatureException.Reason.OUT_OF_RANGE));
        }
    }

    @Test
    void refusesAnRThatIsNoPointOnTheCurve() {
        byte[] signed = signer.sign(hash.toBytes()).toRsv();
        // x = 5: 5^3 + 7 is no square modulo p, so no point of secp256k1 has it.
        System.arraycopy(word(BigInteger.valueOf(5)), 0, signed, 0, 32);

        assertThatThrownBy(() -> SafeSignatures.recover(hash, signed))
                .isInstanceOfSatisfying(
                        SafeSignatureException.class,
                        e -> assertThat(e.reason()).isEqualTo(SafeSignatureException.Reason.UNRECOVERABLE));
    }

    @Test
    void encodesSignaturesInAscendingOrderOfOwnerWhateverTheInputOrder() {
        List<SafeSignatures.OwnerSignature> signatures = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            signatures.add(SafeSignatures.sign(VAULT.signerFor(VAULT.generate()), hash));
        }
        List<SafeSignatures.OwnerSignature> ascending = signatures.stream()
                .sorted(Comparator.comparing(SafeSignatures.OwnerSignature::owner))
                .toList();

        byte[] encoded = SafeSignatures.encode(signatures.reversed());

        assertThat(encoded).hasSize(5 * 65);
        for (int i = 0; i < 5; i++) {
            byte[] at = Arrays.copyOfRange(encoded, i * 65, i * 65 + 65);
            assertThat(at).isEqualTo(ascending.get(i).encoded());
            assertThat(SafeSignatures.recover(hash, at).owner())
                    .isEqualTo(ascending.get(i).owner());
        }
        // Ascending as unsigned 160-bit numbers, the Safe's comparison of owners.
        for (int i = 1; i < 5; i++) {
            assertThat(new BigInteger(1, ascending.get(i).owner().toBytes()))
                    .isGreaterThan(
                            new BigInteger(1, ascending.get(i - 1).owner().toBytes()));
        }
    }

    @Test
    void appendsATrailingBlobAfterTheLastSignature() {
        SafeSignatures.OwnerSignature one = SafeSignatures.sign(signer, hash);
        byte[] blob = {1, 2, 3};

        byte[] encoded = SafeSignatures.encode(List.of(one), blob);

        assertThat(Arrays.copyOf(encoded, 65)).isEqualTo(one.encoded());
        assertThat(Arrays.copyOfRange(encoded, 65, 68)).isEqualTo(blob);
    }

    @Test
    void refusesNoSignatureAndTwoByOneOwner() {
        SafeSignatures.OwnerSignature one = SafeSignatures.sign(signer, hash);
        SafeSignatures.OwnerSignature again = SafeSignatures.sign(signer, randomHash());

        assertThatThrownBy(() -> SafeSignatures.encode(List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one");
        assertThatThrownBy(() -> SafeSignatures.encode(List.of(one, again)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("two signatures by " + signer.address());
    }

    @Test
    void anOwnerSignatureHoldsOnlyCanonicalFormsSafeReads() {
        byte[] signed = signer.sign(hash.toBytes()).toRsv();
        Address owner = signer.address();
        byte[] contractSignature = signed.clone();
        contractSignature[64] = 0;

        assertThatThrownBy(() -> new SafeSignatures.OwnerSignature(owner, flipS(signed)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("low");
        assertThatThrownBy(() -> new SafeSignatures.OwnerSignature(owner, contractSignature))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("v is 27, 28, 31 or 32");
        assertThat(new SafeSignatures.OwnerSignature(owner, signed).toString())
                .doesNotContain(Hex.encode(Arrays.copyOf(signed, 32)).substring(2));
    }

    /** The other signature of the same key over the same digest: (r, n - s) with the other parity. */
    static byte[] flipS(byte[] rsv) {
        byte[] flipped = rsv.clone();
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(rsv, 32, 64));
        System.arraycopy(word(N.subtract(s)), 0, flipped, 32, 32);
        flipped[64] = (byte) (rsv[64] == 27 ? 28 : 27);
        return flipped;
    }

    private static byte[] word(BigInteger value) {
        return Abi.uint(value).word();
    }

    private static SafeTxHash randomHash() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return SafeTxHash.of(bytes);
    }
}
