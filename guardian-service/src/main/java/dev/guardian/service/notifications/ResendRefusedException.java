package dev.guardian.service.notifications;

import java.util.Optional;

/** A re-send that cannot be made: nothing changed and nothing will be sent. */
public class ResendRefusedException extends RuntimeException {
    public enum Why {
        /** No delivery has this id. */
        NOT_FOUND,
        /** It is PENDING (it will be tried anyway) or DELIVERED (the receiver has it): sending it again would duplicate it. */
        NOT_DEAD,
        /** Its endpoint is no longer configured, so there is nowhere (and no secret) to send it with. */
        ENDPOINT_NOT_CONFIGURED
    }

    private final Why why;
    private final Optional<DeliveryStatus> status;

    public ResendRefusedException(Why why, String message, Optional<DeliveryStatus> status) {
        super(message);
        this.why = why;
        this.status = status;
    }

    public Why why() {
        return why;
    }

    /** The delivery's status, when it exists. */
    public Optional<DeliveryStatus> status() {
        return status;
    }
}
