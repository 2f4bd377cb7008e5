package dev.guardian.policy.decision;

/** The three outcomes, in order of precedence: a later constant beats an earlier one. */
public enum Verdict {
    ALLOW,
    ESCALATE,
    DENY;

    public Verdict strongest(Verdict other) {
        return compareTo(other) >= 0 ? this : other;
    }
}
