package dev.guardian.service.sanctions;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls {@link SanctionsScreening#refreshDue()} every check interval on its own thread, so that a long
 * download never delays the receipt worker or any other scheduled job.
 */
final class SanctionsRefresher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SanctionsRefresher.class);

    private final ScheduledExecutorService executor;

    SanctionsRefresher(SanctionsScreening screening, Duration checkInterval) {
        if (checkInterval.isNegative() || checkInterval.isZero()) {
            throw new IllegalArgumentException(
                    "guardian.sanctions.check-interval must be positive, was " + checkInterval);
        }
        this.executor = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("sanctions-refresh").daemon().factory());
        long millis = checkInterval.toMillis();
        executor.scheduleWithFixedDelay(
                () -> {
                    try {
                        screening.refreshDue();
                    } catch (RuntimeException e) {
                        // Thrown out of here, it would cancel every later run.
                        log.error("the periodic sanctions refresh failed; it runs again in {}", checkInterval, e);
                    }
                },
                millis,
                millis,
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
