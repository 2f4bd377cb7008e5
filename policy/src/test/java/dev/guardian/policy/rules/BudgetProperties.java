package dev.guardian.policy.rules;

import static dev.guardian.policy.TestData.MERCHANT;
import static dev.guardian.policy.TestData.STRANGER;
import static dev.guardian.policy.TestData.USDC;
import static dev.guardian.policy.TestData.WALLET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.AgentId;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.decision.Decision;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.policy.effects.Effect;
import dev.guardian.policy.effects.SimulatedEffects;
import dev.guardian.policy.effects.Transfer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Budgets hold over any sequence of requests when the service reserves what the engine lets through,
 * as {@code guardian-service} does: allowed and escalated requests reserve their outgoing amount at
 * decision time ({@link SpendingState#reserving}), denied ones reserve nothing.
 */
class BudgetProperties {
    /** Near the end of a month, a few days before New York and Berlin leave daylight saving. */
    private static final Instant START = Instant.parse("2026-10-22T00:00:00Z");

    private final PolicyEngine engine = new PolicyEngine();

    @Property
    void reservationsNeverExceedABudgetInAnyWindow(@ForAll("rollingScenarios") Scenario scenario) {
        Run run = scenario.run(engine);

        scenario.policy()
                .budgets()
                .forEach(budget ->
                        LimitChecks.assertNeverExceeded(budget, run.spending().spends()));
        Statistics.label("some request denied")
                .collect(run.decisions().stream().anyMatch(d -> d.verdict() == Verdict.DENY));
        Statistics.label("some request denied").coverage(c -> c.check(true).percentage(p -> p > 20));
    }

    @Property
    void reservationsNeverExceedACalendarBudgetWithinAPeriod(@ForAll("calendarScenarios") Scenario scenario) {
        Run run = scenario.run(engine);

        scenario.policy()
                .budgets()
                .forEach(budget ->
                        LimitChecks.assertNeverExceeded(budget, run.spending().spends()));
        Statistics.label("some request denied")
                .collect(run.decisions().stream().anyMatch(d -> d.verdict() == Verdict.DENY));
        Statistics.label("some request denied").coverage(c -> c.check(true).percentage(p -> p > 20));
    }

    @Property
    void aDeniedRequestChangesNothingForTheRequestsAfterIt(@ForAll("rollingScenarios") Scenario scenario) {
        Run withDenials = scenario.run(engine);
        List<TimedRequest> admitted = new ArrayList<>();
        List<Decision> admittedDecisions = new ArrayList<>();
        for (int i = 0; i < scenario.requests().size(); i++) {
            if (withDenials.decisions().get(i).verdict() != Verdict.DENY) {
                admitted.add(scenario.requests().get(i));
                admittedDecisions.add(withDenials.decisions().get(i));
            }
        }

        Run withoutDenials = new Scenario(scenario.policy(), admitted).run(engine);

        assertThat(withoutDenials.decisions()).isEqualTo(admittedDecisions);
        assertThat(withoutDenials.spending()).isEqualTo(withDenials.spending());
    }

    /**
     * A budget refusal's {@code resetsAt} is exact: with nothing else spent meanwhile, the same request
     * still crosses that budget an instant before it and fits from it on. Each budget is judged alone
     * so that the refusal is known to be its own.
     */
    @Property
    void theSameRequestFitsExactlyWhenARefusalSaysItWill(@ForAll("mixedScenarios") Scenario scenario) {
        Rule budgetRule = new WindowBudgetRule();
        SpendingState spending = SpendingState.none();
        int checked = 0;
        for (TimedRequest request : scenario.requests()) {
            for (WindowBudget budget : scenario.policy().budgets()) {
                Policy onlyThatBudget = new Policy("only", Map.of(), List.of(budget), Map.of(MERCHANT, "merchant"));
                for (Reason reason : budgetRule.check(request.evaluate(onlyThatBudget, spending))) {
                    Instant resetsAt = reason.numbers().orElseThrow().resetsAt().orElse(null);
                    if (resetsAt != null) {
                        assertThat(budgetRule.check(
                                        request.at(resetsAt.minusNanos(1)).evaluate(onlyThatBudget, spending)))
                                .isNotEmpty();
                        assertThat(budgetRule.check(request.at(resetsAt).evaluate(onlyThatBudget, spending)))
                                .isEmpty();
                        checked++;
                    }
                }
            }
            Evaluation evaluation = request.evaluate(scenario.policy(), spending);
            if (engine.evaluate(evaluation).verdict() != Verdict.DENY) {
                spending = spending.reserving(evaluation, request.at());
            }
        }
        Statistics.label("some reset checked").collect(checked > 0);
        Statistics.label("some reset checked").coverage(c -> c.check(true).percentage(p -> p > 10));
    }

    @Provide
    Arbitrary<Scenario> rollingScenarios() {
        return scenarios(LimitChecks.rollingPeriods(3_600), smallGaps());
    }

    @Provide
    Arbitrary<Scenario> calendarScenarios() {
        return scenarios(LimitChecks.calendarPeriods(), Arbitraries.oneOf(smallGaps(), largeGaps()));
    }

    @Provide
    Arbitrary<Scenario> mixedScenarios() {
        // Short gaps: refusals that waiting can cure are what this needs, not crossing many periods.
        return scenarios(
                Arbitraries.oneOf(LimitChecks.rollingPeriods(3_600), LimitChecks.calendarPeriods()), smallGaps());
    }

    private static Arbitrary<Scenario> scenarios(Arbitrary<BudgetPeriod> periods, Arbitrary<Long> gaps) {
        Arbitrary<WindowBudget> budgets = Combinators.combine(units(1, 1_000), periods)
                .as((limit, period) -> new WindowBudget(TokenAmount.ofUnits(USDC, limit), period));
        Arbitrary<Policy> policies = Combinators.combine(
                        units(1, 1_000).optional(), budgets.list().ofMinSize(1).ofMaxSize(3))
                .as((cap, list) -> new Policy(
                        "property",
                        cap.map(c -> Map.<Asset, TokenAmount>of(USDC, TokenAmount.ofUnits(USDC, c)))
                                .orElse(Map.of()),
                        list,
                        Map.of(MERCHANT, "merchant")));
        Arbitrary<List<TimedRequest>> timeline =
                requests(gaps).list().ofMaxSize(30).map(BudgetProperties::onATimeline);
        return Combinators.combine(policies, timeline).as(Scenario::new);
    }

    private static Arbitrary<Long> smallGaps() {
        return Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(0L)),
                Tuple.of(4, Arbitraries.longs().between(1, 900)));
    }

    /** Hours to days: enough to cross days, weeks and months within one scenario. */
    private static Arbitrary<Long> largeGaps() {
        return Arbitraries.longs().between(3_600, 10 * 86_400);
    }

    private static Arbitrary<Request> requests(Arbitrary<Long> gaps) {
        Arbitrary<Long> amounts = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(0L)), Tuple.of(6, units(1, 300)), Tuple.of(2, units(300, 3_000)));
        return Combinators.combine(amounts.list().ofMinSize(1).ofMaxSize(3), gaps, Arbitraries.of(true, false))
                .as(Request::new);
    }

    private static Arbitrary<Long> units(long min, long max) {
        return Arbitraries.longs().between(min, max);
    }

    /** Turns gaps into instants; time never goes back, and several requests may share an instant. */
    private static List<TimedRequest> onATimeline(List<Request> requests) {
        List<TimedRequest> timed = new ArrayList<>();
        Instant now = START;
        for (Request request : requests) {
            now = now.plusSeconds(request.gapSeconds());
            timed.add(new TimedRequest(request, now));
        }
        return timed;
    }

    /** One request: the amounts it moves (several for a payment split inside a contract call). */
    record Request(List<Long> parts, long gapSeconds, boolean alsoPaysAStranger) {}

    record TimedRequest(Request request, Instant at) {
        TimedRequest at(Instant other) {
            return new TimedRequest(request, other);
        }

        Evaluation evaluate(Policy policy, SpendingState spending) {
            List<Effect> effects = new ArrayList<>();
            for (int i = 0; i < request.parts().size(); i++) {
                boolean toStranger = request.alsoPaysAStranger() && i % 2 == 1;
                effects.add(new Transfer(
                        TokenAmount.ofUnits(USDC, request.parts().get(i)), WALLET, toStranger ? STRANGER : MERCHANT));
            }
            SimulatedEffects simulated = new SimulatedEffects(effects, Set.of());
            return Evaluations.of(
                    new AgentId("property-bot"),
                    false,
                    WALLET,
                    simulated,
                    new ScreeningResult(simulated.touched(), Set.of(), "none"),
                    policy,
                    spending,
                    at);
        }
    }

    record Run(List<Decision> decisions, SpendingState spending) {}

    record Scenario(Policy policy, List<TimedRequest> requests) {
        /** What the service does: decide, then reserve the outgoing amounts unless denied. */
        Run run(PolicyEngine engine) {
            SpendingState spending = SpendingState.none();
            List<Decision> decisions = new ArrayList<>();
            for (TimedRequest request : requests) {
                Evaluation evaluation = request.evaluate(policy, spending);
                Decision decision = engine.evaluate(evaluation);
                decisions.add(decision);
                if (decision.verdict() != Verdict.DENY) {
                    spending = spending.reserving(evaluation, request.at());
                }
            }
            return new Run(decisions, spending);
        }
    }
}
