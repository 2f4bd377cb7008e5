package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.decision.Decision;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.effects.SimulatedEffects;
import dev.guardian.policy.rules.Evaluation;
import dev.guardian.policy.rules.Policy;
import dev.guardian.policy.rules.PolicyEngine;
import dev.guardian.policy.rules.ScreeningResult;
import dev.guardian.policy.rules.WindowBudget;
import dev.guardian.service.agents.Agent;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.chain.ContractCall;
import dev.guardian.service.chain.Simulation;
import dev.guardian.service.sanctions.AddressScreen;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Judges one simulated call for one agent: screens every touched address and applies the agent's
 * policy to the effects with the spending read now. Used when a request arrives and again when its
 * final approval comes in, so both see exactly the same rules. Call it under the agent's lock: the
 * spending it reads must not move before the caller records the outcome.
 */
public class RequestJudge {
    private final AgentDirectory agents;
    private final AddressScreen sanctions;
    private final PolicyEngine engine;
    private final RequestStore store;

    public RequestJudge(AgentDirectory agents, AddressScreen sanctions, PolicyEngine engine, RequestStore store) {
        this.agents = agents;
        this.sanctions = sanctions;
        this.engine = engine;
        this.store = store;
    }

    /** The decision and what it was based on. */
    public record Judgement(Decision decision, SimulatedEffects effects, Optional<ScreeningResult> screening, Policy policy) {}

    /**
     * @param excluding a request whose own reservation must not count against itself (a re-check at approval)
     */
    public Judgement judge(Agent agent, ContractCall call, Simulation simulation, Instant now, Optional<UUID> excluding) {
        Policy policy = agents.policyFor(agent.id());
        Decision decision;
        SimulatedEffects effects;
        Optional<ScreeningResult> screening;
        switch (simulation) {
            case Simulation.Reverted reverted -> {
                effects = new SimulatedEffects(List.of(), Set.of());
                screening = Optional.empty();
                decision = Decision.of(List.of(Reason.deny(RuleId.SIMULATION_REVERTED,
                        "the transaction would revert: " + reverted.reason())));
            }
            case Simulation.Succeeded succeeded -> {
                effects = succeeded.effects();
                Set<Address> touched = new LinkedHashSet<>(effects.touched());
                touched.add(agent.walletAddress());
                touched.add(call.to());
                screening = Optional.of(sanctions.screen(touched));
                decision = evaluate(new Evaluation(agent.id(), agent.frozen(), agent.walletAddress(), effects, screening.get(),
                        policy, store.spendingSince(agent.id(), now.minus(longestWindow(policy)), excluding), now));
            }
        }
        if (agent.frozen() && decision.reasons().stream().noneMatch(r -> r.rule() == RuleId.AGENT_FROZEN)) {
            // A frozen agent is refused even when its transaction would revert anyway.
            List<Reason> reasons = new ArrayList<>(decision.reasons());
            reasons.add(Reason.deny(RuleId.AGENT_FROZEN, "agent " + agent.id() + " is frozen"));
            decision = Decision.of(reasons);
        }
        return new Judgement(decision, effects, screening, policy);
    }

    /**
     * Applies the policy. Effects whose amounts cannot be added up (a token reporting transfers that
     * overflow 2^256) are not something Guardian can judge: that is a denial with its own rule id, not
     * an error.
     */
    private Decision evaluate(Evaluation evaluation) {
        try {
            evaluation.effects().outgoingTotals(evaluation.wallet());
            return engine.evaluate(evaluation);
        } catch (ArithmeticException e) {
            return Decision.of(List.of(Reason.deny(RuleId.SIMULATION_UNDECODABLE,
                    "the simulated effects cannot be totalled (" + e.getMessage() + "); Guardian cannot judge this transaction")));
        }
    }

    private static Duration longestWindow(Policy policy) {
        return policy.budgets().stream().map(WindowBudget::window).max(Duration::compareTo).orElse(Duration.ZERO);
    }
}
