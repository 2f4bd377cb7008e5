package dev.guardian.service.sanctions;

import dev.guardian.service.audit.Actor;
import java.util.List;
import java.util.Optional;

/**
 * Where screening reports what changed and what went wrong, besides its log: the audit log in the
 * service. A method that throws makes the change it reports not happen (a version that cannot be
 * recorded is not used).
 */
public interface SanctionsEvents {

    /** A new version is about to be used. */
    void listLoaded(
            ListVersion version, Optional<ListVersion> previous, Trigger trigger, Actor actor, boolean shrinkAccepted);

    /** A reload failed or was rejected; {@code kept} is the version still in use, if any. */
    void reloadKept(
            String source,
            ReloadOutcome.Result result,
            String problem,
            Optional<ListVersion> kept,
            Trigger trigger,
            Actor actor);

    /** The allow-overrides in effect from now on (at start). */
    void overridesInEffect(List<AllowOverride> overrides, String sha256);
}
