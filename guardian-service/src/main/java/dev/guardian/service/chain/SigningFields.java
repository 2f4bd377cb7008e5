package dev.guardian.service.chain;

import java.math.BigInteger;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The fields of an EIP-1559 transaction besides its call: what it will be signed with, so that the
 * simulation runs with exactly these (a contract can read {@code tx.gasprice} and {@code gasleft()}).
 * {@code nonce} is the one expected; no opcode reads a transaction's nonce, so a different one at signing
 * cannot change what the call does.
 */
public record SigningFields(
        long gasLimit, BigInteger maxFeePerGasWei, BigInteger maxPriorityFeePerGasWei, OptionalLong nonce) {
    public SigningFields {
        Objects.requireNonNull(maxFeePerGasWei, "maxFeePerGasWei");
        Objects.requireNonNull(maxPriorityFeePerGasWei, "maxPriorityFeePerGasWei");
        Objects.requireNonNull(nonce, "nonce");
        if (gasLimit <= 0 || maxPriorityFeePerGasWei.compareTo(maxFeePerGasWei) > 0) {
            throw new IllegalArgumentException("a gas limit is positive and the tip is within the max fee");
        }
    }
}
