package dev.guardian.service.requests;

import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.decision.Numbers;
import dev.guardian.policy.decision.Reason;
import dev.guardian.service.audit.AuditEvent;

/**
 * A reason as agents and the database see it: the stable rule id, the verdict, a message, the address
 * concerned, and the figures in whole units of the named asset (with the raw smallest units too, so
 * nothing is lost to formatting).
 */
public record ReasonView(
        String ruleId,
        String verdict,
        String message,
        String subject,
        Figures figures,
        CountFigures counts,
        GasView gas,
        ValidityView validity)
        implements AuditEvent.CitesRule {

    /**
     * The figures of the longest a signature may stay usable (typed-data.validity-too-long): the policy's
     * limit and what was asked, as ISO-8601 durations and in seconds.
     */
    public record ValidityView(String limit, String attempted, long limitSeconds, long attemptedSeconds) {}

    /** The figures of a ceiling on gas units (fee.gas-limit): the ceiling, and the gas limit asked for. */
    public record GasView(long limit, long attempted) {}

    /** The figures of a limit on how many requests may be made (limit.transaction-count). */
    public record CountFigures(long limit, long used, long remaining, String window, String resetsAt) {}

    public record Figures(
            String asset,
            String limit,
            String attempted,
            String used,
            String remaining,
            String limitUnits,
            String attemptedUnits,
            String usedUnits,
            String remainingUnits,
            String window,
            String resetsAt) {}

    public static ReasonView of(Reason reason) {
        return new ReasonView(
                reason.rule().id(),
                reason.verdict().name(),
                reason.message(),
                reason.subject().map(Object::toString).orElse(null),
                reason.numbers().map(ReasonView::figures).orElse(null),
                reason.counts()
                        .map(c -> new CountFigures(
                                c.limit(),
                                c.used(),
                                c.remaining(),
                                c.window().map(Object::toString).orElse(null),
                                c.resetsAt().map(Object::toString).orElse(null)))
                        .orElse(null),
                reason.gas().map(g -> new GasView(g.limit(), g.attempted())).orElse(null),
                reason.validity()
                        .map(v -> new ValidityView(
                                v.limit().toString(),
                                v.attempted().toString(),
                                v.limit().toSeconds(),
                                v.attempted().toSeconds()))
                        .orElse(null));
    }

    private static Figures figures(Numbers n) {
        return new Figures(
                n.limit().asset().symbol(),
                whole(n.limit()),
                whole(n.attempted()),
                whole(n.used()),
                whole(n.remaining()),
                n.limit().units().toString(),
                n.attempted().units().toString(),
                n.used().units().toString(),
                n.remaining().units().toString(),
                n.window().map(Object::toString).orElse(null),
                n.resetsAt().map(Object::toString).orElse(null));
    }

    private static String whole(TokenAmount amount) {
        return amount.toDecimalString();
    }
}
