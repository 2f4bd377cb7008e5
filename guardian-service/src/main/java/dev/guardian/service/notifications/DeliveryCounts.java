package dev.guardian.service.notifications;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The gauge {@value #METRIC}, tagged {@code status=dead} and {@code status=pending}: how many deliveries
 * the database holds in each, for the whole deployment (every instance reports the same numbers). Both
 * come from one counting query over an index, reused for {@code cacheFor} however often metrics are read,
 * so a scraper cannot load the database. While the database cannot answer the gauges read NaN (unknown),
 * never a stale count that would clear an alert.
 */
final class DeliveryCounts implements MeterBinder {
    static final String METRIC = "guardian.webhooks.deliveries";
    private static final Logger log = LoggerFactory.getLogger(DeliveryCounts.class);

    private final JdbcClient jdbc;
    private final long cacheForNanos;
    private Counts last;
    private boolean failing;

    private record Counts(long takenAt, double dead, double pending) {}

    DeliveryCounts(JdbcClient jdbc, Duration cacheFor) {
        this.jdbc = jdbc;
        this.cacheForNanos = cacheFor.toNanos();
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(METRIC, this, counts -> counts.current().dead())
                .tag("status", "dead")
                .description("webhook deliveries that used all their attempts and wait for an administrator's re-send")
                .baseUnit("deliveries")
                .strongReference(true)
                .register(registry);
        Gauge.builder(METRIC, this, counts -> counts.current().pending())
                .tag("status", "pending")
                .description("webhook deliveries still to be sent or retried")
                .baseUnit("deliveries")
                .strongReference(true)
                .register(registry);
    }

    /** Reads each status's count, or the last read while it is younger than {@code cacheFor}. */
    private synchronized Counts current() {
        long now = System.nanoTime();
        if (last != null && now - last.takenAt() < cacheForNanos) {
            return last;
        }
        try {
            last = jdbc.sql("""
                            select count(*) filter (where status = 'DEAD') as dead,
                                   count(*) filter (where status = 'PENDING') as pending
                              from webhook_deliveries where status in ('DEAD', 'PENDING')
                            """)
                    .query((rs, n) -> new Counts(now, rs.getLong("dead"), rs.getLong("pending")))
                    .single();
            failing = false;
        } catch (DataAccessException e) {
            if (!failing) {
                log.warn("{} cannot be read until the database answers again: {}", METRIC, e.getMessage());
                failing = true;
            }
            last = new Counts(now, Double.NaN, Double.NaN);
        }
        return last;
    }
}
