package dev.guardian.service.chain;

/**
 * A call trace or log Guardian cannot read with certainty (a missing field, bad hex, a Transfer event
 * with the wrong number of topics). Decoding stops instead of skipping the part: an effect Guardian
 * cannot see is an effect policy cannot judge.
 */
final class MalformedTraceException extends RuntimeException {
    MalformedTraceException(String message) {
        super(message);
    }

    MalformedTraceException(String message, Throwable cause) {
        super(message, cause);
    }
}
