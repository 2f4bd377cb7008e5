package dev.guardian.service.chain;

/**
 * The node was reached and answered a read with a JSON-RPC error (method not supported, invalid
 * parameters, a balance query to something that is not a token, ...). Unlike
 * {@link ChainUnavailableException} this does not count against the circuit breaker and is never
 * retried: asking the same question again gets the same answer.
 */
public class ChainRequestFailedException extends ChainException {
    private final int rpcErrorCode;

    ChainRequestFailedException(String message, int rpcErrorCode) {
        super(message, null);
        this.rpcErrorCode = rpcErrorCode;
    }

    public int rpcErrorCode() {
        return rpcErrorCode;
    }
}
