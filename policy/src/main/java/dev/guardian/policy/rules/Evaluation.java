package dev.guardian.policy.rules;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.effects.SimulatedEffects;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the rules may look at for one request; nothing else reaches them.
 *
 * @param allAgentsFrozen whether the deployment-wide kill switch is engaged
 * @param team            the budgets of the agent's team, if it has one
 * @param teamSpending    what the whole team has spent or reserved (empty without a team)
 */
public record Evaluation(
        AgentId agent,
        boolean agentFrozen,
        boolean allAgentsFrozen,
        Address wallet,
        SimulatedEffects effects,
        ScreeningResult screening,
        Policy policy,
        SpendingState spending,
        Optional<TeamBudgets> team,
        SpendingState teamSpending,
        Instant now) {
    public Evaluation {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(wallet, "wallet");
        Objects.requireNonNull(effects, "effects");
        Objects.requireNonNull(screening, "screening");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(spending, "spending");
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(teamSpending, "teamSpending");
        Objects.requireNonNull(now, "now");
    }

    /** An evaluation for an agent without a team, with the kill switch off. */
    public Evaluation(
            AgentId agent,
            boolean agentFrozen,
            Address wallet,
            SimulatedEffects effects,
            ScreeningResult screening,
            Policy policy,
            SpendingState spending,
            Instant now) {
        this(
                agent,
                agentFrozen,
                false,
                wallet,
                effects,
                screening,
                policy,
                spending,
                Optional.empty(),
                SpendingState.none(),
                now);
    }
}
