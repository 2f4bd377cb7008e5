package dev.guardian.service.api;

import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.rules.ContractRules;
import dev.guardian.policy.rules.DecodedCall;
import dev.guardian.policy.rules.Policy;
import dev.guardian.policy.rules.WalletCall;
import dev.guardian.service.approvals.ApprovalRefusedException;
import dev.guardian.service.approvals.ApprovalResult;
import dev.guardian.service.approvals.ApprovalService;
import dev.guardian.service.approvals.ApprovalStore;
import dev.guardian.service.identity.Caller;
import dev.guardian.service.identity.Role;
import dev.guardian.service.policies.PolicyVersions;
import dev.guardian.service.requests.BudgetReport;
import dev.guardian.service.requests.RequestStatus;
import dev.guardian.service.requests.RequestStore;
import dev.guardian.service.requests.StoredRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The approvers' API: list pending requests, open one with everything needed to decide (what the
 * simulation says it would do, the call decoded by the ABI its policy gives, why it was escalated, the
 * budget before and after, the deadline, the votes so far), approve or reject it with a comment. Refusals are 409 {@code approval-not-possible}.
 */
@RestController
@RequiresRole(Role.APPROVER)
@RequestMapping(
        path = "/v1/approvals",
        produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
class ApprovalController {
    private static final int LIST_LIMIT = 200;

    private final ApprovalService approvals;
    private final ApprovalStore votes;
    private final RequestStore requests;
    private final BudgetReport budgets;
    private final PolicyVersions policies;

    ApprovalController(
            ApprovalService approvals,
            ApprovalStore votes,
            RequestStore requests,
            BudgetReport budgets,
            PolicyVersions policies) {
        this.approvals = approvals;
        this.votes = votes;
        this.requests = requests;
        this.budgets = budgets;
        this.policies = policies;
    }

    record VoteBody(@NotBlank @Size(max = 1000) String comment) {}

    record Review(
            RequestView request,
            CallView call,
            int approvalsRequired,
            int approvals,
            String deadline,
            List<ApprovalStore.Vote> votes,
            List<BudgetReport.Impact> budget) {}

    /**
     * The call decoded with the contract allowlist of the version that judged it: the contract's label, the
     * function's signature and each argument by its type; selector and raw words for what it does not list.
     */
    record CallView(String contract, String function, String selector, List<DecodedCall.Argument> arguments) {
        static CallView of(DecodedCall call) {
            return new CallView(
                    call.contract().orElse(null),
                    call.function().orElse(null),
                    call.selector().orElse(null),
                    call.arguments());
        }
    }

    record VoteResult(String outcome, int approvals, int approvalsRequired, RequestView request) {}

    @GetMapping
    List<Review> pending() {
        return votes.pending(LIST_LIMIT).stream().map(this::review).toList();
    }

    @GetMapping("/{id}")
    Review one(@PathVariable String id) {
        return review(parse(id));
    }

    @PostMapping(path = "/{id}/approve", consumes = MediaType.APPLICATION_JSON_VALUE)
    VoteResult approve(
            @RequestAttribute(AgentAuthentication.CALLER_ATTRIBUTE) Caller approver,
            @PathVariable String id,
            @Valid @RequestBody VoteBody body) {
        return result(approvals.approve(parse(id), approver, body.comment()));
    }

    @PostMapping(path = "/{id}/reject", consumes = MediaType.APPLICATION_JSON_VALUE)
    VoteResult reject(
            @RequestAttribute(AgentAuthentication.CALLER_ATTRIBUTE) Caller approver,
            @PathVariable String id,
            @Valid @RequestBody VoteBody body) {
        return result(approvals.reject(parse(id), approver, body.comment()));
    }

    private Review review(UUID id) {
        StoredRequest request = requests.find(id).orElseThrow(() -> new ApiExceptions.NotFound("no request " + id));
        if (request.approvalsRequired().isEmpty()) {
            throw new ApiExceptions.NotFound("request " + id + " was never escalated");
        }
        boolean pending = request.status() == RequestStatus.PENDING_APPROVAL;
        List<ApprovalStore.Vote> cast = votes.votes(id);
        int approvals =
                (int) cast.stream().filter(v -> v.decision().equals("APPROVE")).count();
        return new Review(
                RequestView.of(request),
                CallView.of(DecodedCall.of(contractsThatJudged(request), walletCall(request))),
                request.approvalsRequired().get(),
                approvals,
                request.approvalDeadline().map(Object::toString).orElse(null),
                cast,
                pending ? budgets.impactOf(request.agentId(), id) : List.of());
    }

    private ContractRules contractsThatJudged(StoredRequest request) {
        try {
            return policies.policy(request.agentId(), Integer.parseInt(request.policyVersion()))
                    .map(Policy::contracts)
                    .orElse(ContractRules.none());
        } catch (NumberFormatException e) {
            return ContractRules.none(); // judged by a configured policy from before versions were numbered
        }
    }

    private static WalletCall walletCall(StoredRequest request) {
        return new WalletCall(request.to(), new TokenAmount(Asset.ether(), request.valueWei()), request.data());
    }

    private VoteResult result(ApprovalResult result) {
        StoredRequest request = result.request();
        if (result instanceof ApprovalResult.Expired) {
            // The vote came too late: the request has just been expired (and that is recorded); the vote is refused.
            throw new ApprovalRefusedException(
                    ApprovalRefusedException.Why.NOT_PENDING,
                    "request " + request.id() + " expired at its deadline "
                            + request.approvalDeadline().orElseThrow() + "; nothing was signed",
                    Optional.of(request.status()));
        }
        int required = request.approvalsRequired().orElse(0);
        int count = votes.approvals(request.id());
        String outcome = switch (result) {
            case ApprovalResult.Recorded r -> "RECORDED";
            case ApprovalResult.Approved a -> "APPROVED";
            case ApprovalResult.RecheckFailed f -> "RECHECK_FAILED";
            case ApprovalResult.Rejected r -> "REJECTED";
            case ApprovalResult.Expired e -> throw new IllegalStateException("handled above");
        };
        return new VoteResult(outcome, count, required, RequestView.of(request));
    }

    private static UUID parse(String id) {
        return RequestIds.parse(id, "no request " + id);
    }
}
