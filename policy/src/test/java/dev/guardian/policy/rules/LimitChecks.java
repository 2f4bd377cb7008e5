package dev.guardian.policy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.rules.BudgetPeriod.Calendar;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * What the properties share: periods to generate, and the checks that a recorded history never
 * crossed a limit in any stretch of time the limit judges.
 */
final class LimitChecks {
    /** Zones whose offsets are odd, change at midnight (Santiago) or by half an hour (Lord Howe). */
    static final List<ZoneId> ZONES = List.of(
            ZoneOffset.UTC,
            ZoneId.of("Europe/Berlin"),
            ZoneId.of("America/New_York"),
            ZoneId.of("America/Santiago"),
            ZoneId.of("Asia/Kolkata"),
            ZoneId.of("Australia/Lord_Howe"));

    private LimitChecks() {}

    static Arbitrary<BudgetPeriod> rollingPeriods(int maxSeconds) {
        return Arbitraries.integers().between(1, maxSeconds).map(s -> new BudgetPeriod.Rolling(Duration.ofSeconds(s)));
    }

    static Arbitrary<BudgetPeriod> calendarPeriods() {
        return Combinators.combine(Arbitraries.of(Calendar.Unit.class), Arbitraries.of(ZONES))
                .as(Calendar::new);
    }

    /**
     * What {@code budget} counts never exceeds its limit at any instant. The sum over what a period
     * counts at {@code t} only rises at a spend, so the instants of spends are the worst ones.
     */
    static void assertNeverExceeded(WindowBudget budget, List<SpendingState.Spend> spends) {
        for (SpendingState.Spend last : spends) {
            Instant from = budget.period().countsAfter(last.at());
            BigInteger counted = spends.stream()
                    .filter(s -> s.amount().asset().equals(budget.limit().asset()))
                    .filter(s -> s.at().isAfter(from) && !s.at().isAfter(last.at()))
                    .map(s -> s.amount().units())
                    .reduce(BigInteger.ZERO, BigInteger::add);
            assertThat(counted)
                    .as("%s at %s", budget, last.at())
                    .isLessThanOrEqualTo(budget.limit().units());
        }
    }

    /** How many requests {@code limit} counts never exceeds its maximum at any instant. */
    static void assertNeverExceeded(TransactionCountLimit limit, List<Instant> transactions) {
        for (Instant last : transactions) {
            Instant from = limit.period().countsAfter(last);
            long counted = transactions.stream()
                    .filter(t -> t.isAfter(from) && !t.isAfter(last))
                    .count();
            assertThat(counted).as("%s at %s", limit, last).isLessThanOrEqualTo(limit.max());
        }
    }
}
