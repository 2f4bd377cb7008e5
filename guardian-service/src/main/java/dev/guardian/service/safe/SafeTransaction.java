package dev.guardian.service.safe;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.Hex;
import dev.guardian.policy.TokenAmount;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;

/**
 * A Safe transaction (Safe 1.4.1's {@code SafeTx}): what the Safe will do when its owners' signatures over
 * it are presented to {@code execTransaction}. Every field is signed, so each is held exactly: {@code value}
 * is ETH in wei, the gas fields and {@code nonce} are uint256 values, and an address is never absent (Safe's
 * "no refund" is the zero address, not a missing one).
 *
 * <p>{@code safeTxGas}, {@code baseGas}, {@code gasPrice}, {@code gasToken} and {@code refundReceiver} are
 * Safe's refund mechanism: with {@code gasPrice} above zero the Safe pays whoever submits it out of its own
 * funds. {@link #call} leaves them all zero, as Guardian proposes; a transaction with them set is still a
 * valid value (the agent may have signed one) and must be judged with the refund as an outflow.
 *
 * @param nonce the Safe's nonce this transaction is for ({@code nonce()} on chain when it executes)
 */
public record SafeTransaction(
        Address to,
        TokenAmount value,
        byte[] data,
        Operation operation,
        BigInteger safeTxGas,
        BigInteger baseGas,
        BigInteger gasPrice,
        Address gasToken,
        Address refundReceiver,
        BigInteger nonce) {

    /** How the Safe runs the call: as a call from the Safe, or as its own code ({@code DELEGATECALL}). */
    public enum Operation {
        CALL(0),
        DELEGATECALL(1);

        private final int code;

        Operation(int code) {
            this.code = code;
        }

        /** Safe's {@code Enum.Operation} value, the {@code uint8 operation} that is signed. */
        public int code() {
            return code;
        }

        /**
         * @throws IllegalArgumentException for anything but 0 (CALL) and 1 (DELEGATECALL)
         */
        public static Operation fromCode(int code) {
            for (Operation operation : values()) {
                if (operation.code == code) {
                    return operation;
                }
            }
            throw new IllegalArgumentException("operation: " + code + " is neither 0 (CALL) nor 1 (DELEGATECALL)");
        }
    }

    public SafeTransaction {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(operation, "operation");
        Objects.requireNonNull(gasToken, "gasToken");
        Objects.requireNonNull(refundReceiver, "refundReceiver");
        if (!(value.asset() instanceof Asset.Native)) {
            throw new IllegalArgumentException("value: a Safe transaction's value is the chain's native coin, not "
                    + value.asset().symbol());
        }
        requireUint256("safeTxGas", safeTxGas);
        requireUint256("baseGas", baseGas);
        requireUint256("gasPrice", gasPrice);
        requireUint256("nonce", nonce);
        data = data.clone();
    }

    /**
     * A plain call or delegatecall with no refund: zero gas fields, zero gas token and refund receiver, so
     * the Safe pays no one for submitting it (the submitter pays the gas).
     */
    public static SafeTransaction call(
            Address to, TokenAmount value, byte[] data, Operation operation, BigInteger nonce) {
        return new SafeTransaction(
                to,
                value,
                data,
                operation,
                BigInteger.ZERO,
                BigInteger.ZERO,
                BigInteger.ZERO,
                Address.ZERO,
                Address.ZERO,
                nonce);
    }

    /** Whether the Safe would refund gas to anyone ({@code gasPrice > 0}: Safe's {@code handlePayment} runs). */
    public boolean paysRefund() {
        return gasPrice.signum() > 0;
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SafeTransaction that
                && to.equals(that.to)
                && value.equals(that.value)
                && Arrays.equals(data, that.data)
                && operation == that.operation
                && safeTxGas.equals(that.safeTxGas)
                && baseGas.equals(that.baseGas)
                && gasPrice.equals(that.gasPrice)
                && gasToken.equals(that.gasToken)
                && refundReceiver.equals(that.refundReceiver)
                && nonce.equals(that.nonce);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                to,
                value,
                Arrays.hashCode(data),
                operation,
                safeTxGas,
                baseGas,
                gasPrice,
                gasToken,
                refundReceiver,
                nonce);
    }

    /** Data shortened: it comes from agents and may be large; its length is kept. */
    @Override
    public String toString() {
        String hex = Hex.encode(data);
        String shown = hex.length() <= 74 ? hex : hex.substring(0, 74) + "…(" + data.length + " bytes)";
        return "SafeTransaction[to=" + to + ", value=" + value + ", data=" + shown + ", operation=" + operation
                + ", safeTxGas=" + safeTxGas + ", baseGas=" + baseGas + ", gasPrice=" + gasPrice + ", gasToken="
                + gasToken + ", refundReceiver=" + refundReceiver + ", nonce=" + nonce + "]";
    }

    private static void requireUint256(String field, BigInteger value) {
        Objects.requireNonNull(value, field);
        if (value.signum() < 0 || value.compareTo(TokenAmount.MAX_UINT256) > 0) {
            throw new IllegalArgumentException(field + ": " + value + " is not a uint256");
        }
    }
}
