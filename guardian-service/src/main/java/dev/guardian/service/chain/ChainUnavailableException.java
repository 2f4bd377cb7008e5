package dev.guardian.service.chain;

/**
 * The chain could not be reached, did not answer in time, answered something that is not a usable
 * JSON-RPC answer, or the adapter refused to try (circuit open, too many calls in flight). The message
 * says which call and why.
 *
 * <p>For {@link ChainAdapter#sendRawTransaction}, {@link #mayHaveReachedNode()} says whether the
 * transaction could have been broadcast anyway (a timeout after the request went out): then its fate is
 * unknown and only the nonce manager, watching the nonce and the transaction's hash, may decide to resend.
 */
public class ChainUnavailableException extends ChainException {
    private final boolean mayHaveReachedNode;

    public ChainUnavailableException(String message) {
        this(message, null, true);
    }

    public ChainUnavailableException(String message, Throwable cause) {
        this(message, cause, true);
    }

    /**
     * @param mayHaveReachedNode false only when the request certainly never left Guardian (connection
     *     refused, circuit open, bulkhead full); when in doubt, true
     */
    public ChainUnavailableException(String message, Throwable cause, boolean mayHaveReachedNode) {
        super(message, cause);
        this.mayHaveReachedNode = mayHaveReachedNode;
    }

    public boolean mayHaveReachedNode() {
        return mayHaveReachedNode;
    }
}
