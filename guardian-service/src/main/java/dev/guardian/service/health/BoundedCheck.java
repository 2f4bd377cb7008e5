package dev.guardian.service.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * A probe that readiness may ask as often as it likes: its outcome is kept for {@code cacheFor}, so any
 * number of health requests cost what they check at most one probe per period; only one probe is ever in
 * flight; and a health request waits at most {@code timeout} for it (Kubernetes gives a probe one second by
 * default). A probe that takes longer keeps running on its own virtual thread, and its outcome, when it
 * comes, serves the next requests; until then each request that finds the cache stale waits for that same
 * probe, never starting another, so a hung dependency costs one blocked thread, not one per health request.
 *
 * @param <T> what a probe finds out
 */
public final class BoundedCheck<T> {
    private final String name;
    private final Supplier<T> probe;
    private final Duration cacheFor;
    private final Duration timeout;
    private final Clock clock;
    private final Object lock = new Object();
    /** The last finished probe; guarded by {@link #lock}. */
    private Checked<T> last;
    /** The probe under way, if any; guarded by {@link #lock}. */
    private CompletableFuture<Checked<T>> inFlight;

    /**
     * @param name names the probe's thread, e.g. {@code database-readiness-probe}
     * @param probe what is asked; an exception it throws is the outcome of that probe (see {@link #current()})
     */
    public BoundedCheck(String name, Supplier<T> probe, Duration cacheFor, Duration timeout, Clock clock) {
        this.name = Objects.requireNonNull(name, "name");
        this.probe = Objects.requireNonNull(probe, "probe");
        this.cacheFor = Objects.requireNonNull(cacheFor, "cacheFor");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (cacheFor.isNegative() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(name + " needs a positive timeout and a cache time of zero or more,"
                    + " got timeout " + timeout + " and cacheFor " + cacheFor);
        }
    }

    /** A probe's outcome, when it finished ({@code finishedNanos}: {@link System#nanoTime()}, for its age). */
    public record Checked<T>(T outcome, Instant at, long finishedNanos) {}

    /** How long a health request waits for a probe. */
    public Duration timeout() {
        return timeout;
    }

    /**
     * The cached outcome while fresh; otherwise the outcome of a new probe (or of the one under way).
     *
     * @throws TimeoutException when the probe did not finish within {@link #timeout()}
     * @throws ExecutionException when the probe threw (its exception is the cause); a failed probe is not
     *     cached, so the next request starts another
     */
    public Checked<T> current() throws TimeoutException, ExecutionException {
        CompletableFuture<Checked<T>> pending;
        synchronized (lock) {
            if (last != null && System.nanoTime() - last.finishedNanos() < cacheFor.toNanos()) {
                return last;
            }
            if (inFlight == null) {
                CompletableFuture<Checked<T>> started = new CompletableFuture<>();
                inFlight = started;
                Thread.ofVirtual().name(name).start(() -> finish(started));
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
    private void finish(CompletableFuture<Checked<T>> started) {
        Checked<T> checked = null;
        Throwable failure = null;
        try {
            checked = new Checked<>(probe.get(), clock.instant(), System.nanoTime());
        } catch (RuntimeException | Error e) {
            failure = e;
        } finally {
            synchronized (lock) {
                if (checked != null) {
                    last = checked;
                }
                inFlight = null;
            }
        }
        if (checked != null) {
            started.complete(checked);
        } else {
            started.completeExceptionally(failure);
        }
    }
}
