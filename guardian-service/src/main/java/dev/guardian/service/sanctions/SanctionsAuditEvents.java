package dev.guardian.service.sanctions;

import dev.guardian.service.audit.AuditEvent;
import java.util.List;
import java.util.Optional;

/** What the audit log records of the sanctions lists: versions loaded, reloads refused, overrides in effect. */
final class SanctionsAuditEvents {
    private SanctionsAuditEvents() {}

    /** One version of one source, as recorded: enough to fetch the same file again and check its hash. */
    record Version(
            String source, String location, String type, String asOf, String sha256, int entries, String loadedAt) {
        static Version of(ListVersion version) {
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

    /** A new version of a source is used from now on; {@code shrinkAccepted} when it is much shorter and that was allowed. */
    @AuditEvent.Name("sanctions.list-loaded")
    record ListLoaded(
            String source,
            Version version,
            Optional<Version> previous,
            String trigger,
            Optional<Boolean> shrinkAccepted)
            implements AuditEvent {}

    /** A reload failed or was rejected; the version in use, if any, is kept. */
    @AuditEvent.Name("sanctions.reload-kept")
    record ReloadKept(String source, String result, String problem, Optional<Version> kept, String trigger)
            implements AuditEvent {}

    /** One configured allow-override: a listed address screened as not listed, and who decided it. */
    record Override(String address, String reason, String decidedBy) {}

    /** The overrides in effect, recorded when they differ from the last record. */
    @AuditEvent.Name("sanctions.overrides")
    record Overrides(String configuration, String sha256, List<Override> overrides) implements AuditEvent {
        static final String SUBJECT = "configuration";

        Overrides(String sha256, List<Override> overrides) {
            this("sanctions.overrides", sha256, overrides);
        }
    }
}
