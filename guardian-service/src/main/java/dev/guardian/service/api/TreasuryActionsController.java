package dev.guardian.service.api;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.WalletId;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.policy.effects.Approval;
import dev.guardian.service.agents.Agent;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.identity.Caller;
import dev.guardian.service.identity.Role;
import dev.guardian.service.requests.EffectView;
import dev.guardian.service.requests.ReasonView;
import dev.guardian.service.requests.StoredRequest;
import dev.guardian.service.requests.TreasuryActions;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Treasury actions that work when things go wrong: revoke an allowance an agent's wallet granted, sweep a
 * wallet's funds to the configured sweep address. Allowed while the agent is frozen, retired, or the kill
 * switch is engaged; judged by the narrow treasury check, not by the agent's policy; audited with the
 * person who asked. Accepted: 202 with the request (a sweep: one per asset), followed with
 * {@code GET /v1/requests/{id}}. Refused by the check: 403 {@code treasury-action-refused} (422
 * {@code simulation-reverted} if the call would revert) with every reason. Pointless or impossible in the
 * wallet's state: 409 {@code conflict/<why>}; nothing recorded.
 */
@RestController
@RequestMapping(
        path = "/v1/agents/{agentId}/wallets/{walletId}",
        produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
@RequiresRole({Role.TREASURY, Role.ADMIN})
class TreasuryActionsController {
    private final AgentDirectory agents;
    private final TreasuryActions actions;
    private final AssetRegistry assets;

    TreasuryActionsController(AgentDirectory agents, TreasuryActions actions, AssetRegistry assets) {
        this.agents = agents;
        this.actions = actions;
        this.assets = assets;
    }

    @PostMapping(path = "/revocations", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> revoke(
            @RequestAttribute(AgentAuthentication.CALLER_ATTRIBUTE) Caller caller,
            @PathVariable String agentId,
            @PathVariable String walletId,
            @Valid @RequestBody TreasuryBodies.Revocation body) {
        Agent wallet = wallet(agentId, walletId);
        Asset token = token(body.token());
        Approval.Kind kind = body.kind() == null ? Approval.Kind.ERC20 : Approval.Kind.valueOf(body.kind());
        StoredRequest request = actions.revoke(
                wallet,
                token,
                Address.parse(body.spender()),
                kind,
                body.comment().strip(),
                TreasuryController.actor(caller));
        if (request.verdict() == Verdict.DENY) {
            return refused(List.of(request));
        }
        return ResponseEntity.accepted()
                .location(URI.create("/v1/requests/" + request.id()))
                .contentType(MediaType.APPLICATION_JSON)
                .body(RequestView.of(request));
    }

    @PostMapping(path = "/sweeps", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> sweep(
            @RequestAttribute(AgentAuthentication.CALLER_ATTRIBUTE) Caller caller,
            @PathVariable String agentId,
            @PathVariable String walletId,
            @Valid @RequestBody TreasuryBodies.Sweep body) {
        Agent wallet = wallet(agentId, walletId);
        List<Asset> named = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (int i = 0; i < body.assets().size(); i++) {
            String symbol = body.assets().get(i).strip();
            String pointer = "/assets/" + i;
            if (!seen.add(symbol)) {
                throw new ApiExceptions.InvalidField(pointer, "'" + symbol + "' is named twice");
            }
            named.add(assets.bySymbol(symbol)
                    .orElseThrow(() -> new ApiExceptions.InvalidField(
                            pointer, "unknown asset '" + symbol + "'; a sweep moves registered assets, by symbol")));
        }
        TreasuryActions.SweepOutcome outcome =
                actions.sweep(wallet, named, body.comment().strip(), TreasuryController.actor(caller));
        if (outcome.refused()) {
            return refused(outcome.requests());
        }
        return ResponseEntity.accepted()
                .location(URI.create(
                        "/v1/requests/" + outcome.requests().getFirst().id()))
                .contentType(MediaType.APPLICATION_JSON)
                .body(new TreasuryBodies.SweepStarted(
                        outcome.sweepAddress().toString(),
                        outcome.requests().stream().map(RequestView::of).toList(),
                        outcome.skipped().stream()
                                .map(s -> new TreasuryBodies.SkippedAsset(s.asset(), s.reason()))
                                .toList()));
    }

    /** The agent with the wallet named; 404 for an unknown agent or a wallet that is not its own. */
    private Agent wallet(String agentId, String walletId) {
        try {
            return agents.find(new AgentId(agentId), new WalletId(walletId))
                    .orElseThrow(() -> new ApiExceptions.NotFound("agent " + agentId + " has no wallet " + walletId));
        } catch (IllegalArgumentException e) {
            throw new ApiExceptions.NotFound("agent " + agentId + " has no wallet " + walletId);
        }
    }

    /** A registered token by symbol, or any token by its address. */
    private Asset token(String token) {
        if (token.startsWith("0x") || token.startsWith("0X")) {
            try {
                return assets.token(Address.parse(token));
            } catch (IllegalArgumentException e) {
                throw new ApiExceptions.InvalidField("/token", e.getMessage());
            }
        }
        return assets.bySymbol(token)
                .filter(a -> !(a instanceof Asset.Native))
                .orElseThrow(() -> new ApiExceptions.InvalidField(
                        "/token",
                        "unknown token '" + token + "'; name a registered token's symbol or a token's address"));
    }

    /** The check's refusal: every reason of every refused request; 422 if the call would only revert. */
    private static ResponseEntity<ProblemDetail> refused(List<StoredRequest> requests) {
        List<StoredRequest> denied =
                requests.stream().filter(r -> r.verdict() == Verdict.DENY).toList();
        StoredRequest first = denied.getFirst();
        boolean reverted = denied.stream().allMatch(r -> r.revertReason().isPresent());
        HttpStatus status = reverted ? HttpStatus.UNPROCESSABLE_CONTENT : HttpStatus.FORBIDDEN;
        List<ReasonView> reasons =
                denied.stream().flatMap(r -> r.reasons().stream()).toList();
        List<EffectView> effects =
                denied.stream().flatMap(r -> r.effects().stream()).toList();
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                status,
                reasons.stream()
                        .filter(r -> r.verdict().equals("DENY"))
                        .map(ReasonView::message)
                        .findFirst()
                        .orElse("refused"));
        problem.setType(reverted ? ProblemTypes.SIMULATION_REVERTED : ProblemTypes.TREASURY_ACTION_REFUSED);
        problem.setTitle(reverted ? "Simulation reverted" : "Treasury action refused");
        problem.setInstance(URI.create("/v1/requests/" + first.id()));
        problem.setProperty("requestId", first.id().toString());
        problem.setProperty(
                "requests", denied.stream().map(r -> r.id().toString()).toList());
        problem.setProperty("reasons", reasons);
        problem.setProperty("effects", effects);
        problem.setProperty("policyVersion", first.policyVersion());
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem);
    }
}
