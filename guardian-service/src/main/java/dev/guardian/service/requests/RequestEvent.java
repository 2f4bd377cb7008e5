package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.TxHash;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.service.audit.AuditEvent;
import dev.guardian.service.signatures.OnChainUse;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * What can happen to a request once it has been decided, each one the audit record it leaves. The
 * pipeline, the submitter, the receipt worker and the approval workflow produce these; only
 * {@link RequestTransitions} applies them, by the table of {@link RequestLifecycle}. Each event's
 * {@link #trigger()} is its line in that table.
 */
public sealed interface RequestEvent extends AuditEvent.OfRequest {

    /** The line of the lifecycle table this event moves the request by. */
    RequestLifecycle.Trigger trigger();

    /** A team and the version of its budgets that judged a request. */
    record TeamVersion(String id, int version) {}

    /**
     * The request was judged: allowed, escalated to people, or denied, with every reason that fired.
     * {@code treasuryAction} names the kind of a treasury action ({@link RequestKind#TREASURY_REVOKE},
     * {@link RequestKind#TREASURY_SWEEP}), judged by the narrow treasury check instead of the agent's
     * policy (its {@code policyVersion} is {@value #TREASURY_CHECK}): accepted, it reserves nothing; it is
     * never escalated.
     */
    @AuditEvent.Name(AuditEvent.Judgement.EVENT)
    record Decided(
            AgentId agent,
            Address wallet,
            Optional<String> screeningVersion,
            String policyVersion,
            Optional<TeamVersion> team,
            Verdict verdict,
            List<ReasonView> reasons,
            Optional<Integer> approvalsRequired,
            Optional<Instant> approvalDeadline,
            Map<String, String> reserved,
            Optional<JudgedFee> fee,
            Optional<RequestKind> treasuryAction)
            implements RequestEvent, AuditEvent.Judgement, AuditEvent.AboutAgent, AuditEvent.AboutWallet {
        /** What a treasury action records as the policy version that judged it: the treasury check. */
        public static final String TREASURY_CHECK = "treasury-check";

        public Decided {
            reasons = List.copyOf(reasons);
            reserved = Map.copyOf(reserved);
            if ((verdict == Verdict.ESCALATE) != (approvalsRequired.isPresent() && approvalDeadline.isPresent())) {
                throw new IllegalArgumentException(
                        "an escalation, and only an escalation, has a quorum and a deadline");
            }
            if (treasuryAction.isPresent()
                    && (!treasuryAction.get().treasuryAction()
                            || verdict == Verdict.ESCALATE
                            || !reserved.isEmpty()
                            || team.isPresent()
                            || !policyVersion.equals(TREASURY_CHECK))) {
                throw new IllegalArgumentException("a treasury action is judged by the treasury check, never"
                        + " escalated, and reserves nothing against the agent's or a team's limits");
            }
        }

        /** An agent's request, judged by its policy. */
        public Decided(
                AgentId agent,
                Address wallet,
                Optional<String> screeningVersion,
                String policyVersion,
                Optional<TeamVersion> team,
                Verdict verdict,
                List<ReasonView> reasons,
                Optional<Integer> approvalsRequired,
                Optional<Instant> approvalDeadline,
                Map<String, String> reserved,
                Optional<JudgedFee> fee) {
            this(
                    agent,
                    wallet,
                    screeningVersion,
                    policyVersion,
                    team,
                    verdict,
                    reasons,
                    approvalsRequired,
                    approvalDeadline,
                    reserved,
                    fee,
                    Optional.empty());
        }

        /** A treasury action, judged by the treasury check: accepted or refused. */
        public static Decided treasury(
                RequestKind kind,
                AgentId agent,
                Address wallet,
                Optional<String> screeningVersion,
                Verdict verdict,
                List<ReasonView> reasons,
                Optional<JudgedFee> fee) {
            return new Decided(
                    agent,
                    wallet,
                    screeningVersion,
                    TREASURY_CHECK,
                    Optional.empty(),
                    verdict,
                    reasons,
                    Optional.empty(),
                    Optional.empty(),
                    Map.of(),
                    fee,
                    Optional.of(kind));
        }

        @Override
        public RequestLifecycle.Trigger trigger() {
            return switch (verdict) {
                case ALLOW ->
                    treasuryAction.isPresent()
                            ? RequestLifecycle.Trigger.TREASURY_ACCEPTED
                            : RequestLifecycle.Trigger.ALLOWED;
                case ESCALATE -> RequestLifecycle.Trigger.ESCALATED;
                case DENY -> RequestLifecycle.Trigger.DENIED;
            };
        }
    }

    /** An approver approved; the quorum is not complete yet ({@code required} may have been raised). */
    @AuditEvent.Name("approval")
    record ApprovalVoted(String approver, String decision, String comment, int approvals, int required)
            implements RequestEvent {
        public ApprovalVoted(String approver, String comment, int approvals, int required) {
            this(approver, "approve", comment, approvals, required);
        }

        @Override
        public RequestLifecycle.Trigger trigger() {
            return RequestLifecycle.Trigger.VOTED;
        }
    }

    /** An approver rejected: one rejection ends the request. */
    @AuditEvent.Name("rejection")
    record Rejected(String approver, String decision, String comment, int approvals, int required)
            implements RequestEvent {
        public Rejected(String approver, String comment, int approvals, int required) {
            this(approver, "reject", comment, approvals, required);
        }

        @Override
        public RequestLifecycle.Trigger trigger() {
            return RequestLifecycle.Trigger.REJECTED;
        }
    }

    /** What the final approval's fresh simulation showed: the effects, or why it would revert. */
    record Resimulated(Optional<List<EffectView>> effects, Optional<String> reverted) {}

    /** The quorum approved and the re-check with today's rules passed: it is signed next. */
    @AuditEvent.Name("approved")
    record Approved(
            Resimulated simulation,
            Optional<RequestSteps.Screened> screening,
            String policyVersion,
            Optional<TeamVersion> team,
            List<ReasonView> reasons)
            implements RequestEvent {
        @Override
        public RequestLifecycle.Trigger trigger() {
            return RequestLifecycle.Trigger.APPROVED;
        }
    }

    /** The quorum approved, but the re-check denied it or found what the approvers had not seen. */
    @AuditEvent.Name("approval-recheck-failed")
    record ApprovalRecheckFailed(
            Resimulated simulation,
            Optional<RequestSteps.Screened> screening,
            String policyVersion,
            Optional<TeamVersion> team,
            List<ReasonView> reasons,
            String failure)
            implements RequestEvent {
        @Override
        public RequestLifecycle.Trigger trigger() {
            return RequestLifecycle.Trigger.RECHECK_FAILED;
        }
    }

    /** Nobody completed the quorum by the deadline. */
    @AuditEvent.Name("expired")
    record ApprovalExpired(Instant deadline, int approvals) implements RequestEvent {
        @Override
        public RequestLifecycle.Trigger trigger() {
            return RequestLifecycle.Trigger.EXPIRED;
        }
    }

    /**
     * The transaction was signed; its exact bytes are stored and recorded before they are sent, so an
     * auditor can decode what was signed and check its signature.
     */
    @AuditEvent.Name("signed")
    record Signed(
            Address from,
            long nonce,
            TxHash txHash,
            long gasLimit,
            BigInteger maxFeePerGasWei,
            BigInteger maxPriorityFeePerGasWei,
            byte[] rawTransaction)
            implements RequestEvent, AuditEvent.AboutTransaction, SignedTransactionEvent {
        public Signed {
            rawTransaction = rawTransaction.clone();
        }

        @Override
        public byte[] rawTransaction() {
            return rawTransaction.clone();
        }

        @Override
        public RequestLifecycle.Trigger trigger() {
            return RequestLifecycle.Trigger.SIGNED;
        }
    }

    /**
     * Not mined in time: a transaction with the same call and nonce and higher fees was signed to take its
     * place ({@code why}), after a simulation and judgement with those fees that showed the same effects
     * within the policy's fee ceiling. Whichever of the two is mined settles the request.
     */
    @AuditEvent.Name("replaced")
    record Replaced(
            TxHash replacedTxHash,
            TxHash txHash,
            long nonce,
            long gasLimit,
            BigInteger maxFeePerGasWei,
            BigInteger maxPriorityFeePerGasWei,
            byte[] rawTransaction,
            String why)
            implements RequestEvent, AuditEvent.AboutTransaction, SignedTransactionEvent {
        public Replaced {
            rawTransaction = rawTransaction.clone();
        }

        @Override
        public byte[] rawTransaction() {
            return rawTransaction.clone();
        }

        @Override
        public RequestLifecycle.Trigger trigger() {
            return RequestLifecycle.Trigger.REPLACED;
        }
    }

    /**
     * The transaction is to be stopped before it is mined ({@code why}: a freeze, the kill switch, a new
     * sanctions hit): a zero-value transfer of the wallet to itself at the same nonce with higher fees was
     * signed. If it is mined the request fails; if the original is mined first, it settles as usual.
     */
    @AuditEvent.Name("cancellation-signed")
    record CancellationSigned(
            TxHash cancelledTxHash,
            TxHash txHash,
            long nonce,
            BigInteger maxFeePerGasWei,
            BigInteger maxPriorityFeePerGasWei,
            byte[] rawTransaction,
            String why)
            implements RequestEvent, AuditEvent.AboutTransaction, SignedTransactionEvent {
        public CancellationSigned {
            rawTransaction = rawTransaction.clone();
        }

        @Override
        public byte[] rawTransaction() {
            return rawTransaction.clone();
        }

        @Override
        public long gasLimit() {
            return TransactionSubmitter.CANCELLATION_GAS;
        }

        @Override
        public RequestLifecycle.Trigger trigger() {
            return RequestLifecycle.Trigger.CANCELLATION_SIGNED;
        }
    }

    /** The cancellation was mined: the request's transaction never will be; only the cancellation's fee was paid. */
    @AuditEvent.Name("cancelled")
    record Cancelled(TxHash txHash, long block, long gasUsed, BigInteger feeWei)
            implements RequestEvent, AuditEvent.AboutTransaction {
        @Override
        public RequestLifecycle.Trigger trigger() {
            return RequestLifecycle.Trigger.CANCELLED;
        }
    }

    /** A transaction Guardian signed for a request: each one is kept as one of the request's attempts. */
    interface SignedTransactionEvent {
        TxHash txHash();

        long nonce();

        long gasLimit();

        BigInteger maxFeePerGasWei();

        BigInteger maxPriorityFeePerGasWei();

        byte[] rawTransaction();
    }

    /** Nothing was or will be signed for an allowed or approved request, for {@code reason}. */
    @AuditEvent.Name("failed")
    record SigningFailed(String reason) implements RequestEvent {
        @Override
        public RequestLifecycle.Trigger trigger() {
            return RequestLifecycle.Trigger.SIGNING_FAILED;
        }
    }

    /** The node took the transaction (or already had it); {@code rebroadcast} when the worker sent it again. */
    @AuditEvent.Name("submitted")
    record Submitted(TxHash txHash, long nonce, Optional<Boolean> rebroadcast)
            implements RequestEvent, AuditEvent.AboutTransaction {
        @Override
        public RequestLifecycle.Trigger trigger() {
            return RequestLifecycle.Trigger.SUBMITTED;
        }
    }

    /** The broadcast got no answer: it may or may not have reached the node. The same bytes go again later. */
    @AuditEvent.Name("broadcast-unanswered")
    record BroadcastUnanswered(TxHash txHash, long nonce, String broadcast)
            implements RequestEvent, AuditEvent.AboutTransaction {
        @Override
        public RequestLifecycle.Trigger trigger() {
            return RequestLifecycle.Trigger.BROADCAST_UNANSWERED;
        }
    }

    /**
     * A node refused the transaction ({@code refusedBy}: its words). Not final: behind a load-balanced
     * provider another node may have taken it, and a refusal for the balance or the fees may pass later.
     * The request stays in flight with its nonce and reservation; the transaction is sent again until it
     * is mined ({@link Confirmed}, {@link Reverted}) or another transaction takes its nonce ({@link Superseded}).
     */
    @AuditEvent.Name("refused-by-node")
    record RefusedByNode(TxHash txHash, long nonce, String refusedBy)
            implements RequestEvent, AuditEvent.AboutTransaction {
        @Override
        public RequestLifecycle.Trigger trigger() {
            return RequestLifecycle.Trigger.REFUSED_BY_NODE;
        }
    }

    /**
     * Mined and succeeded, and it did nothing beyond what was judged: {@code executed} is what its executed
     * call tree shows it did (the budgets are posted at those amounts), {@code feeWei} what it really cost in
     * gas (and L1 data).
     */
    @AuditEvent.Name("confirmed")
    record Confirmed(
            TxHash txHash, long block, long gasUsed, BigInteger feeWei, String status, List<EffectView> executed)
            implements RequestEvent, AuditEvent.AboutTransaction {
        public Confirmed {
            executed = List.copyOf(executed);
        }

        public Confirmed(TxHash txHash, long block, long gasUsed, BigInteger feeWei, List<EffectView> executed) {
            this(txHash, block, gasUsed, feeWei, "success", executed);
        }

        @Override
        public RequestLifecycle.Trigger trigger() {
            return RequestLifecycle.Trigger.CONFIRMED;
        }
    }

    /**
     * Mined, and it did something that was not judged ({@code differences}): moved more, moved elsewhere,
     * reached a sanctioned address, left an allowance, or cannot be decoded. Both effect sets are kept; the
     * agent was frozen in the same transaction. An agent's request is charged what really left; a treasury
     * action ({@code treasuryAction} names its kind) is charged to none of the agent's limits.
     */
    @AuditEvent.Name("diverged")
    record Diverged(
            AgentId agent,
            Address wallet,
            TxHash txHash,
            long block,
            long gasUsed,
            BigInteger feeWei,
            List<EffectView> judged,
            List<EffectView> executed,
            List<String> differences,
            Optional<RequestKind> treasuryAction)
            implements RequestEvent, AuditEvent.AboutTransaction, AuditEvent.AboutAgent, AuditEvent.AboutWallet {
        public Diverged {
            judged = List.copyOf(judged);
            executed = List.copyOf(executed);
            differences = List.copyOf(differences);
            if (differences.isEmpty()) {
                throw new IllegalArgumentException("a divergence names at least one difference");
            }
            if (treasuryAction.isPresent() && !treasuryAction.get().treasuryAction()) {
                throw new IllegalArgumentException(treasuryAction.get() + " is an agent's request");
            }
        }

        /** An agent's request. */
        public Diverged(
                AgentId agent,
                Address wallet,
                TxHash txHash,
                long block,
                long gasUsed,
                BigInteger feeWei,
                List<EffectView> judged,
                List<EffectView> executed,
                List<String> differences) {
            this(agent, wallet, txHash, block, gasUsed, feeWei, judged, executed, differences, Optional.empty());
        }

        @Override
        public RequestLifecycle.Trigger trigger() {
            return treasuryAction.isPresent()
                    ? RequestLifecycle.Trigger.TREASURY_DIVERGED
                    : RequestLifecycle.Trigger.DIVERGED;
        }
    }

    /** Mined and reverted: it moved nothing but its fee, {@code feeWei}. */
    @AuditEvent.Name("reverted")
    record Reverted(TxHash txHash, long block, long gasUsed, BigInteger feeWei, String status)
            implements RequestEvent, AuditEvent.AboutTransaction {
        public Reverted(TxHash txHash, long block, long gasUsed, BigInteger feeWei) {
            this(txHash, block, gasUsed, feeWei, "reverted");
        }

        @Override
        public RequestLifecycle.Trigger trigger() {
            return RequestLifecycle.Trigger.REVERTED;
        }
    }

    /**
     * Another transaction took its nonce, so it can never be mined: the chain's confirmed nonce of the
     * sending address ({@code confirmedNonce}, at the latest block) has passed {@code nonce}, and the
     * transaction has no receipt. Never concluded from a node's refusal alone.
     */
    @AuditEvent.Name("superseded")
    record Superseded(TxHash txHash, long nonce, long confirmedNonce)
            implements RequestEvent, AuditEvent.AboutTransaction {
        @Override
        public RequestLifecycle.Trigger trigger() {
            return RequestLifecycle.Trigger.SUPERSEDED;
        }
    }

    /**
     * Typed data was signed with the wallet's key ({@code signer}): {@code digest} is the EIP-712 hash that was
     * signed and {@code signature} the 65-byte r||s||v handed to the agent. {@code use}: how its use shows on
     * chain and until when it can happen, as recognised when it was signed, for a signature that moves value
     * (it is then AUTHORIZED and watched by exactly this); empty for a message that moves no value.
     */
    @AuditEvent.Name("typed-data-signed")
    record TypedDataSigned(Address signer, String digest, byte[] signature, Optional<OnChainUse> use)
            implements RequestEvent {
        public TypedDataSigned {
            signature = signature.clone();
            Objects.requireNonNull(use, "use");
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }

        /** The last instant someone can use it on chain; empty for a message. */
        public Optional<Instant> usableUntil() {
            return use.map(OnChainUse::usableUntil);
        }

        @Override
        public RequestLifecycle.Trigger trigger() {
            return use.isPresent()
                    ? RequestLifecycle.Trigger.AUTHORIZATION_SIGNED
                    : RequestLifecycle.Trigger.MESSAGE_SIGNED;
        }
    }

    /**
     * The signature was used on chain in {@code txHash} (block {@code block}), submitted by {@code by}: what
     * it authorised happened, and the reservation is posted. {@code evidence}: what the chain showed (the
     * event, the token's state).
     */
    @AuditEvent.Name("authorization-used")
    record AuthorizationUsed(Optional<TxHash> txHash, long block, Optional<Address> by, String evidence)
            implements RequestEvent {
        @Override
        public RequestLifecycle.Trigger trigger() {
            return RequestLifecycle.Trigger.AUTHORIZATION_USED;
        }
    }

    /**
     * The signature was not used and no block can accept it any more: block {@code block}, at
     * {@code blockTime}, is past {@code usableUntil}, and the chain shows it unused at that block.
     */
    @AuditEvent.Name("authorization-lapsed")
    record AuthorizationLapsed(Instant usableUntil, long block, Instant blockTime) implements RequestEvent {
        @Override
        public RequestLifecycle.Trigger trigger() {
            return RequestLifecycle.Trigger.AUTHORIZATION_LAPSED;
        }
    }

    /**
     * Guardian's cancellation ({@code cancellation}, a request of its own) was mined before anyone used the
     * authorization ({@code txHash}, block {@code block}); {@code why} it was cancelled.
     */
    @AuditEvent.Name("authorization-cancelled")
    record AuthorizationCancelled(UUID cancellation, Optional<TxHash> txHash, long block, String why)
            implements RequestEvent {
        @Override
        public RequestLifecycle.Trigger trigger() {
            return RequestLifecycle.Trigger.AUTHORIZATION_CANCELLED;
        }
    }
}
