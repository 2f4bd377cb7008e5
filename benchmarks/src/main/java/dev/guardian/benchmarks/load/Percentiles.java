package dev.guardian.benchmarks.load;

import java.time.Duration;
import java.util.Collection;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * Percentiles of durations, from an HdrHistogram recording microseconds with three significant digits
 * (so a figure is within 0.1 % of the exact one).
 */
record Percentiles(
        long count, double p50Millis, double p90Millis, double p99Millis, double maxMillis, double meanMillis) {
    private static final long HIGHEST_MICROS = Duration.ofMinutes(10).toNanos() / 1_000;

    static Percentiles of(Collection<Duration> durations) {
        Histogram histogram = new Histogram(HIGHEST_MICROS, 3);
        for (Duration duration : durations) {
            // Clock readings taken in different places can be a microsecond apart the wrong way round.
            histogram.recordValue(Math.clamp(duration.toNanos() / 1_000, 0, HIGHEST_MICROS));
        }
        if (histogram.getTotalCount() == 0) {
            return new Percentiles(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Percentiles(
                histogram.getTotalCount(),
                millis(histogram.getValueAtPercentile(50)),
                millis(histogram.getValueAtPercentile(90)),
                millis(histogram.getValueAtPercentile(99)),
                millis(histogram.getMaxValue()),
                histogram.getMean() / 1_000);
    }

    private static double millis(long micros) {
        return micros / 1_000.0;
    }

    /** "p50 / p90 / p99 / max" in milliseconds, as a table cell. */
    String cells() {
        return String.join(" | ", format(p50Millis), format(p90Millis), format(p99Millis), format(maxMillis));
    }

    static String format(double millis) {
        if (Double.isNaN(millis)) {
            return "–";
        }
        if (millis >= 1_000) {
            return String.format(Locale.ROOT, "%,.0f", millis);
        }
        return String.format(Locale.ROOT, millis >= 100 ? "%.0f" : millis >= 10 ? "%.1f" : "%.2f", millis);
    }
}
