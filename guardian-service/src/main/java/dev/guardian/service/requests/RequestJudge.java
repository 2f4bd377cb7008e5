package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.decision.Decision;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.effects.Effect;
import dev.guardian.policy.effects.SimulatedEffects;
import dev.guardian.policy.effects.SimulationOutcome;
import dev.guardian.policy.effects.UnknownEvent;
import dev.guardian.policy.rules.Charges;
import dev.guardian.policy.rules.Evaluation;
import dev.guardian.policy.rules.Policy;
import dev.guardian.policy.rules.PolicyEngine;
import dev.guardian.policy.rules.SafeTerms;
import dev.guardian.policy.rules.ScreeningResult;
import dev.guardian.policy.rules.SignatureTerms;
import dev.guardian.policy.rules.SpendingState;
import dev.guardian.policy.rules.TeamBudgets;
import dev.guardian.policy.rules.WalletCall;
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
    private final Facts facts;
    private final PolicyEngine engine;
    private final AssetRegistry assets;

    /**
     * What the judge reads besides the request itself, each read in the caller's transaction: the
     * policy, team budgets, kill switch, screening and spending. {@link DatabaseFacts} reads them from the
     * service's stores; tests may give their own.
     */
    public interface Facts {
        Policy activePolicy(AgentId agent);

        Optional<TeamBudgets> teamBudgets(String team);

        /** Whether the kill switch is engaged, read under the lock that engaging it waits for. */
        boolean killSwitchEngaged();

        ScreeningResult screen(Set<Address> touched);

        /** The agent's spending that counts since each instant (see {@link Reservations#spendingSince}). */
        SpendingState spending(
                AgentId agent,
                Optional<Instant> budgetsSince,
                Optional<Instant> counterpartiesSince,
                Optional<Instant> feesSince,
                Optional<Instant> transactionsSince,
                Optional<Instant> revertsSince,
                Optional<UUID> excluding);

        /** Serialises the decisions that draw on the team's budgets, to the end of the transaction. */
        void lockTeam(String team);

        SpendingState teamSpending(String team, Instant since, Optional<UUID> excluding);
    }

    /** The facts as the service's stores hold them. */
    public record DatabaseFacts(
            PolicyVersions policies,
            Teams teams,
            KillSwitch killSwitch,
            AddressScreen sanctions,
            Reservations reservations,
            RequestStore store)
            implements Facts {
        @Override
        public Policy activePolicy(AgentId agent) {
            return policies.activePolicy(agent);
        }

        @Override
        public Optional<TeamBudgets> teamBudgets(String team) {
            return teams.budgets(team);
        }

        @Override
        public boolean killSwitchEngaged() {
            return killSwitch.engaged();
        }

        @Override
        public ScreeningResult screen(Set<Address> touched) {
            return sanctions.screen(touched);
        }

        @Override
        public SpendingState spending(
                AgentId agent,
                Optional<Instant> budgetsSince,
                Optional<Instant> counterpartiesSince,
                Optional<Instant> feesSince,
                Optional<Instant> transactionsSince,
                Optional<Instant> revertsSince,
                Optional<UUID> excluding) {
            return reservations.spendingSince(
                    agent, budgetsSince, counterpartiesSince, feesSince, transactionsSince, revertsSince, excluding);
        }

        @Override
        public void lockTeam(String team) {
            store.lockTeam(team);
        }

        @Override
        public SpendingState teamSpending(String team, Instant since, Optional<UUID> excluding) {
            return reservations.teamSpendingSince(team, since, excluding);
        }
    }

    RequestJudge(Facts facts, PolicyEngine engine, AssetRegistry assets) {
        this.facts = facts;
        this.engine = engine;
        this.assets = assets;
    }

    /** The decision, what it was based on, and the evaluation itself (its charges and value flow). */
    public record Judgement(
            Decision decision,
            SimulatedEffects effects,
            Optional<ScreeningResult> screening,
            Policy policy,
            Optional<TeamBudgets> team,
            Evaluation evaluation) {

        /** What the request charges against the limits: outflow and new allowance exposure. */
        public Charges charges() {
            return evaluation.charges();
        }
    }

    /**
     * Judges with the agent's active policy version.
     *
     * @param fee       the gas the transaction would be signed with (absent: the simulation did not succeed)
     * @param excluding a request whose own reservation must not count against itself (a re-check at approval)
     */
    public Judgement judge(
            Agent agent,
            ContractCall call,
            Simulation simulation,
            Optional<JudgedFee> fee,
            Instant now,
            Optional<UUID> excluding) {
        return judge(
                facts.activePolicy(agent.id()),
                agent,
                call,
                simulation,
                fee,
                now,
                excluding,
                true,
                Optional.empty(),
                Optional.empty());
    }

    /**
     * Judges a typed-data signature with the agent's active policy version: {@code call} is the call it is
     * equivalent to, {@code simulation} holds the effects read from the typed data, and {@code terms} what the
     * rules read of the signature itself. No fee: a signature costs the wallet no gas.
     */
    public Judgement judgeSignature(
            Agent agent,
            ContractCall call,
            Simulation simulation,
            SignatureTerms terms,
            Instant now,
            Optional<UUID> excluding) {
        return judge(
                facts.activePolicy(agent.id()),
                agent,
                call,
                simulation,
                Optional.empty(),
                now,
                excluding,
                true,
                Optional.empty(),
                Optional.of(terms));
    }

    /**
     * Judges with {@code policy} (a draft, for a dry run) as if the request arrived now. Reserves, records
     * and locks nothing: the answer is what the decision would be, not a decision.
     */
    public Judgement judgeWith(
            Policy policy,
            Agent agent,
            ContractCall call,
            Simulation simulation,
            Optional<JudgedFee> fee,
            Instant now) {
        return judge(
                policy, agent, call, simulation, fee, now, Optional.empty(), false, Optional.empty(), Optional.empty());
    }

    /**
     * Judges a recorded request again with {@code policy}: its recorded effects and fee, against the
     * spending that counted when it arrived (its own left out), screened with today's lists. A reverted
     * simulation stays a denial. Locks and changes nothing.
     */
    public Judgement rejudge(Policy policy, Agent agent, StoredRequest recorded) {
        return rejudge(policy, agent, recorded, Optional.empty());
    }

    /** As {@link #rejudge(Policy, Agent, StoredRequest)}, for a typed-data request with the terms read from it. */
    public Judgement rejudge(Policy policy, Agent agent, StoredRequest recorded, Optional<SignatureTerms> terms) {
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
        return judge(
                policy,
                agent,
                call,
                simulation,
                recorded.fee(),
                at,
                Optional.of(recorded.id()),
                false,
                Optional.of(at),
                terms);
    }

    /**
     * @param asOf when set, only spending recorded before this instant counts (judging the past)
     */
    private Judgement judge(
            Policy policy,
            Agent agent,
            ContractCall call,
            Simulation simulation,
            Optional<JudgedFee> fee,
            Instant now,
            Optional<UUID> excluding,
            boolean lockTeam,
            Optional<Instant> asOf,
            Optional<SignatureTerms> signature) {
        return judge(policy, agent, call, simulation, fee, now, excluding, lockTeam, asOf, signature, Optional.empty());
    }

    /**
     * Judges a co-signed Safe's transaction with the agent's active policy version: {@code calls} are the calls
     * the Safe makes (one, or each entry of a MultiSendCallOnly batch), each judged as the wallet's own call
     * against the same effects (those of the relayer's {@code execTransaction} as the Safe sees them), so every
     * call of a batch must pass the contract rules; {@code fee} is what the relayer's transaction costs, charged
     * to the agent; {@code terms} what the Safe's hard rules read. The reasons of all the calls are combined.
     */
    public Judgement judgeSafe(
            Agent agent,
            List<ContractCall> calls,
            Simulation simulation,
            Optional<JudgedFee> fee,
            SafeTerms terms,
            Instant now,
            Optional<UUID> excluding) {
        Policy policy = facts.activePolicy(agent.id());
        Judgement first = null;
        List<Reason> reasons = new ArrayList<>();
        for (ContractCall call : calls.isEmpty()
                ? List.of(new ContractCall(
                        agent.walletAddress(), terms.to(), TokenAmount.zero(assets.nativeAsset()), new byte[0]))
                : calls) {
            Judgement judged = judge(
                    policy,
                    agent,
                    call,
                    calls.size() > 1 ? ownEvents(simulation, call.to()) : simulation,
                    fee,
                    now,
                    excluding,
                    first == null,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(terms));
            if (first == null) {
                first = judged;
            }
            for (Reason reason : judged.decision().reasons()) {
                if (!reasons.contains(reason)) {
                    reasons.add(reason);
                }
            }
        }
        // The effects recorded are the simulation's as the Safe sees it, as the receipt will be read: not one
        // call's view of them.
        SimulatedEffects effects =
                simulation instanceof Simulation.Succeeded succeeded ? succeeded.effects() : first.effects();
        return new Judgement(
                Decision.of(reasons), effects, first.screening(), policy, first.team(), first.evaluation());
    }

    /**
     * In a batch, each call's evaluation answers for the events of its own target only: the other targets'
     * events, which the Safe's batch also made directly, count as events further down (their own call's
     * evaluation judges them as its direct callee's), so each is weighed against its own contract's entry.
     */
    private static Simulation ownEvents(Simulation simulation, Address target) {
        if (!(simulation instanceof Simulation.Succeeded succeeded)) {
            return simulation;
        }
        List<Effect> effects = succeeded.effects().effects().stream()
                .map(e -> e instanceof UnknownEvent u
                                && u.fromDirectCallee()
                                && !u.emitter().equals(target)
                        ? (Effect) new UnknownEvent(u.emitter(), u.topic0(), 2)
                        : e)
                .toList();
        return new Simulation.Succeeded(
                new SimulatedEffects(effects, succeeded.effects().touched()), succeeded.gasUsed());
    }

    private Judgement judge(
            Policy policy,
            Agent agent,
            ContractCall call,
            Simulation simulation,
            Optional<JudgedFee> fee,
            Instant now,
            Optional<UUID> excluding,
            boolean lockTeam,
            Optional<Instant> asOf,
            Optional<SignatureTerms> signature,
            Optional<SafeTerms> safe) {
        SimulationOutcome outcome = switch (simulation) {
            case Simulation.Reverted reverted -> new SimulationOutcome.Reverted(reverted.reason());
            case Simulation.Undecodable undecodable -> new SimulationOutcome.Undecodable(undecodable.reason());
            case Simulation.Succeeded succeeded -> SimulationOutcome.of(succeeded.effects());
        };
        Optional<TeamBudgets> team = agent.team().flatMap(facts::teamBudgets);
        Optional<ScreeningResult> screening = Optional.empty();
        SpendingState spending = SpendingState.none();
        SpendingState teamSpending = SpendingState.none();
        if (outcome instanceof SimulationOutcome.Succeeded succeeded) {
            // Only what a successful simulation would do is screened and weighed against spending: a request
            // that cannot succeed, or cannot be judged, is denied by its own rule and moves nothing.
            Set<Address> touched = new LinkedHashSet<>(succeeded.effects().touched());
            touched.add(agent.walletAddress());
            touched.add(call.to());
            screening = Optional.of(facts.screen(touched));
            spending = before(
                    facts.spending(
                            agent.id(),
                            policy.budgetsCountAfter(now),
                            policy.counterpartyCapsCountAfter(now),
                            policy.feesCountAfter(now),
                            policy.transactionCountsCountAfter(now),
                            policy.revertsCountAfter(now),
                            excluding),
                    asOf);
            if (team.isPresent()) {
                if (lockTeam) {
                    facts.lockTeam(team.get().team());
                }
                teamSpending =
                        before(facts.teamSpending(team.get().team(), team.get().countsAfter(now), excluding), asOf);
            }
        }
        // Read after screening (which may ask an on-chain oracle): its shared lock is held to the commit,
        // and engaging the switch waits for it, so it is best taken late.
        boolean allFrozen = facts.killSwitchEngaged();
        Evaluation evaluation = new Evaluation(
                agent.id(),
                agent.frozen(),
                allFrozen,
                agent.walletAddress(),
                agent.otherWallets(),
                new WalletCall(call.to(), call.value(), call.data()),
                fee.map(JudgedFee::toPolicy),
                outcome,
                screening,
                policy,
                spending,
                team,
                teamSpending,
                now,
                signature,
                safe);
        return new Judgement(engine.evaluate(evaluation), outcome.effects(), screening, policy, team, evaluation);
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
                state.transactions().stream().filter(t -> t.isBefore(cut)).toList(),
                state.exposures().stream().filter(e -> e.at().isBefore(cut)).toList(),
                state.fees().stream().filter(s -> s.at().isBefore(cut)).toList(),
                state.reverts().stream().filter(t -> t.isBefore(cut)).toList());
    }
}
