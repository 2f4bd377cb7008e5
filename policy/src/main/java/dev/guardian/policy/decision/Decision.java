package dev.guardian.policy.decision;

import java.util.List;

/**
 * The outcome of judging one request: allow, escalate to humans, or deny. Deny beats escalate beats
 * allow; every reason that fired is kept, so an agent sees all it must fix, not only the first.
 */
public sealed interface Decision permits Decision.Allow, Decision.Escalate, Decision.Deny {

    List<Reason> reasons();

    Verdict verdict();

    /** Combines the reasons of every rule into one decision. No reasons means allow. */
    static Decision of(List<Reason> reasons) {
        Verdict strongest = Verdict.ALLOW;
        for (Reason reason : reasons) {
            strongest = strongest.strongest(reason.verdict());
        }
        return switch (strongest) {
            case ALLOW -> new Allow();
            case ESCALATE -> new Escalate(reasons);
            case DENY -> new Deny(reasons);
        };
    }

    record Allow() implements Decision {
        @Override
        public List<Reason> reasons() {
            return List.of();
        }

        @Override
        public Verdict verdict() {
            return Verdict.ALLOW;
        }
    }

    record Escalate(List<Reason> reasons) implements Decision {
        public Escalate {
            reasons = List.copyOf(reasons);
            if (reasons.isEmpty() || reasons.stream().anyMatch(r -> r.verdict() == Verdict.DENY)) {
                throw new IllegalArgumentException("an escalation has at least one reason and none that denies");
            }
        }

        @Override
        public Verdict verdict() {
            return Verdict.ESCALATE;
        }
    }

    /** Denied. Also lists escalating reasons that fired alongside, so the agent sees the whole picture. */
    record Deny(List<Reason> reasons) implements Decision {
        public Deny {
            reasons = List.copyOf(reasons);
            if (reasons.stream().noneMatch(r -> r.verdict() == Verdict.DENY)) {
                throw new IllegalArgumentException("a denial has at least one denying reason");
            }
        }

        @Override
        public Verdict verdict() {
            return Verdict.DENY;
        }
    }
}
