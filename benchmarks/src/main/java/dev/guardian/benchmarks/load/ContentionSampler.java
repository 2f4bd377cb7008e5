package dev.guardian.benchmarks.load;

import com.zaxxer.hikari.HikariPoolMXBean;
import dev.guardian.service.chain.JsonRpcChannel;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import tools.jackson.databind.JsonNode;

/**
 * Looks, at a fixed interval while a scenario runs, at who is waiting for what: database sessions
 * waiting for the audit log's chain lock, for an agent's decision lock (the only other advisory lock
 * Guardian takes) or for a row lock (the nonce row of a sending address, or a request row); requests
 * waiting for one of Guardian's pooled connections; and transactions pending in Anvil's pool. The
 * averages say which lock a scenario queues on. Sampling uses its own connection, outside Guardian's pool.
 */
final class ContentionSampler implements AutoCloseable {
    /** {@code pg_advisory_xact_lock(0x6775617264696e61)}, the audit chain lock (AdvisoryLocks.Lock.AUDIT_CHAIN), as pg_locks shows a bigint key. */
    private static final long AUDIT_LOCK_CLASSID = 0x67756172L;

    private static final long AUDIT_LOCK_OBJID = 0x64696e61L;
    private static final String WAITING =
            """
            select count(*) filter (where locktype = 'advisory' and classid = %d and objid = %d) as audit,
                   count(*) filter (where locktype = 'advisory' and not (classid = %d and objid = %d)) as agent,
                   count(*) filter (where locktype in ('transactionid', 'tuple')) as row_lock,
                   count(*) filter (where locktype not in ('advisory', 'transactionid', 'tuple')) as other
            from pg_locks where not granted
            """.formatted(AUDIT_LOCK_CLASSID, AUDIT_LOCK_OBJID, AUDIT_LOCK_CLASSID, AUDIT_LOCK_OBJID);
    private static final int CHAIN_SAMPLE_EVERY = 10;

    /** Averages over the samples (waiting sessions or requests at a random instant) and maxima. */
    record Contention(
            int samples,
            double auditLock,
            double agentLock,
            double rowLock,
            double otherLock,
            int maxAuditLock,
            double poolWaiting,
            int maxPoolWaiting,
            double poolActive,
            long maxAnvilPending) {}

    private final Connection connection;
    private final PreparedStatement waiting;
    private final Optional<HikariPoolMXBean> pool;
    private final JsonRpcChannel anvil;
    private final Duration every;
    private final Thread thread;
    private volatile boolean running = true;
    private int samples;
    private long audit;
    private long agent;
    private long row;
    private long other;
    private int maxAudit;
    private long poolWaiting;
    private int maxPoolWaiting;
    private long poolActive;
    private long maxPending;

    private ContentionSampler(
            DataSource database, Optional<HikariPoolMXBean> pool, JsonRpcChannel anvil, Duration every)
            throws SQLException {
        this.connection = database.getConnection();
        this.waiting = connection.prepareStatement(WAITING);
        this.pool = pool;
        this.anvil = anvil;
        this.every = every;
        this.thread = Thread.ofPlatform().name("contention-sampler").daemon().unstarted(this::sampleUntilClosed);
    }

    static ContentionSampler start(
            DataSource database, Optional<HikariPoolMXBean> pool, JsonRpcChannel anvil, Duration every) {
        try {
            ContentionSampler sampler = new ContentionSampler(database, pool, anvil, every);
            sampler.thread.start();
            return sampler;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect the contention sampler: " + e.getMessage(), e);
        }
    }

    /** Stops sampling and returns what it saw. */
    Contention finish() {
        close();
        double n = Math.max(1, samples);
        return new Contention(
                samples,
                audit / n,
                agent / n,
                row / n,
                other / n,
                maxAudit,
                poolWaiting / n,
                maxPoolWaiting,
                poolActive / n,
                maxPending);
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException e) {
            // nothing to do about a connection that would not close at the end of a run
        }
    }

    private void sampleUntilClosed() {
        while (running) {
            try {
                sample();
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                return;
            } catch (SQLException | IOException | RuntimeException e) {
                System.err.println("contention sampler: " + e.getMessage());
                return;
            }
        }
    }

    private void sample() throws SQLException, IOException {
        try (ResultSet rs = waiting.executeQuery()) {
            rs.next();
            int auditNow = rs.getInt("audit");
            audit += auditNow;
            maxAudit = Math.max(maxAudit, auditNow);
            agent += rs.getInt("agent");
            row += rs.getInt("row_lock");
            other += rs.getInt("other");
        }
        if (pool.isPresent()) {
            int awaiting = pool.get().getThreadsAwaitingConnection();
            poolWaiting += awaiting;
            maxPoolWaiting = Math.max(maxPoolWaiting, awaiting);
            poolActive += pool.get().getActiveConnections();
        }
        if (samples % CHAIN_SAMPLE_EVERY == 0) {
            JsonNode status = anvil.send("txpool_status", List.of()).result();
            if (status != null && status.has("pending")) {
                JsonNode pending = status.get("pending");
                maxPending =
                        Math.max(maxPending, pending.isNumber() ? pending.asLong() : Long.decode(pending.asString()));
            }
        }
        samples++;
    }
}
