package dev.guardian.policy.rules;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The stretch of time a limit counts over: a rolling window ending now ({@code 24h} is "the last 24
 * hours") or a calendar period in a time zone ({@code month} is "since the first of this month").
 * Rolling windows free up spend by spend; calendar periods reset all at once at the next boundary.
 */
public sealed interface BudgetPeriod {

    /**
     * The exclusive lower bound of what counts at {@code now}: a spend made at {@code t} counts when
     * {@code t} is after it.
     */
    Instant countsAfter(Instant now);

    /** The rolling length, when there is one (figures report it as the window). */
    Optional<Duration> length();

    /** How people name it: {@code 24h}, {@code 7d}, {@code calendar month (UTC)}. */
    String describe();

    /** The last {@code length} before now: a spend at {@code t} leaves it at exactly {@code t + length}. */
    record Rolling(Duration window) implements BudgetPeriod {
        public Rolling {
            Objects.requireNonNull(window, "window");
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("a budget window is a positive duration");
            }
        }

        @Override
        public Instant countsAfter(Instant now) {
            return now.minus(window);
        }

        @Override
        public Optional<Duration> length() {
            return Optional.of(window);
        }

        @Override
        public String describe() {
            return Texts.window(window);
        }
    }

    /** The current calendar day, ISO week (from Monday) or month in {@code zone}. */
    record Calendar(Unit unit, ZoneId zone) implements BudgetPeriod {
        public enum Unit {
            DAY,
            WEEK,
            MONTH
        }

        public Calendar {
            Objects.requireNonNull(unit, "unit");
            Objects.requireNonNull(zone, "zone");
        }

        /** When the period that holds {@code now} began. */
        public Instant start(Instant now) {
            ZonedDateTime today = now.atZone(zone).truncatedTo(ChronoUnit.DAYS);
            ZonedDateTime start = switch (unit) {
                case DAY -> today;
                case WEEK -> today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
                case MONTH -> today.withDayOfMonth(1);
            };
            // A day may not start at midnight in zones with daylight saving gaps at 00:00.
            return start.toLocalDate().atStartOfDay(zone).toInstant();
        }

        /** When the period that holds {@code now} ends and everything counted in it is free again. */
        public Instant nextStart(Instant now) {
            ZonedDateTime start = start(now).atZone(zone);
            ZonedDateTime next = switch (unit) {
                case DAY -> start.plusDays(1);
                case WEEK -> start.plusWeeks(1);
                case MONTH -> start.plusMonths(1);
            };
            return next.toLocalDate().atStartOfDay(zone).toInstant();
        }

        @Override
        public Instant countsAfter(Instant now) {
            return start(now).minusNanos(1);
        }

        @Override
        public Optional<Duration> length() {
            return Optional.empty();
        }

        @Override
        public String describe() {
            // ZoneOffset.UTC's id is "Z", which nobody reading a refusal would recognise.
            String zoneName = zone.equals(ZoneOffset.UTC) ? "UTC" : zone.getId();
            return "calendar " + unit.name().toLowerCase(Locale.ROOT) + " (" + zoneName + ")";
        }
    }
}
