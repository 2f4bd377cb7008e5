package dev.guardian.service.agents;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** An agent as the treasury team sees it: never a key, never a token. */
public record AgentSummary(
        AgentId id,
        String name,
        Status status,
        boolean frozen,
        Optional<String> team,
        Optional<Integer> policyVersion,
        Instant createdAt,
        String createdBy,
        List<WalletAddress> wallets) {

    public enum Status {
        ACTIVE,
        RETIRED
    }

    public record WalletAddress(String id, Address address) {}
}
