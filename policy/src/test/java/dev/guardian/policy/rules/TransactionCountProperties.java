package dev.guardian.policy.rules;

import static dev.guardian.policy.TestData.MERCHANT;
import static dev.guardian.policy.TestData.STRANGER;
import static dev.guardian.policy.TestData.USDC;
import static dev.guardian.policy.TestData.WALLET;
import static dev.guardian.policy.TestData.usdc;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.AgentId;
import dev.guardian.policy.decision.Counts;
import dev.guardian.policy.decision.Decision;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.policy.effects.Approval;
import dev.guardian.policy.effects.Effect;
import dev.guardian.policy.effects.SimulatedEffects;
import dev.guardian.policy.effects.Transfer;
import java.time.Instant;
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
 * Count limits hold over any sequence of requests when each request not denied that moves value is
 * recorded as one transaction ({@link SpendingState#reserving}); and a refusal's {@code resetsAt} is
 * exactly when one more request fits.
 */
class TransactionCountProperties {
    private static final Instant START = Instant.parse("2026-10-24T22:00:00Z");
    private final PolicyEngine engine = new PolicyEngine();
    private final Rule countRule = new TransactionCountRule();

    @Property
    void theNumberOfTransactionsNeverExceedsALimitAndRefusalsSayWhenOneMoreFits(
            @ForAll("scenarios") Scenario scenario) {
        SpendingState spending = SpendingState.none();
        Instant now = START;
        boolean denied = false;
        for (Request request : scenario.requests()) {
            now = now.plusSeconds(request.gapSeconds());
            Evaluation evaluation = evaluation(scenario.policy(), request, spending, now);
            Decision decision = engine.evaluate(evaluation);
            for (Reason reason : decision.reasons()) {
                if (reason.rule() == RuleId.TRANSACTION_COUNT) {
                    denied = true;
                    assertOneMoreFitsAt(reason.counts().orElseThrow(), scenario.policy(), request, spending);
                }
            }
            if (decision.verdict() != Verdict.DENY) {
                spending = spending.reserving(evaluation, now);
            }
        }

        for (TransactionCountLimit limit : scenario.policy().transactionCounts()) {
            LimitChecks.assertNeverExceeded(limit, spending.transactions());
        }
        Statistics.label("some request denied for its count").collect(denied);
        Statistics.label("some request denied for its count")
                .coverage(c -> c.check(true).percentage(p -> p > 30));
    }

    /** With every limit judged alone, the one whose figures these are fits at resetsAt and not before. */
    private void assertOneMoreFitsAt(Counts counts, Policy policy, Request request, SpendingState spending) {
        Instant resetsAt = counts.resetsAt().orElseThrow();
        boolean someLimitFitsFromThen = policy.transactionCounts().stream()
                .filter(limit ->
                        limit.max() == counts.limit() && limit.period().length().equals(counts.window()))
                .map(limit -> policy(List.of(limit)))
                .anyMatch(alone -> countRule
                                .check(evaluation(alone, request, spending, resetsAt))
                                .isEmpty()
                        && !countRule
                                .check(evaluation(alone, request, spending, resetsAt.minusNanos(1)))
                                .isEmpty());
        assertThat(someLimitFitsFromThen)
                .as("one more fits at %s, not an instant before", resetsAt)
                .isTrue();
    }

    private static Evaluation evaluation(Policy policy, Request request, SpendingState spending, Instant now) {
        Effect effect = switch (request.kind()) {
            case PAYS -> new Transfer(usdc("1"), WALLET, MERCHANT);
            case APPROVES -> new Approval(usdc("1"), WALLET, MERCHANT);
            case RECEIVES -> new Transfer(usdc("1"), STRANGER, WALLET);
        };
        SimulatedEffects effects = new SimulatedEffects(List.of(effect), Set.of());
        return Evaluations.of(
                new AgentId("property-bot"),
                false,
                WALLET,
                effects,
                new ScreeningResult(effects.touched(), Set.of(), "none"),
                policy,
                spending,
                now);
    }

    private static Policy policy(List<TransactionCountLimit> limits) {
        return new Policy(
                "property",
                Map.of(USDC, usdc("10")),
                Map.of(),
                List.of(),
                Map.of(MERCHANT, AllowlistEntry.labelled("merchant")),
                limits,
                Approvals.defaults());
    }

    @Provide
    Arbitrary<Scenario> scenarios() {
        Arbitrary<BudgetPeriod> periods =
                Arbitraries.oneOf(LimitChecks.rollingPeriods(3_600), LimitChecks.calendarPeriods());
        Arbitrary<TransactionCountLimit> limits = Combinators.combine(
                        Arbitraries.integers().between(1, 6), periods)
                .as(TransactionCountLimit::new);
        Arbitrary<Long> gaps = Arbitraries.frequencyOf(
                Tuple.of(1, Arbitraries.just(0L)),
                Tuple.of(6, Arbitraries.longs().between(1, 900)),
                Tuple.of(2, Arbitraries.longs().between(3_600, 3 * 86_400)));
        Arbitrary<Request> requests = Combinators.combine(
                        Arbitraries.frequency(
                                Tuple.of(6, Kind.PAYS), Tuple.of(2, Kind.APPROVES), Tuple.of(1, Kind.RECEIVES)),
                        gaps)
                .as(Request::new);
        return Combinators.combine(
                        limits.list().ofMinSize(1).ofMaxSize(3).map(TransactionCountProperties::policy),
                        requests.list().ofMaxSize(40))
                .as(Scenario::new);
    }

    enum Kind {
        PAYS,
        APPROVES,
        RECEIVES
    }

    record Request(Kind kind, long gapSeconds) {}

    record Scenario(Policy policy, List<Request> requests) {}
}
