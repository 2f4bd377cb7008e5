package dev.guardian.service.database;

import dev.guardian.service.health.BoundedCheck;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The database's part of readiness ({@code db} in {@code /actuator/health/readiness}), in place of Spring
 * Boot's own indicator, which asks the pool for a connection with no bound of its own and so answered
 * only after the pool's connection timeout (30 s by default) when the server was paused or unreachable. The
 * check takes a connection from the application's pool, exactly as a request would, and validates it
 * with a bounded query; it runs as a {@link BoundedCheck}, so its outcome is reused for {@code cacheFor},
 * only one is ever in flight, and a health request waits at most {@code timeout} for it whatever the
 * server does. It is not part of liveness: restarting Guardian does not bring a database back.
 *
 * <p>Details never hold the JDBC URL, the host or the user (drivers put them in their messages): a
 * failure is described by its exception types and SQLStates only.
 */
final class DatabaseHealthIndicator implements HealthIndicator {
    private final DataSource dataSource;
    private final BoundedCheck<Outcome> check;
    private final int validationSeconds;

    DatabaseHealthIndicator(DataSource dataSource, Duration cacheFor, Duration timeout, Clock clock) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.check = new BoundedCheck<>("database-readiness-check", this::probe, cacheFor, timeout, clock);
        // JDBC's validation takes whole seconds: the query may take at most the timeout, rounded up.
        this.validationSeconds = (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
    }

    /** What one check found: a problem, or none, and how long it took. */
    record Outcome(Optional<String> problem, Duration took) {}

    @Override
    public Health health() {
        BoundedCheck.Checked<Outcome> checked = null;
        String problem;
        try {
            checked = check.current();
            problem = checked.outcome().problem().orElse(null);
        } catch (TimeoutException e) {
            problem = "the database did not answer the readiness check within "
                    + check.timeout().toMillis() + " ms";
        } catch (ExecutionException e) {
            problem = "the readiness check failed: " + DatabaseFailures.describe(e.getCause());
        }
        Health.Builder health = problem == null ? Health.up() : Health.down().withDetail("problem", problem);
        if (checked != null) {
            health.withDetail("checkedAt", checked.at().toString())
                    .withDetail("probeMillis", checked.outcome().took().toMillis());
        }
        return health.build();
    }

    private Outcome probe() {
        long started = System.nanoTime();
        Optional<String> problem;
        try (Connection connection = dataSource.getConnection()) {
            problem = connection.isValid(validationSeconds)
                    ? Optional.empty()
                    : Optional.of("the database did not answer a validation query within " + validationSeconds + " s");
        } catch (SQLException | RuntimeException e) {
            problem = Optional.of("no connection to the database: " + DatabaseFailures.describe(e));
        }
        return new Outcome(problem, Duration.ofNanos(System.nanoTime() - started));
    }
}
