package dev.guardian.service.requests;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Background work: following submitted transactions to their receipts, re-broadcasting stored ones,
 * resuming allowed requests whose submission was interrupted ({@code interruptedAfter}) or whose signing a
 * chain outage postponed (tried again every {@code chainRetryInterval}, which is also how often the resume
 * pass runs) unless the decision is older than {@code allowedExpiry}, and reading held allowances back from
 * the chain every {@code exposureSyncInterval}; a transaction not mined {@code replaceAfter} after its last
 * signature is replaced with higher fees, at most {@code maxReplacements} times. Outstanding typed-data
 * signatures are read back every {@code authorizationWatchInterval} (one the chain shows unused lapses once the
 * safe head is past its last usable instant: {@code guardian.chain.confirmation-depth}); a cancellation of one
 * that was denied or failed is tried again {@code cancellationBackoff} after the first failure, twice as long
 * after each further one, at most {@code cancellationBackoffMax} apart. A co-signed Safe transaction's cover is
 * good on chain for {@code safeCoverLifetime} from its signing (at most a day): what Guardian holds for it is
 * released only once the safe head is past that and the Safe did not execute it (docs/safe-wallets.md).
 */
@Validated
@ConfigurationProperties("guardian.worker")
record WorkerProperties(
        @NotNull @DefaultValue("500ms") Duration receiptPollInterval,
        @NotNull @DefaultValue("10s") Duration rebroadcastAfter,
        @Min(1) @DefaultValue("50") int batchSize,
        @NotNull @DefaultValue("30s") Duration interruptedAfter,
        @NotNull @DefaultValue("5m") Duration allowedExpiry,
        @NotNull @DefaultValue("30s") Duration exposureSyncInterval,
        @NotNull @DefaultValue("2m") Duration replaceAfter,
        @Min(0) @DefaultValue("5") int maxReplacements,
        @NotNull @DefaultValue("5s") Duration chainRetryInterval,
        @NotNull @DefaultValue("2s") Duration authorizationWatchInterval,
        @NotNull @DefaultValue("15s") Duration cancellationBackoff,
        @NotNull @DefaultValue("5m") Duration cancellationBackoffMax,
        @NotNull @DefaultValue("10m") Duration safeCoverLifetime) {

    /**
     * The longest a Safe cover may stay good: Guardian holds what it judged until the cover lapses, so a long one
     * keeps budget held (and co-signed bytes usable) long after a relayed execution failed.
     */
    static final Duration MAX_SAFE_COVER_LIFETIME = Duration.ofDays(1);

    WorkerProperties {
        if (chainRetryInterval != null && (chainRetryInterval.isNegative() || chainRetryInterval.isZero())) {
            throw new IllegalArgumentException(
                    "guardian.worker.chain-retry-interval must be positive, was " + chainRetryInterval);
        }
        if (safeCoverLifetime != null
                && (safeCoverLifetime.isNegative()
                        || safeCoverLifetime.isZero()
                        || safeCoverLifetime.compareTo(MAX_SAFE_COVER_LIFETIME) > 0)) {
            throw new IllegalArgumentException("guardian.worker.safe-cover-lifetime must be positive and at most "
                    + MAX_SAFE_COVER_LIFETIME + ", was " + safeCoverLifetime);
        }
        if (cancellationBackoff != null && cancellationBackoffMax != null) {
            backoff(cancellationBackoff, cancellationBackoffMax); // refuses a backoff that would not do, naming it
        }
    }

    CancellationBackoff backoff() {
        return backoff(cancellationBackoff, cancellationBackoffMax);
    }

    private static CancellationBackoff backoff(Duration first, Duration most) {
        return new CancellationBackoff(first, most);
    }
}
