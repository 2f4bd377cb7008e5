package dev.guardian.service.chain;

import dev.guardian.policy.TxHash;
import java.math.BigInteger;
import java.util.Objects;

/**
 * The outcome of a mined transaction: whether it succeeded (status 1), where, and what it really cost in
 * fees ({@code gasUsed x effectiveGasPrice}, plus the L1 data fee a rollup such as Base reports).
 */
public record TxReceipt(TxHash hash, boolean succeeded, long blockNumber, long gasUsed, BigInteger feeWei) {
    public TxReceipt {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(feeWei, "feeWei");
        if (blockNumber < 0) {
            throw new IllegalArgumentException("a block number cannot be negative");
        }
        if (gasUsed < 0 || feeWei.signum() < 0) {
            throw new IllegalArgumentException("gas used and fees cannot be negative");
        }
    }
}
