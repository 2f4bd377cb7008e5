package dev.guardian.service.api;

import dev.guardian.policy.AgentId;
import dev.guardian.policy.WalletId;
import dev.guardian.service.agents.AgentChangeRefusedException;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.agents.AgentSummary;
import dev.guardian.service.audit.Actor;
import dev.guardian.service.identity.Caller;
import dev.guardian.service.identity.IssuedToken;
import dev.guardian.service.identity.Role;
import dev.guardian.service.policies.PolicyDocument;
import dev.guardian.service.reconciliation.WalletReconciler;
import jakarta.validation.Valid;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The treasury team's API for agents and their wallets: create an agent with its first policy, list
 * them, freeze and unfreeze, rotate or revoke an agent's token, move it between teams, retire it, and
 * give it a wallet (generated, or a key imported once) whose balances and reconciliation with the chain
 * it then lists. Reads are open to auditors too; every change is audited with the person who made it.
 */
@RestController
@RequestMapping(
        path = "/v1",
        produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
@RequiresRole({Role.TREASURY, Role.ADMIN})
class TreasuryController {
    private static final int OUTFLOWS_SHOWN = 100;

    private final AgentDirectory agents;
    private final PolicyBodies policyBodies;
    private final WalletBalances balances;
    private final WalletReconciler reconciler;

    TreasuryController(
            AgentDirectory agents, PolicyBodies policyBodies, WalletBalances balances, WalletReconciler reconciler) {
        this.agents = agents;
        this.policyBodies = policyBodies;
        this.balances = balances;
        this.reconciler = reconciler;
    }

    @PostMapping(path = "/agents", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<TreasuryBodies.CreatedAgent> create(
            @RequestAttribute(AgentAuthentication.CALLER_ATTRIBUTE) Caller caller,
            @Valid @RequestBody TreasuryBodies.NewAgent body) {
        PolicyDocument policy = policyBodies.parse(body.policy(), "/policy");
        String name = body.name() == null || body.name().isBlank()
                ? body.id()
                : body.name().strip();
        String comment =
                body.comment() == null ? "agent created" : body.comment().strip();
        AgentDirectory.Created created = refusals(() -> agents.create(
                new AgentId(body.id()), name, Optional.ofNullable(body.team()), policy, comment, actor(caller)));
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(new TreasuryBodies.CreatedAgent(
                        AgentView.of(created.agent()), created.token().token(), TreasuryBodies.TOKEN_NOTICE));
    }

    @GetMapping("/agents")
    @RequiresRole({Role.TREASURY, Role.ADMIN, Role.AUDITOR})
    List<AgentView> list() {
        return agents.list().stream().map(AgentView::of).toList();
    }

    @GetMapping("/agents/{agentId}")
    @RequiresRole({Role.TREASURY, Role.ADMIN, Role.AUDITOR})
    AgentView get(@PathVariable String agentId) {
        return AgentView.of(find(agentId));
    }

    @PostMapping(path = "/agents/{agentId}/freeze", consumes = MediaType.APPLICATION_JSON_VALUE)
    TreasuryBodies.Changed freeze(
            @RequestAttribute(AgentAuthentication.CALLER_ATTRIBUTE) Caller caller,
            @PathVariable String agentId,
            @Valid @RequestBody TreasuryBodies.Comment body) {
        AgentId id = find(agentId).id();
        boolean changed = refusals(() -> agents.setFrozen(id, true, body.text(), actor(caller)));
        return new TreasuryBodies.Changed(changed, AgentView.of(find(agentId)));
    }

    @PostMapping(path = "/agents/{agentId}/unfreeze", consumes = MediaType.APPLICATION_JSON_VALUE)
    TreasuryBodies.Changed unfreeze(
            @RequestAttribute(AgentAuthentication.CALLER_ATTRIBUTE) Caller caller,
            @PathVariable String agentId,
            @Valid @RequestBody TreasuryBodies.Comment body) {
        AgentId id = find(agentId).id();
        boolean changed = refusals(() -> agents.setFrozen(id, false, body.text(), actor(caller)));
        return new TreasuryBodies.Changed(changed, AgentView.of(find(agentId)));
    }

    @PostMapping(path = "/agents/{agentId}/retire", consumes = MediaType.APPLICATION_JSON_VALUE)
    AgentView retire(
            @RequestAttribute(AgentAuthentication.CALLER_ATTRIBUTE) Caller caller,
            @PathVariable String agentId,
            @Valid @RequestBody TreasuryBodies.RequiredComment body) {
        AgentId id = find(agentId).id();
        refusals(() -> {
            agents.retire(id, body.comment().strip(), actor(caller));
            return null;
        });
        return AgentView.of(find(agentId));
    }

    /** Rotates the agent's token: the new one is shown once; every earlier one fails from the next call. */
    @PostMapping("/agents/{agentId}/credentials")
    TreasuryBodies.Token rotate(
            @RequestAttribute(AgentAuthentication.CALLER_ATTRIBUTE) Caller caller, @PathVariable String agentId) {
        AgentId id = find(agentId).id();
        IssuedToken token = refusals(() -> agents.rotateToken(id, actor(caller)));
        return new TreasuryBodies.Token(
                id.value(), token.credentialId().toString(), token.token(), TreasuryBodies.TOKEN_NOTICE);
    }

    @DeleteMapping("/agents/{agentId}/credentials")
    TreasuryBodies.Revoked revoke(
            @RequestAttribute(AgentAuthentication.CALLER_ATTRIBUTE) Caller caller, @PathVariable String agentId) {
        AgentId id = find(agentId).id();
        return new TreasuryBodies.Revoked(id.value(), agents.revokeTokens(id, actor(caller)));
    }

    @PutMapping(path = "/agents/{agentId}/team", consumes = MediaType.APPLICATION_JSON_VALUE)
    AgentView team(
            @RequestAttribute(AgentAuthentication.CALLER_ATTRIBUTE) Caller caller,
            @PathVariable String agentId,
            @Valid @RequestBody TreasuryBodies.TeamMembership body) {
        AgentId id = find(agentId).id();
        refusals(() -> {
            agents.setTeam(
                    id,
                    Optional.ofNullable(body.team()),
                    body.comment() == null ? "" : body.comment().strip(),
                    actor(caller));
            return null;
        });
        return AgentView.of(find(agentId));
    }

    @PostMapping(path = "/agents/{agentId}/wallets", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<WalletView> createWallet(
            @RequestAttribute(AgentAuthentication.CALLER_ATTRIBUTE) Caller caller,
            @PathVariable String agentId,
            @Valid @RequestBody TreasuryBodies.NewWallet body) {
        AgentId id = find(agentId).id();
        WalletId walletId = new WalletId(body.walletId()); // the body's pattern is WalletId's
        Optional<byte[]> key = Optional.ofNullable(body.privateKey()).map(k -> k.getBytes(StandardCharsets.US_ASCII));
        AgentSummary.WalletAddress wallet;
        try {
            wallet = refusals(() -> agents.createWallet(id, walletId, key, actor(caller)));
        } catch (IllegalArgumentException invalidKey) {
            throw new ApiExceptions.InvalidField("/privateKey", invalidKey.getMessage());
        } finally {
            key.ifPresent(bytes -> Arrays.fill(bytes, (byte) 0));
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(balances.view(wallet.id(), wallet.address()));
    }

    @GetMapping("/agents/{agentId}/wallets")
    @RequiresRole({Role.TREASURY, Role.ADMIN, Role.AUDITOR})
    List<WalletView> wallets(@PathVariable String agentId) {
        return find(agentId).wallets().stream()
                .map(w -> balances.view(w.id(), w.address()))
                .toList();
    }

    /**
     * How far the wallet is reconciled with the chain (the last block, the nonce there) and the outflows
     * found outside Guardian, newest first (at most {@value #OUTFLOWS_SHOWN}); read from the database only.
     */
    @GetMapping("/agents/{agentId}/wallets/{walletId}/reconciliation")
    @RequiresRole({Role.TREASURY, Role.ADMIN, Role.AUDITOR})
    WalletReconciliationView reconciliation(@PathVariable String agentId, @PathVariable String walletId) {
        AgentSummary agent = find(agentId);
        AgentSummary.WalletAddress wallet = agent.wallets().stream()
                .filter(w -> w.id().equals(walletId))
                .findFirst()
                .orElseThrow(() -> new ApiExceptions.NotFound("agent " + agentId + " has no wallet " + walletId));
        WalletId id = new WalletId(wallet.id());
        return WalletReconciliationView.of(
                agent.id().value(),
                agent.frozen(),
                wallet.id(),
                wallet.address(),
                reconciler.checkpoint(id),
                reconciler.unexplainedCount(id),
                reconciler.outflows(id, OUTFLOWS_SHOWN));
    }

    /** Every wallet of every agent with its balances read from the chain now. */
    @GetMapping("/wallets")
    @RequiresRole({Role.TREASURY, Role.ADMIN, Role.AUDITOR})
    List<AgentWallets> allWallets() {
        return agents.list().stream()
                .map(a -> new AgentWallets(
                        a.id().value(),
                        a.wallets().stream()
                                .map(w -> balances.view(w.id(), w.address()))
                                .toList()))
                .toList();
    }

    record AgentWallets(String agentId, List<WalletView> wallets) {}

    private AgentSummary find(String agentId) {
        AgentId id;
        try {
            id = new AgentId(agentId);
        } catch (IllegalArgumentException e) {
            throw new ApiExceptions.NotFound("no agent " + agentId);
        }
        return agents.describe(id).orElseThrow(() -> new ApiExceptions.NotFound("no agent " + agentId));
    }

    static Actor actor(Caller caller) {
        return Actor.person(caller.id());
    }

    /** Runs a change and turns the directory's refusals into 409 problems. */
    static <T> T refusals(Supplier<T> change) {
        try {
            return change.get();
        } catch (AgentChangeRefusedException e) {
            if (e.problem().equals("unknown-team")) {
                throw new ApiExceptions.InvalidField("/team", e.getMessage());
            }
            throw new ApiExceptions.Conflict(e.problem(), e.getMessage());
        }
    }
}
