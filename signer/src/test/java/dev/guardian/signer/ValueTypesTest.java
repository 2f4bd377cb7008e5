package dev.guardian.signer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.ChainId;
import dev.guardian.policy.Hex;
import dev.guardian.policy.Keccak256;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.TxHash;
import java.math.BigInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Validation, defensive copies and printing of the signer's value types. */
class ValueTypesTest {
    private static final Address PAYEE = Address.parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    private static final Address USDC = Address.parse("0x036CbD53842c5426634e7929541eC2318f3dCF7e");
    private static final BigInteger GWEI = BigInteger.valueOf(1_000_000_000L);

    @Nested
    class SealedKeys {
        private final byte[] sealed = new byte[61];

        @Test
        void copiesTheBytesInAndOut() {
            SealedKey key = new SealedKey(PAYEE, sealed);
            sealed[5] = 9;
            key.sealed()[6] = 9;

            assertThat(key.sealed()).containsOnly(0);
        }

        @Test
        void comparesByContent() {
            assertThat(new SealedKey(PAYEE, new byte[61]))
                    .isEqualTo(new SealedKey(PAYEE, new byte[61]))
                    .hasSameHashCodeAs(new SealedKey(PAYEE, new byte[61]));
            assertThat(new SealedKey(PAYEE, new byte[61])).isNotEqualTo(new SealedKey(USDC, new byte[61]));
        }

        @Test
        void printsTheAddressAndLengthOnly() {
            sealed[20] = (byte) 0xAB;

            assertThat(new SealedKey(PAYEE, sealed).toString())
                    .isEqualTo("SealedKey[address=" + PAYEE + ", sealed=61 bytes]");
        }

        @Test
        void rejectsBytesTooShortToHoldVersionNonceAndTag() {
            assertThatThrownBy(() -> new SealedKey(PAYEE, new byte[28])).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Transactions {
        @Test
        void copiesTheCallData() {
            byte[] data = {1, 2, 3};
            Eip1559Transaction tx = transfer(data);
            data[0] = 9;
            tx.data()[1] = 9;

            assertThat(tx.data()).containsExactly(1, 2, 3);
            assertThat(tx).isEqualTo(transfer(new byte[] {1, 2, 3})).hasSameHashCodeAs(transfer(new byte[] {1, 2, 3}));
        }

        @Test
        void rejectsContractCreation() {
            assertThatThrownBy(() ->
                            new Eip1559Transaction(new ChainId(1), 0, GWEI, GWEI, 21_000, null, wei(0), new byte[0]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("contract creation is not supported");
        }

        @Test
        void rejectsAPriorityFeeAboveTheMaxFee() {
            assertThatThrownBy(() -> new Eip1559Transaction(
                            new ChainId(1), 0, GWEI.add(BigInteger.ONE), GWEI, 21_000, PAYEE, wei(0), new byte[0]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("cannot exceed the max fee");
        }

        @Test
        void rejectsNegativeFeesNonceAndNonPositiveGasLimit() {
            assertThatThrownBy(() -> new Eip1559Transaction(
                            new ChainId(1), 0, BigInteger.valueOf(-1), GWEI, 21_000, PAYEE, wei(0), new byte[0]))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() ->
                            new Eip1559Transaction(new ChainId(1), -1, GWEI, GWEI, 21_000, PAYEE, wei(0), new byte[0]))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(
                            () -> new Eip1559Transaction(new ChainId(1), 0, GWEI, GWEI, 0, PAYEE, wei(0), new byte[0]))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void rejectsAFeeBeyondUint256() {
            BigInteger tooLarge = BigInteger.ONE.shiftLeft(256);
            assertThatThrownBy(() -> new Eip1559Transaction(
                            new ChainId(1), 0, GWEI, tooLarge, 21_000, PAYEE, wei(0), new byte[0]))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void rejectsAValueInATokenRatherThanTheNativeCoin() {
            TokenAmount usdc = TokenAmount.ofUnits(new Asset.Erc20(USDC, "USDC", 6), 1_000_000);

            assertThatThrownBy(() ->
                            new Eip1559Transaction(new ChainId(1), 0, GWEI, GWEI, 21_000, PAYEE, usdc, new byte[0]))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("native coin");
        }

        @Test
        void acceptsZeroFeesAndEmptyData() {
            assertThat(new Eip1559Transaction(
                                    new ChainId(31337),
                                    0,
                                    BigInteger.ZERO,
                                    BigInteger.ZERO,
                                    21_000,
                                    PAYEE,
                                    wei(0),
                                    new byte[0])
                            .data())
                    .isEmpty();
        }

        private static Eip1559Transaction transfer(byte[] data) {
            return new Eip1559Transaction(
                    new ChainId(8453), 3, GWEI, GWEI.multiply(BigInteger.TWO), 50_000, PAYEE, wei(1), data);
        }
    }

    @Nested
    class Signatures {
        private static final byte[] ONE = Hex.decode("0x" + "00".repeat(31) + "01");

        @Test
        void rejectsAHighS() {
            byte[] highS = Secp256k1.toBytes32(Secp256k1.HALF_N.add(BigInteger.ONE));

            assertThatThrownBy(() -> new Signature(ONE, highS, 0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("low-s");
        }

        @Test
        void rejectsZeroROrAnROutsideTheGroup() {
            assertThatThrownBy(() -> new Signature(new byte[32], ONE, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new Signature(Secp256k1.toBytes32(Secp256k1.N), ONE, 0))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void rejectsRecoveryIdsOtherThanZeroAndOne() {
            assertThatThrownBy(() -> new Signature(ONE, ONE, 27)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void rejectsComponentsThatAreNot32Bytes() {
            assertThatThrownBy(() -> new Signature(new byte[] {1}, ONE, 0))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void copiesAndComparesByContent() {
            byte[] r = ONE.clone();
            Signature signature = new Signature(r, ONE, 1);
            r[31] = 2;
            signature.r()[31] = 3;

            assertThat(signature).isEqualTo(new Signature(ONE, ONE, 1)).hasSameHashCodeAs(new Signature(ONE, ONE, 1));
            assertThat(signature).isNotEqualTo(new Signature(ONE, ONE, 0));
        }
    }

    @Nested
    class SignedTransactions {
        private final byte[] raw = Hex.decode("0x02c0");

        @Test
        void rejectsAHashThatIsNotTheKeccakOfTheRawBytes() {
            TxHash wrong = TxHash.of(new byte[32]);

            assertThatThrownBy(() -> new SignedTransaction(raw, wrong, PAYEE, 0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not the Keccak-256");
        }

        @Test
        void copiesTheRawBytesAndPrintsTheirHex() {
            byte[] input = raw.clone();
            SignedTransaction signed = new SignedTransaction(input, TxHash.of(Keccak256.hash(raw)), PAYEE, 4);
            input[0] = 0;
            signed.raw()[1] = 0;

            assertThat(signed.rawHex()).isEqualTo("0x02c0");
            assertThat(signed).isEqualTo(new SignedTransaction(raw, TxHash.of(Keccak256.hash(raw)), PAYEE, 4));
        }
    }

    private static TokenAmount wei(long units) {
        return TokenAmount.ofUnits(Asset.ether(), units);
    }
}
