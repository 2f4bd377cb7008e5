package dev.guardian.service.approvals;

import dev.guardian.service.requests.RequestStatus;
import java.util.Optional;

/** An approval or rejection that cannot be taken: nothing was recorded. */
public class ApprovalRefusedException extends RuntimeException {
    public enum Why {
        NOT_PENDING,
        ALREADY_DECIDED,
        OWN_REQUEST,
        NOT_FOUND
    }

    private final Why why;
    private final Optional<RequestStatus> status;

    public ApprovalRefusedException(Why why, String message, Optional<RequestStatus> status) {
        super(message);
        this.why = why;
        this.status = status;
    }

    public Why why() {
        return why;
    }

    public Optional<RequestStatus> status() {
        return status;
    }
}
