package dev.guardian.service.requests;

/**
 * The request cannot say which wallet it pays from: it names a wallet that is not the agent's own, or
 * the agent holds several and the request names none. Nothing was recorded.
 */
public class WalletChoiceException extends RuntimeException {
    WalletChoiceException(String message) {
        super(message);
    }
}
