package dev.guardian.service.chain;

import java.math.BigInteger;
import java.util.Objects;

/** EIP-1559 fee caps for a transaction about to be signed, in wei per gas. */
public record FeeQuote(BigInteger maxFeePerGasWei, BigInteger maxPriorityFeePerGasWei) {
    public FeeQuote {
        Objects.requireNonNull(maxFeePerGasWei, "maxFeePerGasWei");
        Objects.requireNonNull(maxPriorityFeePerGasWei, "maxPriorityFeePerGasWei");
        if (maxPriorityFeePerGasWei.signum() < 0) {
            throw new IllegalArgumentException("a priority fee cannot be negative");
        }
        if (maxFeePerGasWei.compareTo(maxPriorityFeePerGasWei) < 0) {
            throw new IllegalArgumentException("the max fee must cover the priority fee (EIP-1559)");
        }
    }
}
