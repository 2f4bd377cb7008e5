package dev.guardian.service.sanctions;

import java.util.List;

/**
 * What {@code GET /v1/admin/sanctions} shows: whether screening is current and if not why, and for each
 * source the version in use, its age, and the last reload's outcome and problem. Times are ISO-8601
 * instants and durations; absent values are left out.
 *
 * @param current  false while any request that moves value is refused (or escalated) for stale screening
 * @param problems why screening is not current, one line each
 */
public record SanctionsStatus(
        boolean current,
        List<String> problems,
        String whenNotCurrent,
        double maxShrink,
        String at,
        List<Source> sources,
        Oracle oracle,
        List<OverrideView> overrides) {

    public SanctionsStatus {
        problems = List.copyOf(problems);
        sources = List.copyOf(sources);
        overrides = List.copyOf(overrides);
    }

    /**
     * @param version     the version in use (absent: never loaded)
     * @param freshSince  when the version in use was last known current; its age counts from here
     * @param stale       older than max-age, or never loaded
     * @param lastOutcome LOADED, UNCHANGED, REJECTED or FAILED
     * @param lastProblem the problem of the last reload, if it kept the previous version
     * @param circuit     the state of the fetch circuit breaker of a URL source
     */
    public record Source(
            String name,
            String type,
            String location,
            String maxAge,
            String refreshInterval,
            Version version,
            String freshSince,
            String age,
            boolean stale,
            String lastAttemptAt,
            String lastOutcome,
            String lastProblem,
            String lastProblemAt,
            int otherEntries,
            List<String> warnings,
            String circuit) {}

    public record Version(
            String source, String location, String type, String asOf, String sha256, int entries, String loadedAt) {
        public static Version of(ListVersion version) {
            return new Version(
                    version.source(),
                    version.location(),
                    version.format().configName(),
                    version.asOf().toString(),
                    version.sha256(),
                    version.entries(),
                    version.loadedAt().toString());
        }
    }

    public record Oracle(String oracle, String lastAnswerAt, String lastFailureAt, String lastFailure) {}

    public record OverrideView(String address, String reason, String decidedBy) {}
}
