package dev.guardian.service.requests;

/**
 * Where a request stands. DENIED, REJECTED, EXPIRED, CONFIRMED and FAILED are final. PENDING_APPROVAL
 * holds its budget reservation until people decide; APPROVED means the quorum approved and the re-check
 * passed, and it is being signed (as ALLOWED is for a request the policy allowed outright). SIGNED means
 * a signed transaction is stored but no node is known to hold it (the broadcast was unanswered, or a node
 * refused it, and then {@code failure} says why); SUBMITTED means a node accepted it. In both, the worker
 * re-broadcasts the same bytes (same nonce, so it can never pay twice) until a receipt settles it, or the
 * chain's confirmed nonce passes its nonce without one (another transaction took it). A typed-data
 * signature is never broadcast: once signed it is AUTHORIZED (or, a message that moves no value, CONFIRMED).
 */
public enum RequestStatus {
    DENIED,
    PENDING_APPROVAL,
    APPROVED,
    REJECTED,
    EXPIRED,
    ALLOWED,
    SIGNED,
    SUBMITTED,
    CONFIRMED,
    FAILED,
    /**
     * Mined, but it did something that was not judged (docs/lifecycle.md): the agent is frozen and the
     * budgets are charged what really left.
     */
    DIVERGED,
    /**
     * A typed-data signature that moves value was signed and handed over, and may still be used on chain:
     * its reservation is held until it is used (CONFIRMED), can no longer be used (EXPIRED) or is cancelled
     * (FAILED).
     */
    AUTHORIZED;

    public boolean isFinal() {
        return this == DENIED
                || this == REJECTED
                || this == EXPIRED
                || this == CONFIRMED
                || this == FAILED
                || this == DIVERGED;
    }
}
