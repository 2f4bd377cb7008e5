package dev.guardian.policy.decision;

/** The figures behind a ceiling on gas units: the most a transaction may be signed with, and what it asked for. */
public record GasFigures(long limit, long attempted) {
    public GasFigures {
        if (limit < 0 || attempted < 0) {
            throw new IllegalArgumentException("gas is never negative");
        }
    }
}
