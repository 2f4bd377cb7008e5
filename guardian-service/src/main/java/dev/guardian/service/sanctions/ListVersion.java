package dev.guardian.service.sanctions;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * Names exactly one loaded list, so that every decision can say what it screened against and anyone
 * holding the same file can check it: the source, the date the content is from, the SHA-256 of the
 * bytes as read, how many EVM addresses they hold, and when Guardian loaded them.
 */
public record ListVersion(
        String source,
        String location,
        ListFormat format,
        LocalDate asOf,
        String sha256,
        int entries,
        Instant loadedAt) {
    public ListVersion {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(asOf, "asOf");
        Objects.requireNonNull(loadedAt, "loadedAt");
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("sha256 is 64 lower-case hex digits");
        }
        if (entries < 0) {
            throw new IllegalArgumentException("entries must not be negative");
        }
    }

    /** One line for decision records, e.g. {@code ofac-sdn@2025-11-19 (81 entries, sha256 4d8b..., loaded 2026-...)}. */
    public String describe() {
        return "%s@%s (%d entries, sha256 %s, loaded %s)".formatted(source, asOf, entries, sha256, loadedAt);
    }
}
