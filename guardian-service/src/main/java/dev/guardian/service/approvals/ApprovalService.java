package dev.guardian.service.approvals;

import dev.guardian.policy.decision.Verdict;
import dev.guardian.service.agents.Agent;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.audit.Actor;
import dev.guardian.service.chain.ContractCall;
import dev.guardian.service.chain.Simulation;
import dev.guardian.service.identity.Caller;
import dev.guardian.service.requests.EffectView;
import dev.guardian.service.requests.ExactSimulation;
import dev.guardian.service.requests.ReasonView;
import dev.guardian.service.requests.RequestEvent;
import dev.guardian.service.requests.RequestJudge;
import dev.guardian.service.requests.RequestKind;
import dev.guardian.service.requests.RequestStatus;
import dev.guardian.service.requests.RequestSteps;
import dev.guardian.service.requests.RequestStore;
import dev.guardian.service.requests.RequestTransitions;
import dev.guardian.service.requests.SafeRequests;
import dev.guardian.service.requests.SignatureRequests;
import dev.guardian.service.requests.StoredRequest;
import dev.guardian.service.requests.TransactionSubmitter;
import dev.guardian.service.signatures.Recognised;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Approve, reject and expire escalated requests.
 *
 * <p>Every vote runs in one transaction under the agent's lock and the request's row lock, so votes
 * arriving at the same instant, on one instance or several, are counted one after the other and only
 * one of them can be the final one. The final approval simulates the transaction again and re-judges
 * it with the same {@link RequestJudge} as on arrival, against today's sanctions list, agent state,
 * budget and chain: any denying reason, any effect different from what the approvers saw, or any new
 * reason to escalate fails the request instead of signing it. Approval is never a bypass of a hard rule.
 */
public class ApprovalService {
    private final AgentDirectory agents;
    private final ExactSimulation simulations;
    private final RequestJudge judge;
    private final RequestStore requests;
    private final ApprovalStore approvals;
    private final RequestTransitions transitions;
    private final TransactionSubmitter submitter;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final SignatureRequests signatures;
    private final SafeRequests safes;

    ApprovalService(
            AgentDirectory agents,
            ExactSimulation simulations,
            RequestJudge judge,
            RequestStore requests,
            ApprovalStore approvals,
            RequestTransitions transitions,
            TransactionSubmitter submitter,
            TransactionTemplate transactions,
            Clock clock,
            SignatureRequests signatures,
            SafeRequests safes) {
        this.safes = safes;
        this.signatures = signatures;
        this.agents = agents;
        this.simulations = simulations;
        this.judge = judge;
        this.requests = requests;
        this.approvals = approvals;
        this.transitions = transitions;
        this.submitter = submitter;
        this.transactions = transactions;
        this.clock = clock;
    }

    public ApprovalResult approve(UUID id, Caller approver, String comment) {
        ApprovalResult result = transactions.execute(tx -> vote(id, approver, comment, true));
        if (result instanceof ApprovalResult.Approved approved) {
            return new ApprovalResult.Approved(
                    submitter.submit(approved.request().id()));
        }
        return result;
    }

    public ApprovalResult reject(UUID id, Caller approver, String comment) {
        return transactions.execute(tx -> vote(id, approver, comment, false));
    }

    /** Expires every pending request whose deadline has passed; returns how many. Safe on several instances at once. */
    public int expireDue(int batch) {
        int expired = 0;
        while (true) {
            Integer done = transactions.execute(tx -> {
                Instant now = clock.instant();
                List<UUID> due = approvals.claimDue(now, batch);
                due.forEach(id -> expire(requests.lock(id).orElseThrow(), now));
                return due.size();
            });
            expired += done;
            if (done < batch) {
                return expired;
            }
        }
    }

    private ApprovalResult vote(UUID id, Caller approver, String comment, boolean approve) {
        StoredRequest found = requests.find(id)
                .orElseThrow(() -> refused(ApprovalRefusedException.Why.NOT_FOUND, "no request " + id, null));
        requests.lockAgent(found.agentId());
        StoredRequest request = requests.lock(id).orElseThrow();
        Instant now = clock.instant();
        if (request.status() != RequestStatus.PENDING_APPROVAL) {
            throw refused(
                    ApprovalRefusedException.Why.NOT_PENDING,
                    "request " + id + " is " + request.status()
                            + ", not pending approval; nothing was recorded or signed",
                    request.status());
        }
        if (!now.isBefore(request.approvalDeadline().orElseThrow())) {
            return new ApprovalResult.Expired(expire(request, now));
        }
        if (approver.agentId().map(request.agentId()::equals).orElse(false)
                || approver.id().equals(request.agentId().value())) {
            throw refused(
                    ApprovalRefusedException.Why.OWN_REQUEST,
                    "an agent can never approve its own request",
                    request.status());
        }
        if (!approvals.record(id, approver.id(), approve ? "APPROVE" : "REJECT", comment, now)) {
            throw refused(
                    ApprovalRefusedException.Why.ALREADY_DECIDED,
                    approver.id() + " has already decided request " + id + "; an approver counts once",
                    request.status());
        }
        int count = approvals.approvals(id);
        int required = request.approvalsRequired().orElseThrow();
        // The final approval simulates and judges again (screening may ask an on-chain oracle). Those network
        // calls come before any audit record is appended, so the deployment-wide audit lock is never held
        // across them; a chain failure rolls the whole vote back and the approver can simply vote again.
        Optional<Recheck> fresh =
                approve && count >= required ? Optional.of(judgeAgain(request, now)) : Optional.empty();
        if (fresh.isPresent()) {
            // The re-check judges by the version active now; if that version asks for more approvers, this
            // vote is not the final one after all.
            int requiredNow = fresh.get()
                    .judgement()
                    .policy()
                    .approvals()
                    .required(fresh.get().judgement().charges().total());
            if (requiredNow > required) {
                required = requiredNow;
                fresh = Optional.empty();
            }
        }
        Actor by = Actor.person(approver.id());
        if (!approve) {
            return new ApprovalResult.Rejected(transitions
                    .apply(request, new RequestEvent.Rejected(approver.id(), comment, count, required), by, now)
                    .request());
        }
        // Every approval is recorded, the final one too; a raised quorum is recorded with it.
        StoredRequest voted = transitions
                .apply(request, new RequestEvent.ApprovalVoted(approver.id(), comment, count, required), by, now)
                .request();
        if (count < required) {
            return new ApprovalResult.Recorded(voted, count, required);
        }
        return recheck(voted, by, fresh.orElseThrow(), now);
    }

    /** A fresh simulation of the request and the judgement of it, for the final approval. */
    private record Recheck(
            ContractCall call,
            Simulation simulation,
            RequestJudge.Judgement judgement,
            Optional<SafeRequests.Recheck> safe) {
        Recheck(ContractCall call, Simulation simulation, RequestJudge.Judgement judgement) {
            this(call, simulation, judgement, Optional.empty());
        }
    }

    private Recheck judgeAgain(StoredRequest request, Instant now) {
        Agent agent = agents.find(request.agentId(), request.walletId()).orElseThrow();
        if (request.requestKind().signsTypedData()) {
            // Nothing to simulate: the typed data states what it does. Read again, with today's domain check.
            Recognised recognised = signatures.recognise(agent.walletAddress(), request);
            ContractCall equivalent = request.callFrom(agent.walletAddress());
            Simulation read = SignatureRequests.simulation(recognised);
            return new Recheck(
                    equivalent,
                    read,
                    judge.judgeSignature(agent, equivalent, read, recognised.terms(), now, Optional.of(request.id())));
        }
        if (request.requestKind() == RequestKind.SAFE_TRANSACTION) {
            // Read again, the hard rules and the Safe on chain included, and simulated again from the relayer
            // exactly as it would be sent: co-signed only once this passes.
            SafeRequests.Recheck safe = safes.recheck(request, agent);
            return new Recheck(
                    safe.firstCall(),
                    safe.asTheSafe(),
                    judge.judgeSafe(
                            agent,
                            safe.calls(),
                            safe.asTheSafe(),
                            request.fee(),
                            safe.terms(),
                            now,
                            Optional.of(request.id())),
                    Optional.of(safe));
        }
        ContractCall call = request.callFrom(agent.walletAddress());
        // Simulated and judged with the gas recorded at escalation: that is what will be signed. Fees that rose
        // past its max fee since make the simulation fail (max fee below the base fee), and the re-check with it.
        // (A request escalated before fees were judged has none recorded: it is quoted now, as it will be at signing.)
        Simulation simulation = request.fee().isPresent()
                ? simulations.simulate(call, request.fee().get())
                : simulations.quoteAndSimulate(call).simulation();
        return new Recheck(
                call, simulation, judge.judge(agent, call, simulation, request.fee(), now, Optional.of(request.id())));
    }

    /** The final approval: simulate again, judge again, and let it through only if nothing that matters changed. */
    private ApprovalResult recheck(StoredRequest request, Actor approver, Recheck recheck, Instant now) {
        Simulation simulation = recheck.simulation();
        RequestJudge.Judgement judgement = recheck.judgement();
        List<ReasonView> denials = judgement.decision().reasons().stream()
                .filter(r -> r.verdict() == Verdict.DENY)
                .map(ReasonView::of)
                .toList();
        List<EffectView> effects =
                judgement.effects().effects().stream().map(EffectView::of).toList();
        Set<String> seen = escalationKeys(request.reasons());
        List<ReasonView> unseen = judgement.decision().reasons().stream()
                .filter(r -> r.verdict() == Verdict.ESCALATE)
                .map(ReasonView::of)
                .filter(r -> !seen.contains(key(r)))
                .toList();

        String failure = null;
        if (!denials.isEmpty()) {
            failure = "the re-check at approval denied it: "
                    + denials.stream()
                            .map(r -> r.ruleId() + " (" + r.message() + ")")
                            .collect(Collectors.joining("; "));
        } else if (!effects.equals(request.effects())) {
            failure = "the transaction would now do something other than what the approvers saw; nothing was signed";
        } else if (!unseen.isEmpty()) {
            failure = "the re-check at approval found reasons the approvers did not see: "
                    + unseen.stream()
                            .map(r -> r.ruleId() + " (" + r.message() + ")")
                            .collect(Collectors.joining("; "));
        }
        RequestEvent.Resimulated resimulated = simulation instanceof Simulation.Reverted r
                ? new RequestEvent.Resimulated(Optional.empty(), Optional.of(r.reason()))
                : new RequestEvent.Resimulated(Optional.of(effects), Optional.empty());
        Optional<RequestSteps.Screened> screening = judgement.screening().map(RequestSteps.Screened::of);
        Optional<RequestEvent.TeamVersion> team =
                judgement.team().map(t -> new RequestEvent.TeamVersion(t.team(), t.version()));
        List<ReasonView> reasons =
                judgement.decision().reasons().stream().map(ReasonView::of).toList();
        String policyVersion = judgement.policy().version();
        if (failure != null) {
            return new ApprovalResult.RecheckFailed(transitions
                    .apply(
                            request,
                            new RequestEvent.ApprovalRecheckFailed(
                                    resimulated, screening, policyVersion, team, reasons, failure),
                            approver,
                            now)
                    .request());
        }
        // A Safe transaction is co-signed now, with exactly what the re-check simulated.
        recheck.safe().ifPresent(safe -> safes.recordCoSigned(request.id(), safe));
        // The money moves now, not when the request was escalated: its reservation is renewed from now,
        // against the team checked now.
        return new ApprovalResult.Approved(transitions
                .apply(
                        request,
                        new RequestEvent.Approved(resimulated, screening, policyVersion, team, reasons),
                        approver,
                        now)
                .request());
    }

    private StoredRequest expire(StoredRequest request, Instant now) {
        return transitions
                .apply(
                        request,
                        new RequestEvent.ApprovalExpired(
                                request.approvalDeadline().orElseThrow(), approvals.approvals(request.id())),
                        Actor.GUARDIAN,
                        now)
                .request();
    }

    private static Set<String> escalationKeys(List<ReasonView> reasons) {
        return reasons.stream()
                .filter(r -> r.verdict().equals(Verdict.ESCALATE.name()))
                .map(ApprovalService::key)
                .collect(Collectors.toSet());
    }

    private static String key(ReasonView reason) {
        return reason.ruleId() + "|" + reason.subject();
    }

    private static ApprovalRefusedException refused(
            ApprovalRefusedException.Why why, String message, RequestStatus status) {
        return new ApprovalRefusedException(why, message, Optional.ofNullable(status));
    }
}
