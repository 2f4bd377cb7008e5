package dev.guardian.service.requests;

/**
 * Where a request stands. DENIED, CONFIRMED and FAILED are final. PENDING_APPROVAL holds its budget
 * reservation until humans decide. SIGNED means a signed transaction is stored but whether the node
 * received it is not yet known; the worker re-broadcasts the same bytes (same nonce, so it can never
 * pay twice) until a receipt settles it.
 */
public enum RequestStatus {
    DENIED,
    PENDING_APPROVAL,
    ALLOWED,
    SIGNED,
    SUBMITTED,
    CONFIRMED,
    FAILED;

    public boolean isFinal() {
        return this == DENIED || this == CONFIRMED || this == FAILED;
    }
}
