package dev.guardian.service.x402;

/**
 * An x402 message Guardian cannot read. The message says what was wrong and what to send instead, because
 * the reader is an agent that passed on a server's answer and can correct only what it is told.
 */
public final class X402FormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public X402FormatException(String message) {
        super(message);
    }

    public X402FormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
