package dev.guardian.service.api;

import dev.guardian.policy.AgentId;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.WalletId;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.service.agents.Agent;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.identity.Role;
import dev.guardian.service.requests.AgentRequest;
import dev.guardian.service.requests.BudgetReport;
import dev.guardian.service.requests.ReasonView;
import dev.guardian.service.requests.RequestOutcome;
import dev.guardian.service.requests.RequestPipeline;
import dev.guardian.service.requests.RequestStatus;
import dev.guardian.service.requests.RequestStore;
import dev.guardian.service.requests.SignedTypedData;
import dev.guardian.service.requests.StoredRequest;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The agent API. A request the policy allows or escalates is answered 202 with the request; one it
 * denies is answered 403 {@code policy-denied}, and one whose simulation reverts 422
 * {@code simulation-reverted}, each with the request id and every reason. A retry with the same
 * {@code Idempotency-Key} gets the same kind of answer for the same request, marked
 * {@code Idempotent-Replayed: true}.
 */
@RestController
@RequiresRole(Role.AGENT)
@RequestMapping(
        path = "/v1",
        produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
class AgentController {
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final int MAX_WAIT_SECONDS = 60;
    private static final long WAIT_POLL_MILLIS = 200;
    private static final Pattern IDEMPOTENCY_KEY_FORM = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final RequestPipeline pipeline;
    private final RequestStore store;
    private final BudgetReport budgets;
    private final AssetRegistry assets;
    private final AgentDirectory agents;
    private final WalletBalances balances;
    private final RequestViews views;

    AgentController(
            RequestPipeline pipeline,
            RequestStore store,
            BudgetReport budgets,
            AssetRegistry assets,
            AgentDirectory agents,
            WalletBalances balances,
            RequestViews views) {
        this.views = views;
        this.agents = agents;
        this.balances = balances;
        this.pipeline = pipeline;
        this.store = store;
        this.budgets = budgets;
        this.assets = assets;
    }

    @PostMapping(path = "/payments", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> pay(
            @RequestAttribute(AgentAuthentication.AGENT_ATTRIBUTE) AgentId agent,
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
            @Valid @RequestBody PaymentBody body) {
        AgentRequest request = body.toRequest(assets, "");
        return answer(pipeline.handle(agent, idempotencyKey(idempotencyKey), wallet(body.walletId()), request));
    }

    @PostMapping(path = "/contract-calls", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> call(
            @RequestAttribute(AgentAuthentication.AGENT_ATTRIBUTE) AgentId agent,
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) String idempotencyKey,
            @Valid @RequestBody ContractCallBody body) {
        AgentRequest request = body.toRequest(assets, "");
        return answer(pipeline.handle(agent, idempotencyKey(idempotencyKey), wallet(body.walletId()), request));
    }

    /**
     * Reads a request. With {@code waitWhile=STATUS} (and {@code waitSeconds}, at most 60) the answer is
     * held until the status is no longer {@code STATUS} or the wait is over, so an agent can wait for a
     * decision without hammering the API; the answer is the request as it stands either way. An agent reads
     * its own requests only; the treasury (and administrators) read any, to follow the treasury actions they
     * asked for and the agents they run.
     */
    @GetMapping("/requests/{id}")
    @RequiresRole({Role.AGENT, Role.TREASURY, Role.ADMIN})
    RequestView request(
            @RequestAttribute(name = AgentAuthentication.AGENT_ATTRIBUTE, required = false) AgentId agent,
            @PathVariable String id,
            @RequestParam(required = false) String waitWhile,
            @RequestParam(defaultValue = "0") int waitSeconds)
            throws InterruptedException {
        UUID uuid = RequestIds.parse(id, "no request " + id);
        if (waitSeconds < 0 || waitSeconds > MAX_WAIT_SECONDS) {
            throw new ApiExceptions.InvalidField("/query/waitSeconds", "must be between 0 and " + MAX_WAIT_SECONDS);
        }
        RequestStatus waitingOn = null;
        if (waitWhile != null) {
            try {
                waitingOn = RequestStatus.valueOf(waitWhile);
            } catch (IllegalArgumentException e) {
                throw new ApiExceptions.InvalidField(
                        "/query/waitWhile", "must be a request status such as PENDING_APPROVAL");
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
        while (true) {
            // Another agent's request is "not found", not "forbidden": ids are not an oracle.
            StoredRequest current = store.find(uuid)
                    .filter(r -> agent == null || r.agentId().equals(agent))
                    .orElseThrow(() -> new ApiExceptions.NotFound("no request " + id));
            if (waitingOn == null || current.status() != waitingOn || System.nanoTime() >= deadline) {
                return views.of(current);
            }
            // Requests run on virtual threads: a sleeping wait holds no platform thread.
            Thread.sleep(WAIT_POLL_MILLIS);
        }
    }

    private static Optional<WalletId> wallet(String walletId) {
        return Optional.ofNullable(walletId).map(WalletId::new);
    }

    /** The agent's wallet ({@code walletId} names one of several; without it, the first) and its balances. */
    @GetMapping("/wallet")
    WalletView wallet(
            @RequestAttribute(AgentAuthentication.AGENT_ATTRIBUTE) AgentId agent,
            @RequestParam(required = false) String walletId) {
        Optional<WalletId> named;
        try {
            named = wallet(walletId);
        } catch (IllegalArgumentException e) {
            throw new ApiExceptions.InvalidField("/query/walletId", e.getMessage());
        }
        Agent found = named.map(w -> agents.find(agent, w))
                .orElseGet(() -> agents.find(agent))
                .orElseThrow(() -> new ApiExceptions.NotFound(
                        named.map(w -> "agent has no wallet " + w).orElse("agent has no wallet")));
        return balances.view(found.walletId().value(), found.walletAddress());
    }

    @GetMapping("/budget")
    BudgetReport.Report budget(@RequestAttribute(AgentAuthentication.AGENT_ATTRIBUTE) AgentId agent) {
        return budgets.of(agent);
    }

    static Optional<String> idempotencyKey(String header) {
        if (header == null) {
            return Optional.empty();
        }
        if (!IDEMPOTENCY_KEY_FORM.matcher(header).matches()) {
            throw new ApiExceptions.InvalidField(
                    "/headers/Idempotency-Key", "must be 1-128 characters of letters, digits, '.', '_', ':' or '-'");
        }
        return Optional.of(header);
    }

    static ResponseEntity<?> answer(RequestOutcome outcome) {
        return answer(outcome, RequestView::of);
    }

    /** As {@link #answer(RequestOutcome)}, with the request shown by {@code view}. */
    static ResponseEntity<?> answer(RequestOutcome outcome, Function<StoredRequest, RequestView> view) {
        StoredRequest request = outcome.request();
        ResponseEntity.BodyBuilder response;
        Object body;
        if (request.verdict() == Verdict.DENY) {
            boolean reverted = request.revertReason().isPresent();
            HttpStatus status = reverted ? HttpStatus.UNPROCESSABLE_CONTENT : HttpStatus.FORBIDDEN;
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                    status,
                    request.reasons().stream()
                            .filter(r -> r.verdict().equals("DENY"))
                            .map(ReasonView::message)
                            .findFirst()
                            .orElse("denied"));
            problem.setType(reverted ? ProblemTypes.SIMULATION_REVERTED : ProblemTypes.POLICY_DENIED);
            problem.setTitle(reverted ? "Simulation reverted" : "Denied by policy");
            problem.setInstance(URI.create("/v1/requests/" + request.id()));
            problem.setProperty("requestId", request.id().toString());
            problem.setProperty("reasons", request.reasons());
            problem.setProperty("effects", request.effects());
            problem.setProperty("policyVersion", request.policyVersion());
            response = ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON);
            body = problem;
        } else if (request.typedData().flatMap(SignedTypedData::signature).isPresent()) {
            // Signed at once: the signature is in the answer; nothing is pending on Guardian's side.
            response = ResponseEntity.ok()
                    .location(URI.create("/v1/requests/" + request.id()))
                    .contentType(MediaType.APPLICATION_JSON);
            body = view.apply(request);
        } else {
            response = ResponseEntity.accepted()
                    .location(URI.create("/v1/requests/" + request.id()))
                    .contentType(MediaType.APPLICATION_JSON);
            body = view.apply(request);
        }
        if (outcome.replayed()) {
            response.header("Idempotent-Replayed", "true");
        }
        return response.body(body);
    }
}
