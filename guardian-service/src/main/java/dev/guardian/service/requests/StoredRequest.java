package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.TxHash;
import dev.guardian.policy.WalletId;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.service.chain.ContractCall;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A request as recorded: what was asked, what the simulation showed, the decision, and its progress on chain.
 * {@code signingPostponed}: why an ALLOWED or APPROVED request waits to be signed (the chain could not be
 * used); kept once it moves on, as history, but it means "waiting" only while the request is ready to sign.
 * {@code typedData}: what a typed-data request signs (and its signature); {@code cancels}: the authorization a
 * treasury cancellation cancels; {@code relayer}: the relayer account that sends its transaction, when the
 * wallet it acts for does not send it itself (its nonce is then the relayer's).
 */
public record StoredRequest(
        UUID id,
        AgentId agentId,
        WalletId walletId,
        Optional<String> idempotencyKey,
        byte[] fingerprint,
        String kind,
        Address to,
        BigInteger valueWei,
        byte[] data,
        Map<String, Object> description,
        RequestStatus status,
        Verdict verdict,
        List<ReasonView> reasons,
        List<EffectView> effects,
        String policyVersion,
        Optional<String> screeningVersion,
        Optional<Long> nonce,
        Optional<TxHash> txHash,
        Optional<byte[]> rawTx,
        Optional<Long> blockNumber,
        Optional<String> failure,
        Optional<Integer> approvalsRequired,
        Optional<Instant> approvalDeadline,
        Instant createdAt,
        Instant updatedAt,
        Optional<JudgedFee> fee,
        Optional<BigInteger> feePaidWei,
        List<AllowanceChange> allowanceChanges,
        Optional<List<EffectView>> executedEffects,
        List<String> divergence,
        Optional<SigningPostponement> signingPostponed,
        Optional<SignedTypedData> typedData,
        Optional<UUID> cancels,
        Optional<String> relayer) {

    /**
     * The call this request signs, sent from {@code sender}: the request's own wallet's address, or the
     * relayer's when {@link #relayer} names one.
     */
    public ContractCall callFrom(Address sender) {
        return new ContractCall(sender, to, new TokenAmount(Asset.ether(), valueWei), data);
    }

    /** Whether the relayer, not the wallet, sends its transaction. */
    public boolean relayed() {
        return relayer.isPresent();
    }

    /** What kind of request it is. */
    public RequestKind requestKind() {
        return RequestKind.of(kind);
    }

    /** Whether it waits to be signed: ALLOWED (by the policy or the treasury check) or APPROVED (by people). */
    public boolean readyToSign() {
        return status == RequestStatus.ALLOWED || status == RequestStatus.APPROVED;
    }

    /** Why it waits to be signed, while it does: the chain could not be used when it was last tried. */
    public Optional<SigningPostponement> waitingForChain() {
        return readyToSign() ? signingPostponed : Optional.empty();
    }

    /** When it became ready to sign: its final approval (an APPROVED request), else its decision. */
    public Instant allowedAt() {
        // A postponement leaves updated_at alone, so an APPROVED request's still dates its approval.
        return status == RequestStatus.APPROVED ? updatedAt : createdAt;
    }

    /** Why its simulation reverted, when that is why it was denied. */
    public Optional<String> revertReason() {
        return reasons.stream()
                .filter(r -> r.ruleId().equals(RuleId.SIMULATION_REVERTED.id()))
                .map(ReasonView::message)
                .findFirst();
    }
}
