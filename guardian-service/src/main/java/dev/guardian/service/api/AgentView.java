package dev.guardian.service.api;

import dev.guardian.service.agents.AgentSummary;
import java.util.List;

/** An agent as the treasury API shows it: never a key or a token. */
record AgentView(
        String id,
        String name,
        String status,
        boolean frozen,
        String team,
        Integer policyVersion,
        String createdAt,
        String createdBy,
        List<Wallet> wallets) {

    record Wallet(String walletId, String address) {}

    static AgentView of(AgentSummary agent) {
        return new AgentView(
                agent.id().value(),
                agent.name(),
                agent.status().name(),
                agent.frozen(),
                agent.team().orElse(null),
                agent.policyVersion().orElse(null),
                agent.createdAt().toString(),
                agent.createdBy(),
                agent.wallets().stream()
                        .map(w -> new Wallet(w.id(), w.address().toString()))
                        .toList());
    }
}
