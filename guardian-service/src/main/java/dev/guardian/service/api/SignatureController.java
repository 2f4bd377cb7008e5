package dev.guardian.service.api;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.WalletId;
import dev.guardian.service.agents.Agent;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.identity.Role;
import dev.guardian.service.requests.AgentRequest;
import dev.guardian.service.requests.AuthorizationWatcher;
import dev.guardian.service.requests.RequestOutcome;
import dev.guardian.service.requests.RequestPipeline;
import dev.guardian.service.requests.RequestStatus;
import dev.guardian.service.requests.X402Requests;
import dev.guardian.service.x402.X402FormatException;
import jakarta.validation.Valid;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Signatures without a transaction, for agents: EIP-712 typed data (EIP-3009 authorizations, EIP-2612 and
 * Permit2 permits, and messages the agent's policy lists), judged by what the signature would let others do
 * and answered like a payment: 200 with the signature once signed, 202 while people decide, 403
 * {@code policy-denied} with every reason. Guardian never signs a raw hash or a {@code personal_sign} text.
 * x402 payments are the same, with the authorization built by Guardian from the seller's 402 answer.
 */
@RestController
@RequiresRole(Role.AGENT)
@RequestMapping(
        path = "/v1",
        produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
class SignatureController {
    private final RequestPipeline pipeline;
    private final X402Requests x402;
    private final RequestViews views;
    private final AuthorizationWatcher watcher;
    private final AgentDirectory agents;

    SignatureController(
            RequestPipeline pipeline,
            X402Requests x402,
            RequestViews views,
            AuthorizationWatcher watcher,
            AgentDirectory agents) {
        this.pipeline = pipeline;
        this.x402 = x402;
        this.views = views;
        this.watcher = watcher;
        this.agents = agents;
    }

    /**
     * Pays an x402 resource: the agent hands over the seller's 402 answer; Guardian picks the requirement it
     * can pay, judges the payee, the price and the resource's origin with the agent's policy, signs the EIP-3009
     * authorization and answers with the header to retry with ({@code x402.header}, {@code x402.value}). A retry
     * under the same Idempotency-Key is answered with the same signature, after asking the chain whether it was
     * used meanwhile (then the request is CONFIRMED: the resource was paid for; do not pay again).
     */
    @PostMapping(path = "/x402/payments", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> payX402(
            @RequestAttribute(AgentAuthentication.AGENT_ATTRIBUTE) AgentId agent,
            @RequestHeader(name = AgentController.IDEMPOTENCY_KEY, required = false) String idempotencyKey,
            @Valid @RequestBody X402Body body) {
        Optional<WalletId> wallet = Optional.ofNullable(body.walletId()).map(WalletId::new);
        boolean header =
                body.paymentRequired() != null && !body.paymentRequired().isBlank();
        if (!header && (body.body() == null || body.body().isBlank())) {
            throw new ApiExceptions.InvalidField(
                    "/paymentRequired",
                    "pass the 402 answer: its PAYMENT-REQUIRED header value (x402 v2) as paymentRequired, or its"
                            + " JSON body (x402 v1) as body");
        }
        Address payer = agents.withWallets(agent).stream()
                .filter(a -> wallet.map(a.walletId()::equals).orElse(true))
                .findFirst()
                .map(Agent::walletAddress)
                .orElse(Address.ZERO); // no such wallet: the pipeline says so, with the agent's wallets
        AgentRequest.X402Payment payment;
        try {
            payment =
                    x402.payment(payer, body.resource(), header ? body.paymentRequired() : body.body(), header ? 2 : 1);
        } catch (X402FormatException e) {
            throw new ApiExceptions.InvalidField(header ? "/paymentRequired" : "/body", e.getMessage());
        } catch (X402Requests.NotPayableException e) {
            throw new ApiExceptions.InvalidField(e.pointer(), e.getMessage());
        }
        RequestOutcome outcome =
                pipeline.handleSignature(agent, AgentController.idempotencyKey(idempotencyKey), wallet, payment);
        if (outcome.replayed() && outcome.request().status() == RequestStatus.AUTHORIZED) {
            outcome = new RequestOutcome(watcher.checkNow(outcome.request().id()), true);
        }
        ResponseEntity<?> answer = AgentController.answer(outcome);
        if (answer.getBody() instanceof RequestView) {
            return ResponseEntity.status(answer.getStatusCode())
                    .headers(answer.getHeaders())
                    .body(views.of(outcome.request()));
        }
        return answer;
    }

    @PostMapping(path = "/typed-data-signatures", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> sign(
            @RequestAttribute(AgentAuthentication.AGENT_ATTRIBUTE) AgentId agent,
            @RequestHeader(name = AgentController.IDEMPOTENCY_KEY, required = false) String idempotencyKey,
            @Valid @RequestBody TypedDataBody body) {
        return AgentController.answer(pipeline.handleSignature(
                agent,
                AgentController.idempotencyKey(idempotencyKey),
                Optional.ofNullable(body.walletId()).map(WalletId::new),
                body.toRequest()));
    }
}
