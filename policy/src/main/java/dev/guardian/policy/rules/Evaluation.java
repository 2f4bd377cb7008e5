package dev.guardian.policy.rules;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.effects.SimulatedEffects;
import java.time.Instant;
import java.util.Objects;

/** Everything the rules may look at for one request; nothing else reaches them. */
public record Evaluation(
        AgentId agent,
        boolean agentFrozen,
        Address wallet,
        SimulatedEffects effects,
        ScreeningResult screening,
        Policy policy,
        SpendingState spending,
        Instant now) {
    public Evaluation {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(wallet, "wallet");
        Objects.requireNonNull(effects, "effects");
        Objects.requireNonNull(screening, "screening");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(spending, "spending");
        Objects.requireNonNull(now, "now");
    }
}
