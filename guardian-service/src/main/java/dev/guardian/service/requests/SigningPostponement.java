package dev.guardian.service.requests;

import dev.guardian.service.audit.AuditEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Why an allowed or approved request is not signed yet: the chain could not be used before anything was
 * signed ({@code chainError}, the last attempt's), first at {@code since}, last tried at {@code lastAttempt}.
 * The request stays ALLOWED or APPROVED with its reservation held, and is tried again every
 * {@code guardian.worker.chain-retry-interval}, through the same path that resumes a request after a crash,
 * until it is signed or can no longer succeed (its decision expired, it would revert, its agent was frozen).
 * A note about a request that does not move, not a state of its own: its status says what it is.
 */
public record SigningPostponement(Instant since, Instant lastAttempt, String chainError) {
    public SigningPostponement {
        Objects.requireNonNull(since, "since");
        Objects.requireNonNull(lastAttempt, "lastAttempt");
        Objects.requireNonNull(chainError, "chainError");
    }

    /**
     * The audit record of a postponement, written once when it begins (later failed attempts of the same
     * outage only update the request's note, so a long outage does not flood the log): the chain's error,
     * when the request became ready to sign ({@code allowedAt}: its decision or its final approval), how often
     * it is tried again, and when it is failed if the chain is still away ({@code expiresAt}).
     */
    @AuditEvent.Name("signing-postponed")
    public record Began(String chainError, Instant allowedAt, Duration retryEvery, Instant expiresAt)
            implements AuditEvent.OfRequest {}
}
