package dev.guardian.service.reconciliation;

import dev.guardian.policy.WalletId;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * How far a wallet has been reconciled: every block up to {@code block} (from {@code startedBlock}, where
 * Guardian first saw it), and the wallet's confirmed nonce and balances (by asset symbol, in units) at the
 * end of that block, against which the next pass compares the chain.
 */
public record WalletCheckpoint(
        WalletId walletId,
        long startedBlock,
        long block,
        long nonce,
        Map<String, BigInteger> balances,
        Instant reconciledAt) {
    public WalletCheckpoint {
        Objects.requireNonNull(walletId, "walletId");
        balances = Map.copyOf(balances);
        Objects.requireNonNull(reconciledAt, "reconciledAt");
    }
}
