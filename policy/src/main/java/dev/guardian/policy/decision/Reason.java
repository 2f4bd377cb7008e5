package dev.guardian.policy.decision;

import dev.guardian.policy.Address;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a rule held or stopped a request. {@code subject} names the address concerned (a sanctioned
 * or unknown counterparty), {@code numbers} the figures of a cap or budget, {@code counts} those of a
 * limit on how many requests, {@code gas} those of a ceiling on gas units, {@code validity} those of the
 * longest a signature may stay usable.
 */
public record Reason(
        RuleId rule,
        Verdict verdict,
        String message,
        Optional<Numbers> numbers,
        Optional<Address> subject,
        Optional<Counts> counts,
        Optional<GasFigures> gas,
        Optional<Validity> validity) {

    public Reason(RuleId rule, Verdict verdict, String message, Optional<Numbers> numbers, Optional<Address> subject) {
        this(rule, verdict, message, numbers, subject, Optional.empty(), Optional.empty(), Optional.empty());
    }

    public Reason(
            RuleId rule,
            Verdict verdict,
            String message,
            Optional<Numbers> numbers,
            Optional<Address> subject,
            Optional<Counts> counts,
            Optional<GasFigures> gas) {
        this(rule, verdict, message, numbers, subject, counts, gas, Optional.empty());
    }

    public Reason {
        Objects.requireNonNull(counts, "counts");
        Objects.requireNonNull(gas, "gas");
        Objects.requireNonNull(validity, "validity");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(numbers, "numbers");
        Objects.requireNonNull(subject, "subject");
        if (verdict == Verdict.ALLOW) {
            throw new IllegalArgumentException("a reason holds or stops a request; allowing needs no reason");
        }
        if (message == null || message.isBlank()) {
            throw new IllegalArgumentException("a reason needs a message a person can read");
        }
    }

    public static Reason deny(RuleId rule, String message) {
        return new Reason(rule, Verdict.DENY, message, Optional.empty(), Optional.empty());
    }

    public static Reason escalate(RuleId rule, String message) {
        return new Reason(rule, Verdict.ESCALATE, message, Optional.empty(), Optional.empty());
    }

    public Reason about(Address address) {
        return new Reason(rule, verdict, message, numbers, Optional.of(address), counts, gas, validity);
    }

    public Reason with(Numbers figures) {
        return new Reason(rule, verdict, message, Optional.of(figures), subject, counts, gas, validity);
    }

    public Reason with(Counts figures) {
        return new Reason(rule, verdict, message, numbers, subject, Optional.of(figures), gas, validity);
    }

    public Reason with(GasFigures figures) {
        return new Reason(rule, verdict, message, numbers, subject, counts, Optional.of(figures), validity);
    }

    public Reason with(Validity figures) {
        return new Reason(rule, verdict, message, numbers, subject, counts, gas, Optional.of(figures));
    }
}
