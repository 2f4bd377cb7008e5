package dev.guardian.service.identity;

import java.util.Objects;

/** A change to the people that Guardian refused, and why; nothing was changed. */
public class PeopleChangeRefusedException extends RuntimeException {
    public enum Why {
        /** No person has this id. */
        NOT_FOUND,
        /** A person with this id exists already. */
        ALREADY_EXISTS,
        /** The change would leave no active administrator, and nobody could manage Guardian any more. */
        LAST_ADMIN,
        /** The person is disabled; a disabled person gets no new roles or tokens. */
        DISABLED
    }

    private final Why why;

    PeopleChangeRefusedException(Why why, String message) {
        super(message);
        this.why = Objects.requireNonNull(why, "why");
    }

    public Why why() {
        return why;
    }
}
