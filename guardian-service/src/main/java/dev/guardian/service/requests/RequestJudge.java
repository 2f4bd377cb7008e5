package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.decision.Decision;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.effects.Approval;
import dev.guardian.policy.effects.Effect;
import dev.guardian.policy.effects.SimulatedEffects;
import dev.guardian.policy.effects.Transfer;
import dev.guardian.policy.rules.Evaluation;
import dev.guardian.policy.rules.Policy;
import dev.guardian.policy.rules.PolicyEngine;
import dev.guardian.policy.rules.ScreeningResult;
import dev.guardian.policy.rules.SpendingState;
import dev.guardian.policy.rules.TeamBudgets;
import dev.guardian.service.agents.Agent;
import dev.guardian.service.agents.KillSwitch;
import dev.guardian.service.agents.Teams;
import dev.guardian.service.chain.ContractCall;
import dev.guardian.service.chain.Simulation;
import dev.guardian.service.policies.PolicyVersions;
import dev.guardian.service.sanctions.AddressScreen;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Judges one simulated call for one agent: screens every touched address and applies the agent's
 * active policy version, its team's budgets and the kill switch to the effects, with the spending read
 * now. Used when a request arrives and again when its final approval comes in, so both see exactly the
 * same rules, and by dry runs with a draft version. The policy version and team budgets are each read
 * once, so one request is judged wholly by one version. Call it under the agent's lock: the spending it
 * reads must not move before the caller records the outcome; it takes the team's lock itself.
 */
public class RequestJudge {
    private final AddressScreen sanctions;
    private final PolicyEngine engine;
    private final RequestStore store;
    private final PolicyVersions policies;
    private final Teams teams;
    private final KillSwitch killSwitch;
    private final AssetRegistry assets;

    public RequestJudge(
            AddressScreen sanctions,
            PolicyEngine engine,
            RequestStore store,
            PolicyVersions policies,
            Teams teams,
            KillSwitch killSwitch,
            AssetRegistry assets) {
        this.sanctions = sanctions;
        this.engine = engine;
        this.store = store;
        this.policies = policies;
        this.teams = teams;
        this.killSwitch = killSwitch;
        this.assets = assets;
    }

    /** The decision and what it was based on. */
    public record Judgement(
            Decision decision,
            SimulatedEffects effects,
            Optional<ScreeningResult> screening,
            Policy policy,
            Optional<TeamBudgets> team) {}

    /**
     * Judges with the agent's active policy version.
     *
     * @param excluding a request whose own reservation must not count against itself (a re-check at approval)
     */
    public Judgement judge(
            Agent agent, ContractCall call, Simulation simulation, Instant now, Optional<UUID> excluding) {
        return judge(policies.activePolicy(agent.id()), agent, call, simulation, now, excluding, true);
    }

    /**
     * Judges with {@code policy} (a draft, for a dry run) as if the request arrived now. Reserves, records
     * and locks nothing: the answer is what the decision would be, not a decision.
     */
    public Judgement judgeWith(Policy policy, Agent agent, ContractCall call, Simulation simulation, Instant now) {
        return judge(policy, agent, call, simulation, now, Optional.empty(), false);
    }

    /**
     * Judges a recorded request again with {@code policy}: its recorded effects, against the spending that
     * counted when it arrived (its own left out), screened with today's lists. A reverted simulation stays
     * a denial. Locks and changes nothing.
     */
    public Judgement rejudge(Policy policy, Agent agent, StoredRequest recorded) {
        Simulation simulation = recorded.revertReason()
                .<Simulation>map(Simulation.Reverted::new)
                .orElseGet(() -> new Simulation.Succeeded(
                        new SimulatedEffects(
                                recorded.effects().stream()
                                        .map(e -> e.toEffect(assets))
                                        .toList(),
                                Set.of()),
                        0));
        ContractCall call = recorded.callFrom(agent.walletAddress());
        Instant at = recorded.createdAt();
        return judge(policy, agent, call, simulation, at, Optional.of(recorded.id()), false, Optional.of(at));
    }

    private Judgement judge(
            Policy policy,
            Agent agent,
            ContractCall call,
            Simulation simulation,
            Instant now,
            Optional<UUID> excluding,
            boolean lockTeam) {
        return judge(policy, agent, call, simulation, now, excluding, lockTeam, Optional.empty());
    }

    /**
     * @param asOf when set, only spending recorded before this instant counts (judging the past)
     */
    private Judgement judge(
            Policy policy,
            Agent agent,
            ContractCall call,
            Simulation simulation,
            Instant now,
            Optional<UUID> excluding,
            boolean lockTeam,
            Optional<Instant> asOf) {
        Decision decision;
        SimulatedEffects effects;
        Optional<ScreeningResult> screening;
        Optional<TeamBudgets> team = agent.team().flatMap(teams::budgets);
        boolean allFrozen;
        switch (simulation) {
            case Simulation.Reverted reverted -> {
                effects = new SimulatedEffects(List.of(), Set.of());
                screening = Optional.empty();
                decision = Decision.of(List.of(
                        Reason.deny(RuleId.SIMULATION_REVERTED, "the transaction would revert: " + reverted.reason())));
                allFrozen = killSwitch.engaged();
            }
            case Simulation.Succeeded succeeded -> {
                effects = succeeded.effects();
                Set<Address> touched = new LinkedHashSet<>(effects.touched());
                touched.add(agent.walletAddress());
                touched.add(call.to());
                screening = Optional.of(sanctions.screen(touched));
                // Read after screening (which may ask an on-chain oracle): its shared lock is held to the commit,
                // and engaging the switch waits for it, so it is best taken late.
                allFrozen = killSwitch.engaged();
                SpendingState spending = before(
                        store.spendingSince(
                                agent.id(),
                                policy.budgetsCountAfter(now),
                                policy.counterpartyCapsCountAfter(now),
                                policy.transactionCountsCountAfter(now),
                                excluding),
                        asOf);
                SpendingState teamSpending = SpendingState.none();
                if (team.isPresent()) {
                    if (lockTeam) {
                        store.lockTeam(team.get().team());
                    }
                    Instant teamSince = team.get().countsAfter(now);
                    teamSpending = before(store.teamSpendingSince(team.get().team(), teamSince, excluding), asOf);
                }
                decision = evaluate(new Evaluation(
                        agent.id(),
                        agent.frozen(),
                        allFrozen,
                        agent.walletAddress(),
                        effects,
                        screening.get(),
                        policy,
                        spending,
                        team,
                        teamSpending,
                        now));
            }
        }
        List<Reason> reasons = new ArrayList<>(decision.reasons());
        reasons.addAll(otherWalletsMoved(agent, effects));
        // A frozen agent is refused even when its transaction would revert anyway.
        if (agent.frozen() && reasons.stream().noneMatch(r -> r.rule() == RuleId.AGENT_FROZEN)) {
            reasons.add(Reason.deny(RuleId.AGENT_FROZEN, "agent " + agent.id() + " is frozen"));
        }
        if (allFrozen && reasons.stream().noneMatch(r -> r.rule() == RuleId.ALL_AGENTS_FROZEN)) {
            reasons.add(Reason.deny(RuleId.ALL_AGENTS_FROZEN, "all agents are frozen (kill switch engaged)"));
        }
        return new Judgement(Decision.of(reasons), effects, screening, policy, team);
    }

    /**
     * Every effect that takes value out of, or grants an allowance over, another of the agent's wallets.
     * The rules judge what leaves the paying wallet; a pull from a sister wallet (an allowance it gave,
     * then {@code transferFrom}) would leave no trace there, so it is refused outright.
     */
    private static List<Reason> otherWalletsMoved(Agent agent, SimulatedEffects effects) {
        Set<Address> others = agent.otherWallets();
        if (others.isEmpty()) {
            return List.of();
        }
        Set<Address> moved = new LinkedHashSet<>();
        for (Effect effect : effects.effects()) {
            switch (effect) {
                case Transfer t -> {
                    if (others.contains(t.from())) {
                        moved.add(t.from());
                    }
                }
                case Approval a -> {
                    if (others.contains(a.owner())) {
                        moved.add(a.owner());
                    }
                }
            }
        }
        return moved.stream()
                .map(wallet -> Reason.deny(
                                RuleId.OTHER_WALLET_MOVED,
                                "this request would move value out of " + wallet
                                        + ", another of this agent's wallets; a request moves"
                                        + " money only out of the wallet it pays from (" + agent.walletAddress() + ")")
                        .about(wallet))
                .toList();
    }

    private static SpendingState before(SpendingState state, Optional<Instant> asOf) {
        if (asOf.isEmpty()) {
            return state;
        }
        Instant cut = asOf.get();
        return new SpendingState(
                state.spends().stream().filter(s -> s.at().isBefore(cut)).toList(),
                state.counterpartySpends().stream()
                        .filter(s -> s.at().isBefore(cut))
                        .toList(),
                state.transactions().stream().filter(t -> t.isBefore(cut)).toList());
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
            return Decision.of(List.of(Reason.deny(
                    RuleId.SIMULATION_UNDECODABLE,
                    "the simulated effects cannot be totalled (" + e.getMessage()
                            + "); Guardian cannot judge this transaction")));
        }
    }
}
