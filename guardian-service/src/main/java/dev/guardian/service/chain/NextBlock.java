package dev.guardian.service.chain;

import java.math.BigInteger;
import java.util.Objects;

/**
 * The block a transaction sent now would join at the earliest: the number after the latest, a timestamp no
 * earlier than now, and the base fee the node computes for it. Guardian simulates against it, so that a
 * contract reading {@code block.number}, {@code block.timestamp} or {@code block.basefee} sees what it will
 * see on chain (the timestamp only approximately: a later inclusion has a later one).
 */
public record NextBlock(long number, long timestamp, BigInteger baseFeeWei) {
    public NextBlock {
        Objects.requireNonNull(baseFeeWei, "baseFeeWei");
        if (number < 0 || timestamp < 0 || baseFeeWei.signum() < 0) {
            throw new IllegalArgumentException("a block's number, timestamp and base fee are not negative");
        }
    }
}
