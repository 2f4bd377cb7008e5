package dev.guardian.service.reconciliation;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.TxHash;
import dev.guardian.policy.WalletId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Something that left a wallet outside Guardian, as wallet reconciliation recorded it (once, never edited).
 *
 * @param kind       {@link Kind#TRANSFER} a token {@code Transfer} out of the wallet in a transaction Guardian
 *                   did not sign; {@link Kind#NONCE} a nonce of the wallet used by a transaction Guardian did
 *                   not sign; {@link Kind#BALANCE} a balance that fell by more than the chain's logs and
 *                   Guardian's transactions explain
 * @param block      the log's block ({@code TRANSFER}), or the end of the range it was found in
 * @param fromBlock  the range {@code (fromBlock, block]} it was found in ({@code NONCE}, {@code BALANCE})
 * @param amount     what left ({@code TRANSFER}, {@code BALANCE})
 * @param covered    the part of a spender's pull that allowance exposure Guardian judged for that spender
 *                   accounts for: counted already, so not charged again
 * @param spender    who moved the wallet's tokens ({@code msg.sender} of the token call), when not the wallet
 * @param explained  all of it is a spender using an allowance Guardian judged: nothing charged, nobody frozen
 */
public record ExternalOutflow(
        UUID id,
        AgentId agent,
        WalletId walletId,
        Address wallet,
        Kind kind,
        long block,
        Optional<Long> fromBlock,
        Optional<TxHash> txHash,
        Optional<Long> logIndex,
        Optional<Long> nonce,
        Optional<TokenAmount> amount,
        Optional<TokenAmount> covered,
        Optional<Address> recipient,
        Optional<Address> spender,
        boolean explained,
        String description,
        Instant detectedAt) {

    /** What was found. */
    public enum Kind {
        TRANSFER,
        NONCE,
        BALANCE
    }

    public ExternalOutflow {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(walletId, "walletId");
        Objects.requireNonNull(wallet, "wallet");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(fromBlock, "fromBlock");
        Objects.requireNonNull(txHash, "txHash");
        Objects.requireNonNull(logIndex, "logIndex");
        Objects.requireNonNull(nonce, "nonce");
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(covered, "covered");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(spender, "spender");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(detectedAt, "detectedAt");
    }

    /** What nothing Guardian judged accounts for: charged against the budgets. Empty for a nonce. */
    public Optional<TokenAmount> unexplained() {
        return amount.map(a -> covered.map(a::minusOrZero).orElse(a));
    }
}
