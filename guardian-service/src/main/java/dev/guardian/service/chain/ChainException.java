package dev.guardian.service.chain;

/**
 * Anything that stopped a chain call from giving an answer Guardian can use. Catch this to fail closed on
 * every chain problem; catch a subclass to tell an outage from a refusal. Messages name the call and the
 * cause, never the RPC URL (it may carry an API key) or key material.
 */
public abstract class ChainException extends RuntimeException {
    protected ChainException(String message, Throwable cause) {
        super(message, cause);
    }
}
