package dev.guardian.service.policies;

/** A policy version that cannot be created or activated as asked; nothing changed. */
public class PolicyChangeRefusedException extends RuntimeException {
    public enum Why {
        /** No such agent. */
        UNKNOWN_AGENT,
        /** The agent has no such version. */
        UNKNOWN_VERSION,
        /** The version asked for is the active one already. */
        ALREADY_ACTIVE
    }

    private final Why why;

    public PolicyChangeRefusedException(Why why, String message) {
        super(message);
        this.why = why;
    }

    public Why why() {
        return why;
    }
}
