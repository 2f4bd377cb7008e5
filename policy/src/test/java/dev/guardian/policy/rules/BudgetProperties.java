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
import dev.guardian.policy.decision.Verdict;
import dev.guardian.policy.effects.Effect;
import dev.guardian.policy.effects.SimulatedEffects;
import dev.guardian.policy.effects.Transfer;
import java.math.BigInteger;
import java.time.Duration;
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
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Budgets hold over any sequence of requests when the service reserves what the engine lets through,
 * as {@code guardian-service} does: allowed and escalated requests reserve their outgoing amount at
 * decision time, denied ones reserve nothing.
 */
class BudgetProperties {
    private static final Instant START = Instant.parse("2026-11-26T00:00:00Z");
    private final PolicyEngine engine = new PolicyEngine();

    @Property
    void reservationsNeverExceedABudgetInAnyWindow(@ForAll("scenarios") Scenario scenario) {
        Run run = scenario.run(engine);

        for (WindowBudget budget : scenario.policy().budgets()) {
            List<SpendingState.Spend> spends = run.spending().spends();
            // The sum over a window (t - w, t] only rises at a spend, so windows ending at spends are the worst.
            for (SpendingState.Spend last : spends) {
                BigInteger inWindow = spends.stream()
                        .filter(s -> s.at().isAfter(last.at().minus(budget.window())) && !s.at().isAfter(last.at()))
                        .map(s -> s.amount().units())
                        .reduce(BigInteger.ZERO, BigInteger::add);
                assertThat(inWindow).isLessThanOrEqualTo(budget.limit().units());
            }
        }
        Statistics.label("some request denied").collect(run.decisions().stream().anyMatch(d -> d.verdict() == Verdict.DENY));
        Statistics.label("some request denied").coverage(c -> c.check(true).percentage(p -> p > 20));
    }

    @Property
    void aDeniedRequestChangesNothingForTheRequestsAfterIt(@ForAll("scenarios") Scenario scenario) {
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

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<Policy> policies = Combinators.combine(
                        units(1, 1_000).optional(),
                        budgets().list().ofMinSize(1).ofMaxSize(3))
                .as((cap, budgets) -> new Policy(
                        "property",
                        cap.map(c -> Map.<Asset, TokenAmount>of(USDC, TokenAmount.ofUnits(USDC, c))).orElse(Map.of()),
                        budgets,
                        Map.of(MERCHANT, "merchant")));
        Arbitrary<List<TimedRequest>> timeline = requests().list().ofMaxSize(30).map(BudgetProperties::onATimeline);
        return Combinators.combine(policies, timeline).as(Scenario::new);
    }

    private static Arbitrary<WindowBudget> budgets() {
        return Combinators.combine(units(1, 1_000), Arbitraries.integers().between(1, 3_600))
                .as((limit, seconds) -> new WindowBudget(TokenAmount.ofUnits(USDC, limit), Duration.ofSeconds(seconds)));
    }

    private static Arbitrary<Request> requests() {
        Arbitrary<Long> amounts = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(0L)),
                Tuple.of(6, units(1, 300)),
                Tuple.of(2, units(300, 3_000)));
        return Combinators.combine(
                        amounts.list().ofMinSize(1).ofMaxSize(3),
                        Arbitraries.frequencyOf(
                                Tuple.of(1, Arbitraries.just(0L)),
                                Tuple.of(4, Arbitraries.longs().between(1, 900))),
                        Arbitraries.of(true, false))
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
        Evaluation evaluate(Policy policy, SpendingState spending) {
            List<Effect> effects = new ArrayList<>();
            for (int i = 0; i < request.parts().size(); i++) {
                boolean toStranger = request.alsoPaysAStranger() && i % 2 == 1;
                effects.add(new Transfer(TokenAmount.ofUnits(USDC, request.parts().get(i)), WALLET,
                        toStranger ? STRANGER : MERCHANT));
            }
            SimulatedEffects simulated = new SimulatedEffects(effects, Set.of());
            return new Evaluation(new AgentId("property-bot"), false, WALLET, simulated,
                    new ScreeningResult(simulated.touched(), Set.of(), "none"), policy, spending, at);
        }
    }

    record Run(List<Decision> decisions, SpendingState spending) {}

    record Scenario(Policy policy, List<TimedRequest> requests) {
        /** What the service does: decide, then reserve the outgoing amount unless denied. */
        Run run(PolicyEngine engine) {
            SpendingState spending = SpendingState.none();
            List<Decision> decisions = new ArrayList<>();
            for (TimedRequest request : requests) {
                Evaluation evaluation = request.evaluate(policy, spending);
                Decision decision = engine.evaluate(evaluation);
                decisions.add(decision);
                if (decision.verdict() != Verdict.DENY) {
                    Optional<TokenAmount> outgoing = Optional.ofNullable(
                            evaluation.effects().outgoingTotals(WALLET).get(USDC));
                    spending = spending.plus(new SpendingState.Spend(
                            outgoing.orElse(TokenAmount.zero(USDC)), request.at()));
                }
            }
            return new Run(decisions, spending);
        }
    }
}
