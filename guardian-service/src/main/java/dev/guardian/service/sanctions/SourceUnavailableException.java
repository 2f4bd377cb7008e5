package dev.guardian.service.sanctions;

/**
 * A source could not be read: a file that is gone or unreadable, a URL that did not answer, answered
 * an error status, sent too much, or whose circuit is open after repeated failures.
 */
class SourceUnavailableException extends RuntimeException {
    private final boolean transientFailure;

    public SourceUnavailableException(String message, Throwable cause, boolean transientFailure) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    /** Worth another attempt soon (I/O failure, timeout, HTTP 5xx or 429); a 404 or a missing file is not. */
    public boolean isTransient() {
        return transientFailure;
    }
}
