package dev.guardian.policy.rules;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.effects.SimulatedEffects;
import dev.guardian.policy.effects.SimulationOutcome;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Evaluations for the property tests: a successful simulation with the given effects, reached by a plain
 * value transfer (so the contract allowlist has nothing to say), with no fee and no other wallet.
 */
final class Evaluations {
    static final WalletCall PLAIN_TRANSFER = new WalletCall(
            Address.parse("0x00000000000000000000000000000000000000ee"), TokenAmount.zero(Asset.ether()), new byte[0]);

    private Evaluations() {}

    static Evaluation of(
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
        return new Evaluation(
                agent,
                agentFrozen,
                allAgentsFrozen,
                wallet,
                Set.of(),
                PLAIN_TRANSFER,
                Optional.empty(),
                SimulationOutcome.of(effects),
                Optional.of(screening),
                policy,
                spending,
                team,
                teamSpending,
                now);
    }

    static Evaluation of(
            AgentId agent,
            boolean agentFrozen,
            Address wallet,
            SimulatedEffects effects,
            ScreeningResult screening,
            Policy policy,
            SpendingState spending,
            Instant now) {
        return of(
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
