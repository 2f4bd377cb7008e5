package dev.guardian.service.chain;

import dev.guardian.policy.TxHash;
import java.util.Objects;

/** The outcome of a mined transaction: whether it succeeded (status 1) and where. */
public record TxReceipt(TxHash hash, boolean succeeded, long blockNumber, long gasUsed) {
    public TxReceipt {
        Objects.requireNonNull(hash, "hash");
        if (blockNumber < 0) {
            throw new IllegalArgumentException("a block number cannot be negative");
        }
        if (gasUsed < 0) {
            throw new IllegalArgumentException("gas used cannot be negative");
        }
    }
}
