package dev.guardian.service.chain;

import dev.guardian.policy.ChainId;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The chain's part of readiness ({@code chain} in {@code /actuator/health/readiness}): DOWN while the node
 * cannot be reached, serves another chain, or does not trace calls as simulation needs (see
 * {@link ChainProbe}), and while the adapter's circuit breaker is open (Guardian's own calls are failing).
 * It is not part of liveness: restarting Guardian does not bring a node back.
 *
 * <p>A probe's outcome is kept for {@code cacheFor}, so that any number of health requests cost the node
 * at most two calls per period, and only one probe is ever in flight. A health request waits at most
 * {@code timeout} for a probe (Kubernetes gives a probe one second by default); one that takes longer
 * answers DOWN, and the probe's outcome, when it comes, serves the next requests. Details hold no part
 * of the RPC URL, which may carry an API key.
 */
final class ChainHealthIndicator implements HealthIndicator {
    private final ChainProbe probe;
    private final CircuitBreaker breaker;
    private final ChainId chainId;
    private final Duration cacheFor;
    private final Duration timeout;
    private final Clock clock;
    private final Object lock = new Object();
    /** The last finished probe; guarded by {@link #lock}. */
    private Checked last;
    /** The probe under way, if any; guarded by {@link #lock}. */
    private CompletableFuture<Checked> inFlight;

    ChainHealthIndicator(
            ChainProbe probe,
            CircuitBreaker breaker,
            ChainId chainId,
            Duration cacheFor,
            Duration timeout,
            Clock clock) {
        this.probe = Objects.requireNonNull(probe, "probe");
        this.breaker = Objects.requireNonNull(breaker, "breaker");
        this.chainId = Objects.requireNonNull(chainId, "chainId");
        this.cacheFor = Objects.requireNonNull(cacheFor, "cacheFor");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A probe's outcome, when it finished ({@code finishedNanos}: {@link System#nanoTime()}, for its age). */
    private record Checked(ChainProbe.Outcome outcome, Instant at, long finishedNanos) {}

    @Override
    public Health health() {
        CircuitBreaker.State state = breaker.getState();
        Checked checked = null;
        String problem;
        try {
            checked = current();
            problem = checked.outcome().problem().orElse(null);
        } catch (TimeoutException e) {
            problem = "the chain did not answer the readiness probe within " + timeout.toMillis() + " ms";
        } catch (ExecutionException e) {
            problem = "the readiness probe failed: " + probe.withoutRpcUrl(String.valueOf(e.getCause()));
        }
        if (problem == null && (state == CircuitBreaker.State.OPEN || state == CircuitBreaker.State.FORCED_OPEN)) {
            // The node answers the probe, but Guardian's own calls have been failing (timeouts, resets under
            // load): requests would get 503 until the breaker lets calls through again.
            problem = "the chain circuit breaker is open: Guardian's calls to the chain have been failing";
        }
        Health.Builder health = problem == null ? Health.up() : Health.down().withDetail("problem", problem);
        health.withDetail("chainId", chainId.value());
        if (checked != null) {
            checked.outcome().servedChainId().ifPresent(served -> health.withDetail("servedChainId", served));
            health.withDetail("checkedAt", checked.at().toString())
                    .withDetail("probeMillis", checked.outcome().took().toMillis());
        }
        return health.withDetail("circuitBreaker", state.name()).build();
    }

    /** The cached outcome while fresh; otherwise the outcome of a new probe (or the one under way). */
    private Checked current() throws TimeoutException, ExecutionException {
        CompletableFuture<Checked> pending;
        synchronized (lock) {
            if (last != null && System.nanoTime() - last.finishedNanos() < cacheFor.toNanos()) {
                return last;
            }
            if (inFlight == null) {
                CompletableFuture<Checked> started = new CompletableFuture<>();
                inFlight = started;
                Thread.ofVirtual().name("chain-readiness-probe").start(() -> finish(started));
            }
            pending = inFlight;
        }
        try {
            return pending.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimeoutException("interrupted");
        }
    }

    /** Runs the probe; whatever happens, the next health request after it may start another. */
    private void finish(CompletableFuture<Checked> started) {
        Checked checked = null;
        try {
            checked = new Checked(probe.probe(), clock.instant(), System.nanoTime());
        } finally {
            synchronized (lock) {
                if (checked != null) {
                    last = checked;
                }
                inFlight = null;
            }
            if (checked != null) {
                started.complete(checked);
            } else {
                started.completeExceptionally(
                        new IllegalStateException("the readiness probe stopped without an outcome"));
            }
        }
    }
}
