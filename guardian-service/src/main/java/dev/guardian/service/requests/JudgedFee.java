package dev.guardian.service.requests;

import dev.guardian.policy.rules.TransactionFee;
import java.math.BigInteger;
import java.util.Objects;

/**
 * The gas a request was judged with and is then signed with, unchanged: its gas limit, fee caps, and the
 * upper bound of its L1 data fee. What is signed is what was judged.
 */
public record JudgedFee(
        long gasLimit, BigInteger maxFeePerGasWei, BigInteger maxPriorityFeePerGasWei, BigInteger l1FeeWei) {
    public JudgedFee {
        Objects.requireNonNull(maxFeePerGasWei, "maxFeePerGasWei");
        Objects.requireNonNull(maxPriorityFeePerGasWei, "maxPriorityFeePerGasWei");
        Objects.requireNonNull(l1FeeWei, "l1FeeWei");
        if (gasLimit <= 0 || maxPriorityFeePerGasWei.compareTo(maxFeePerGasWei) > 0) {
            throw new IllegalArgumentException("a gas limit is positive and the tip is within the max fee");
        }
    }

    /** The most the transaction can cost: every unit of its gas at the highest fee, and the L1 data fee. */
    public BigInteger maxCostWei() {
        return BigInteger.valueOf(gasLimit).multiply(maxFeePerGasWei).add(l1FeeWei);
    }

    /** As the policy weighs it. */
    public TransactionFee toPolicy() {
        return new TransactionFee(gasLimit, maxFeePerGasWei, l1FeeWei);
    }
}
