package dev.guardian.signer;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.ChainId;
import dev.guardian.policy.TokenAmount;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Objects;

/**
 * An unsigned EIP-1559 (type 2) transaction with an empty access list. The value is the chain's native
 * coin in wei; token transfers are calls whose {@code data} carries the ERC-20 call. Contract
 * creation ({@code to == null}) is deliberately not supported: Guardian's agents pay, they do not deploy.
 */
public record Eip1559Transaction(
        ChainId chainId,
        long nonce,
        BigInteger maxPriorityFeePerGasWei,
        BigInteger maxFeePerGasWei,
        long gasLimit,
        Address to,
        TokenAmount value,
        byte[] data) {

    public Eip1559Transaction {
        Objects.requireNonNull(chainId, "chainId");
        Objects.requireNonNull(maxPriorityFeePerGasWei, "maxPriorityFeePerGasWei");
        Objects.requireNonNull(maxFeePerGasWei, "maxFeePerGasWei");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(data, "data (use an empty array for a plain transfer)");
        if (to == null) {
            throw new IllegalArgumentException("a transaction needs a recipient; contract creation is not supported");
        }
        if (nonce < 0) {
            throw new IllegalArgumentException("a nonce cannot be negative");
        }
        if (gasLimit <= 0) {
            throw new IllegalArgumentException("a gas limit must be positive");
        }
        requireUint256(maxPriorityFeePerGasWei, "max priority fee per gas");
        requireUint256(maxFeePerGasWei, "max fee per gas");
        if (maxPriorityFeePerGasWei.compareTo(maxFeePerGasWei) > 0) {
            throw new IllegalArgumentException("the max priority fee per gas (" + maxPriorityFeePerGasWei
                    + " wei) cannot exceed the max fee per gas (" + maxFeePerGasWei + " wei)");
        }
        if (!(value.asset() instanceof Asset.Native)) {
            throw new IllegalArgumentException("a transaction's value is the native coin in wei, not "
                    + value.asset().symbol());
        }
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Eip1559Transaction that
                && chainId.equals(that.chainId)
                && nonce == that.nonce
                && maxPriorityFeePerGasWei.equals(that.maxPriorityFeePerGasWei)
                && maxFeePerGasWei.equals(that.maxFeePerGasWei)
                && gasLimit == that.gasLimit
                && to.equals(that.to)
                && value.equals(that.value)
                && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hash(chainId, nonce, maxPriorityFeePerGasWei, maxFeePerGasWei, gasLimit, to, value)
                + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Eip1559Transaction[chainId=" + chainId + ", nonce=" + nonce
                + ", maxPriorityFeePerGasWei=" + maxPriorityFeePerGasWei + ", maxFeePerGasWei=" + maxFeePerGasWei
                + ", gasLimit=" + gasLimit + ", to=" + to + ", value=" + value + ", data=" + data.length + " bytes]";
    }

    private static void requireUint256(BigInteger wei, String name) {
        if (wei.signum() < 0) {
            throw new IllegalArgumentException("the " + name + " cannot be negative");
        }
        if (wei.compareTo(TokenAmount.MAX_UINT256) > 0) {
            throw new IllegalArgumentException("the " + name + " cannot exceed 2^256-1 wei");
        }
    }
}
