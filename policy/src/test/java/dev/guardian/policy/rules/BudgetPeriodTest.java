package dev.guardian.policy.rules;

import static dev.guardian.policy.TestData.USDC;
import static dev.guardian.policy.TestData.usdc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.policy.rules.BudgetPeriod.Calendar;
import dev.guardian.policy.rules.BudgetPeriod.Calendar.Unit;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BudgetPeriodTest {

    @ParameterizedTest(name = "{0} {1} at {2}: from {3} to {4}")
    @CsvSource({
        // A month in Berlin starts at 23:00 UTC the day before (CET, +01:00).
        "MONTH, Europe/Berlin,    2026-11-30T22:59:59Z, 2026-10-31T23:00:00Z, 2026-11-30T23:00:00Z",
        "MONTH, Europe/Berlin,    2026-11-30T23:00:00Z, 2026-11-30T23:00:00Z, 2026-12-31T23:00:00Z",
        // ISO weeks start on Monday: 2026-11-23 is one, 2026-11-29 a Sunday.
        "WEEK,  UTC,              2026-11-29T23:59:59Z, 2026-11-23T00:00:00Z, 2026-11-30T00:00:00Z",
        "WEEK,  UTC,              2026-11-23T00:00:00Z, 2026-11-23T00:00:00Z, 2026-11-30T00:00:00Z",
        // New York leaves daylight saving on 2026-11-01: that day lasts 25 hours...
        "DAY,   America/New_York, 2026-11-01T12:00:00Z, 2026-11-01T04:00:00Z, 2026-11-02T05:00:00Z",
        // ...and enters it on 2026-03-08, a day of 23 hours.
        "DAY,   America/New_York, 2026-03-08T12:00:00Z, 2026-03-08T05:00:00Z, 2026-03-09T04:00:00Z",
        // Santiago skips midnight on 2026-09-06: that day starts at 01:00 local time.
        "DAY,   America/Santiago, 2026-09-05T12:00:00Z, 2026-09-05T04:00:00Z, 2026-09-06T04:00:00Z",
        "DAY,   America/Santiago, 2026-09-06T12:00:00Z, 2026-09-06T04:00:00Z, 2026-09-07T03:00:00Z",
    })
    void aCalendarPeriodRunsFromLocalMidnightToTheNextPeriodsLocalMidnight(
            Unit unit, String zone, Instant now, Instant start, Instant nextStart) {
        Calendar period = new Calendar(unit, ZoneId.of(zone));

        assertThat(period.start(now)).isEqualTo(start);
        assertThat(period.nextStart(now)).isEqualTo(nextStart);
    }

    @Test
    void aCalendarPeriodCountsASpendMadeAtItsFirstInstant() {
        Calendar day = new Calendar(Unit.DAY, ZoneOffset.UTC);
        Instant midnight = Instant.parse("2026-11-26T00:00:00Z");

        SpendingState spending = new SpendingState(List.of(
                new SpendingState.Spend(usdc("1"), midnight),
                new SpendingState.Spend(usdc("2"), midnight.minusNanos(1))));

        assertThat(spending.since(USDC, day.countsAfter(midnight.plusSeconds(5))))
                .extracting(SpendingState.Spend::at)
                .containsExactly(midnight);
    }

    @Test
    void aRollingWindowLooksBackItsLength() {
        BudgetPeriod.Rolling hour = new BudgetPeriod.Rolling(Duration.ofHours(1));
        Instant now = Instant.parse("2026-11-26T12:00:00Z");

        assertThat(hour.countsAfter(now)).isEqualTo(Instant.parse("2026-11-26T11:00:00Z"));
        assertThat(hour.length()).contains(Duration.ofHours(1));
    }

    @Test
    void namesPeriodsAsPeopleSayThem() {
        assertThat(new BudgetPeriod.Rolling(Duration.ofDays(7)).describe()).isEqualTo("7d");
        assertThat(new Calendar(Unit.MONTH, ZoneId.of("Europe/Berlin")).describe())
                .isEqualTo("calendar month (Europe/Berlin)");
        assertThat(new Calendar(Unit.WEEK, ZoneOffset.UTC).describe()).isEqualTo("calendar week (UTC)");
        assertThat(new Calendar(Unit.WEEK, ZoneOffset.UTC).length()).isEmpty();
    }

    @Test
    void rejectsAnEmptyRollingWindow() {
        assertThatThrownBy(() -> new BudgetPeriod.Rolling(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }
}
