package dev.guardian.service.safe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.ChainId;
import dev.guardian.policy.Hex;
import dev.guardian.policy.Keccak256;
import dev.guardian.policy.TokenAmount;
import dev.guardian.signer.Eip712;
import dev.guardian.signer.TypedData;
import java.math.BigInteger;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A Safe transaction's values, its typed data against Safe 1.4.1's published type hashes, and the
 * calldata layouts. That the hash equals the contract's own is checked on Anvil in SafeContractsOnAnvilTest.
 */
class SafeTransactionsTest {
    private static final Asset.Native ETH = Asset.ether();
    private static final Address TO = Address.parse("0x70997970C51812dc3A010C7d01b50e0d17dc79C8");
    private static final Address SAFE = Address.parse("0x5FbDB2315678afecb367f032d93F642f64180aa3");

    @Test
    void typedDataHashesWithSafe141sTypeHashes() {
        TypedData typed = SafeTransactions.typedData(SAFE, new ChainId(8453), transfer(BigInteger.ONE));

        assertThat(Eip712.encodeType(typed, "SafeTx")).isEqualTo(SafeTransactions.SAFE_TX_TYPE);
        // Safe.sol 1.4.1: SAFE_TX_TYPEHASH and DOMAIN_SEPARATOR_TYPEHASH.
        assertThat(Hex.encode(Eip712.typeHash(typed, "SafeTx")))
                .isEqualTo("0xbb8310d486368db6bd6f849402fdd73ad53d316b5a4b2644ad6efe0f941286d8");
        assertThat(Hex.encode(Eip712.typeHash(typed, Eip712.DOMAIN_TYPE)))
                .isEqualTo("0x47e79534a245952e8b16893a336b85a3d9ea9fa8c573f3d803afb92a79469218");
        assertThat(typed.domain()).containsOnlyKeys("chainId", "verifyingContract");
        assertThat(typed.domain().get("verifyingContract")).isEqualTo(SAFE);
        assertThat(typed.message()).containsEntry("operation", BigInteger.ZERO).containsEntry("nonce", BigInteger.ONE);
    }

    @Test
    void theHashIsTheKeccakOfTheTransactionHashData() {
        SafeTransaction tx = transfer(BigInteger.TEN);
        ChainId chain = new ChainId(31337);

        byte[] data = SafeTransactions.transactionHashData(SAFE, chain, tx);

        assertThat(data).hasSize(66).startsWith(0x19, 0x01);
        assertThat(Arrays.copyOfRange(data, 2, 34)).isEqualTo(SafeTransactions.domainSeparator(SAFE, chain));
        assertThat(SafeTransactions.hash(SAFE, chain, tx).toBytes()).isEqualTo(Keccak256.hash(data));
        // Every signed field changes the hash, the nonce included: one signature, one execution.
        assertThat(SafeTransactions.hash(SAFE, chain, transfer(BigInteger.valueOf(11))))
                .isNotEqualTo(SafeTransactions.hash(SAFE, chain, tx));
    }

    @Test
    void execTransactionIsEncodedWithItsSelectorAndTwoDynamicTails() {
        SafeTransaction tx = transfer(BigInteger.ZERO);
        byte[] signatures = new byte[65];
        Arrays.fill(signatures, (byte) 7);

        byte[] data = SafeTransactions.execTransactionData(tx, signatures);

        assertThat(Hex.encode(Arrays.copyOf(data, 4))).isEqualTo("0x6a761202");
        // Ten head words, then data (length word + 2 words: 68 bytes padded to 96) and signatures (1 + 3 words).
        assertThat(data).hasSize(4 + 32 * 10 + 32 + 96 + 32 + 96);
        assertThat(word(data, 2)).isEqualTo(BigInteger.valueOf(32 * 10));
        assertThat(word(data, 9)).isEqualTo(BigInteger.valueOf(32 * 10 + 32 + 96));
        assertThat(word(data, 10)).isEqualTo(BigInteger.valueOf(68));
        assertThat(Arrays.copyOfRange(data, 4 + 32 * 15, 4 + 32 * 15 + 65)).isEqualTo(signatures);
        assertThat(SafeTransactions.execTransaction(TO, SAFE, tx, signatures).data())
                .isEqualTo(data);
        assertThat(SafeTransactions.execTransaction(TO, SAFE, tx, signatures)
                        .value()
                        .isZero())
                .isTrue();
    }

    @Test
    void checkSignaturesPassesTheHashAndTheTransactionHashData() {
        SafeTransaction tx = transfer(BigInteger.ZERO);
        ChainId chain = new ChainId(31337);

        byte[] data = SafeTransactions.checkSignaturesData(SAFE, chain, tx, new byte[65]);

        assertThat(Hex.encode(Arrays.copyOf(data, 4))).isEqualTo("0x934f3a11");
        assertThat(Arrays.copyOfRange(data, 4, 36))
                .isEqualTo(SafeTransactions.hash(SAFE, chain, tx).toBytes());
        assertThat(word(data, 3)).isEqualTo(BigInteger.valueOf(66));
        assertThat(Arrays.copyOfRange(data, 4 + 128, 4 + 128 + 66))
                .isEqualTo(SafeTransactions.transactionHashData(SAFE, chain, tx));
    }

    @Test
    void aSafeTransactionRefusesValuesTheSafeCouldNotSign() {
        byte[] none = new byte[0];
        BigInteger tooLarge = TokenAmount.MAX_UINT256.add(BigInteger.ONE);
        TokenAmount zero = TokenAmount.zero(ETH);
        Asset.Erc20 usdc = new Asset.Erc20(TO, "USDC", 6);

        assertThatThrownBy(() -> SafeTransaction.call(
                        TO, TokenAmount.zero(usdc), none, SafeTransaction.Operation.CALL, BigInteger.ZERO))
                .hasMessageContaining("native coin");
        assertThatThrownBy(() ->
                        SafeTransaction.call(TO, zero, none, SafeTransaction.Operation.CALL, BigInteger.ONE.negate()))
                .hasMessageContaining("nonce");
        assertThatThrownBy(() -> new SafeTransaction(
                        TO,
                        zero,
                        none,
                        SafeTransaction.Operation.CALL,
                        tooLarge,
                        BigInteger.ZERO,
                        BigInteger.ZERO,
                        Address.ZERO,
                        Address.ZERO,
                        BigInteger.ZERO))
                .hasMessageContaining("safeTxGas");
        assertThatThrownBy(() -> new SafeTransaction(
                        TO,
                        zero,
                        none,
                        SafeTransaction.Operation.CALL,
                        BigInteger.ZERO,
                        BigInteger.ZERO,
                        BigInteger.ZERO,
                        null,
                        Address.ZERO,
                        BigInteger.ZERO))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("gasToken");
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 2, 255})
    void anOperationIsCallOrDelegatecall(int code) {
        assertThat(SafeTransaction.Operation.fromCode(0)).isEqualTo(SafeTransaction.Operation.CALL);
        assertThat(SafeTransaction.Operation.fromCode(1)).isEqualTo(SafeTransaction.Operation.DELEGATECALL);
        assertThatThrownBy(() -> SafeTransaction.Operation.fromCode(code)).hasMessageContaining(code + " is neither");
    }

    @Test
    void dataIsCopiedInAndOutAndShortenedInToString() {
        byte[] data = new byte[200];
        SafeTransaction tx =
                SafeTransaction.call(TO, TokenAmount.zero(ETH), data, SafeTransaction.Operation.CALL, BigInteger.ZERO);
        data[0] = 1;
        tx.data()[1] = 1;

        assertThat(tx.data()).isEqualTo(new byte[200]);
        assertThat(tx)
                .isEqualTo(SafeTransaction.call(
                        TO, TokenAmount.zero(ETH), new byte[200], SafeTransaction.Operation.CALL, BigInteger.ZERO));
        assertThat(tx.toString()).contains("(200 bytes)").hasSizeLessThan(600);
        assertThat(tx.paysRefund()).isFalse();
    }

    @Test
    void abiWordsAreStrict() {
        assertThatThrownBy(() -> Abi.uint(TokenAmount.MAX_UINT256.add(BigInteger.ONE)))
                .hasMessageContaining("uint256");
        assertThatThrownBy(() -> Abi.uint(-1)).hasMessageContaining("uint256");
        assertThat(Abi.uint(TokenAmount.MAX_UINT256).word()).containsOnly((byte) 0xff);
        byte[] pastTheEnd = Abi.encode(Abi.uint(64), Abi.uint(1));
        assertThatThrownBy(() -> Abi.decodeBytes(pastTheEnd)).hasMessageContaining("offset");
        byte[] tooLong = Abi.encode(Abi.uint(32), Abi.uint(1_000));
        assertThatThrownBy(() -> Abi.decodeBytes(tooLong)).hasMessageContaining("length");
        assertThat(Abi.decodeBytes(Abi.encode(new Abi.DynamicBytes(new byte[] {9, 8, 7}))))
                .containsExactly(9, 8, 7);
    }

    private static SafeTransaction transfer(BigInteger nonce) {
        byte[] data = new byte[68];
        data[0] = (byte) 0xa9;
        return SafeTransaction.call(TO, TokenAmount.zero(ETH), data, SafeTransaction.Operation.CALL, nonce);
    }

    private static BigInteger word(byte[] calldata, int index) {
        return new BigInteger(1, Arrays.copyOfRange(calldata, 4 + 32 * index, 4 + 32 * index + 32));
    }
}
