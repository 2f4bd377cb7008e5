package dev.guardian.service.sanctions;

import java.util.Objects;
import java.util.Optional;

/**
 * What one reload of one source did.
 *
 * @param current the version screening uses after the reload (the previous one unless LOADED); empty
 *                only when the source has never loaded
 * @param message what happened, for a person
 */
public record ReloadOutcome(String source, Result result, Optional<ListVersion> current, String message) {
    public enum Result {
        /** A new version is in use. */
        LOADED,
        /** Same content as the version in use (confirmed current again). */
        UNCHANGED,
        /** Read, but suspicious (empty, or shrunk too much): the previous version stays in use. */
        REJECTED,
        /** Could not be read or parsed: the previous version stays in use. */
        FAILED
    }

    public ReloadOutcome {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(message, "message");
    }

    public boolean kept() {
        return result == Result.REJECTED || result == Result.FAILED;
    }
}
