package dev.guardian.policy.rules;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.effects.SimulatedEffects;
import dev.guardian.policy.effects.SimulationOutcome;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the rules may look at for one request; nothing else reaches them.
 *
 * @param allAgentsFrozen whether the deployment-wide kill switch is engaged
 * @param otherWallets    the agent's wallets other than the one this request pays from
 * @param simulation      what simulating the request showed; only a successful one has effects
 * @param screening       the screening of every touched address; absent when the simulation did not
 *                        succeed (nothing it would touch is known, and nothing moves)
 * @param team            the budgets of the agent's team, if it has one
 * @param teamSpending    what the whole team has spent or reserved (empty without a team)
 */
public record Evaluation(
        AgentId agent,
        boolean agentFrozen,
        boolean allAgentsFrozen,
        Address wallet,
        Set<Address> otherWallets,
        SimulationOutcome simulation,
        Optional<ScreeningResult> screening,
        Policy policy,
        SpendingState spending,
        Optional<TeamBudgets> team,
        SpendingState teamSpending,
        Instant now) {
    public Evaluation {
        Objects.requireNonNull(agent, "agent");
        Objects.requireNonNull(wallet, "wallet");
        otherWallets = Set.copyOf(otherWallets);
        Objects.requireNonNull(simulation, "simulation");
        Objects.requireNonNull(screening, "screening");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(spending, "spending");
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(teamSpending, "teamSpending");
        Objects.requireNonNull(now, "now");
        if (otherWallets.contains(wallet)) {
            throw new IllegalArgumentException("the paying wallet is not one of the agent's other wallets");
        }
        if (simulation instanceof SimulationOutcome.Succeeded && screening.isEmpty()) {
            throw new IllegalArgumentException("what a successful simulation touches is screened before it is judged");
        }
    }

    /** A successful simulation with these effects, screened, for an agent with no other wallet. */
    public Evaluation(
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
        this(
                agent,
                agentFrozen,
                allAgentsFrozen,
                wallet,
                Set.of(),
                new SimulationOutcome.Succeeded(effects),
                Optional.of(screening),
                policy,
                spending,
                team,
                teamSpending,
                now);
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

    /** The effects the rules judge: the successful simulation's, or none. */
    public SimulatedEffects effects() {
        return simulation.effects();
    }
}
