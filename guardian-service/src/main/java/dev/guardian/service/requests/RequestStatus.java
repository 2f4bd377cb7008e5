package dev.guardian.service.requests;

/**
 * Where a request stands. DENIED, REJECTED, EXPIRED, CONFIRMED and FAILED are final. PENDING_APPROVAL
 * holds its budget reservation until people decide; APPROVED means the quorum approved and the re-check
 * passed, and it is being signed (as ALLOWED is for a request the policy allowed outright). SIGNED means a signed transaction is stored but whether the node
 * received it is not yet known; the worker re-broadcasts the same bytes (same nonce, so it can never
 * pay twice) until a receipt settles it.
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
    DIVERGED;

    public boolean isFinal() {
        return this == DENIED
                || this == REJECTED
                || this == EXPIRED
                || this == CONFIRMED
                || this == FAILED
                || this == DIVERGED;
    }
}
