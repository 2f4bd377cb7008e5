package dev.guardian.service.policies;

import java.util.Objects;

/**
 * One thing wrong with a submitted policy document.
 *
 * @param pointer the RFC 6901 JSON pointer of the offending field in the submitted document ("" for the whole)
 * @param message what is wrong, in words a treasury team can act on
 */
public record PolicyProblem(String pointer, String message) {
    public PolicyProblem {
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(message, "message");
        if (!pointer.isEmpty() && !pointer.startsWith("/")) {
            throw new IllegalArgumentException("a JSON pointer is empty or starts with '/': " + pointer);
        }
    }
}
