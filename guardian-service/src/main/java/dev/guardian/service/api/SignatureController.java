package dev.guardian.service.api;

import dev.guardian.policy.AgentId;
import dev.guardian.policy.WalletId;
import dev.guardian.service.identity.Role;
import dev.guardian.service.requests.RequestPipeline;
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
 */
@RestController
@RequiresRole(Role.AGENT)
@RequestMapping(
        path = "/v1",
        produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
class SignatureController {
    private final RequestPipeline pipeline;

    SignatureController(RequestPipeline pipeline) {
        this.pipeline = pipeline;
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
