package dev.guardian.policy.rules;

import static dev.guardian.policy.TestData.MERCHANT;
import static dev.guardian.policy.TestData.USDC;
import static dev.guardian.policy.TestData.address;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.decision.Decision;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.policy.effects.SimulatedEffects;
import dev.guardian.policy.effects.Transfer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

/**
 * Several agents of one team draw on its shared budgets, each also bound by its own. Whatever the
 * order in which their requests arrive, what the team reserves never crosses a team budget, provided
 * each request not denied is reserved against both the agent's and the team's spending, as the
 * service does under the team's lock.
 */
class TeamBudgetProperties {
    private static final Instant START = Instant.parse("2026-10-30T20:00:00Z");
    private final PolicyEngine engine = new PolicyEngine();

    @Property
    void theTeamNeverSpendsMoreThanItsBudgetsWhateverTheInterleaving(@ForAll("teams") Team team) {
        int agents = team.ownBudgets().size();
        List<SpendingState> own = new ArrayList<>();
        for (int i = 0; i < agents; i++) {
            own.add(SpendingState.none());
        }
        SpendingState teamSpending = SpendingState.none();
        boolean teamDenied = false;
        Instant now = START;
        for (Request request : team.requests()) {
            now = now.plusSeconds(request.gapSeconds());
            int agent = request.agent() % agents;
            Address wallet = address(0x10 + agent);
            SimulatedEffects effects = new SimulatedEffects(
                    List.of(new Transfer(TokenAmount.ofUnits(USDC, request.units()), wallet, MERCHANT)), Set.of());
            Policy policy =
                    new Policy("own", Map.of(), List.of(team.ownBudgets().get(agent)), Map.of(MERCHANT, "merchant"));
            Evaluation evaluation = Evaluations.of(
                    new AgentId("agent-" + agent),
                    false,
                    false,
                    wallet,
                    effects,
                    new ScreeningResult(effects.touched(), Set.of(), "none"),
                    policy,
                    own.get(agent),
                    Optional.of(team.budgets()),
                    teamSpending,
                    now);
            Decision decision = engine.evaluate(evaluation);
            if (decision.verdict() != Verdict.DENY) {
                own.set(agent, own.get(agent).reserving(evaluation, now));
                teamSpending = teamSpending.reserving(evaluation, now);
            }
            teamDenied |= decision.reasons().stream().map(Reason::rule).anyMatch(RuleId.TEAM_BUDGET::equals);
        }

        for (WindowBudget budget : team.budgets().budgets()) {
            LimitChecks.assertNeverExceeded(budget, teamSpending.spends());
        }
        for (int i = 0; i < agents; i++) {
            LimitChecks.assertNeverExceeded(team.ownBudgets().get(i), own.get(i).spends());
        }
        Statistics.label("the team budget denied some request").collect(teamDenied);
        Statistics.label("the team budget denied some request")
                .coverage(c -> c.check(true).percentage(p -> p > 30));
    }

    @Provide
    Arbitrary<Team> teams() {
        Arbitrary<BudgetPeriod> periods =
                Arbitraries.oneOf(LimitChecks.rollingPeriods(7_200), LimitChecks.calendarPeriods());
        Arbitrary<WindowBudget> teamBudget = Combinators.combine(
                        Arbitraries.longs().between(1, 2_000), periods)
                .as((limit, period) -> new WindowBudget(TokenAmount.ofUnits(USDC, limit), period));
        Arbitrary<TeamBudgets> budgets =
                teamBudget.list().ofMinSize(1).ofMaxSize(3).map(list -> new TeamBudgets("treasury-ops", 1, list));
        // Each agent's own budget is looser than the team's on average, so the team's is what binds.
        Arbitrary<WindowBudget> ownBudget = Combinators.combine(
                        Arbitraries.longs().between(1, 3_000), periods)
                .as((limit, period) -> new WindowBudget(TokenAmount.ofUnits(USDC, limit), period));
        Arbitrary<Request> requests = Combinators.combine(
                        Arbitraries.integers().between(0, 3),
                        Arbitraries.longs().between(0, 600),
                        Arbitraries.oneOf(
                                Arbitraries.longs().between(0, 60),
                                Arbitraries.longs().between(0, 21_600)))
                .as(Request::new);
        return Combinators.combine(
                        budgets,
                        ownBudget.list().ofMinSize(2).ofMaxSize(4),
                        requests.list().ofMaxSize(40))
                .as(Team::new);
    }

    record Request(int agent, long units, long gapSeconds) {}

    record Team(TeamBudgets budgets, List<WindowBudget> ownBudgets, List<Request> requests) {}
}
