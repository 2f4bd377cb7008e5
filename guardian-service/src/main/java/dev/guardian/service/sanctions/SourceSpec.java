package dev.guardian.service.sanctions;

import java.time.Duration;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * One configured source of sanctioned addresses, validated.
 *
 * @param name            unique; names the source in versions, records and the status endpoint
 * @param location        where it is read from
 * @param format          how it is read
 * @param asOf            the date the content is from, when the content does not say (sdn_advanced.xml does)
 * @param maxAge          how old the newest good version may be before screening is not current; empty
 *                        means no limit (only sensible for the shipped list)
 * @param refreshInterval how often a URL is fetched again
 */
public record SourceSpec(
        String name,
        ListLocation location,
        ListFormat format,
        Optional<LocalDate> asOf,
        Optional<Duration> maxAge,
        Duration refreshInterval) {
    public SourceSpec {
        if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
            throw new IllegalArgumentException(
                    "a source name is 1-63 letters, digits, '.', '_' or '-', was '" + name + "'");
        }
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(asOf, "asOf");
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(refreshInterval, "refreshInterval");
        maxAge.ifPresent(age -> requirePositive(age, "max-age"));
        requirePositive(refreshInterval, "refresh-interval");
        if (location instanceof ListLocation.Classpath && asOf.isEmpty() && format != ListFormat.SDN_ADVANCED_XML) {
            throw new IllegalArgumentException("a list shipped on the classpath needs its as-of date");
        }
    }

    public boolean isRemote() {
        return location instanceof ListLocation.Remote;
    }

    private static void requirePositive(Duration duration, String what) {
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, was " + duration);
        }
    }
}
