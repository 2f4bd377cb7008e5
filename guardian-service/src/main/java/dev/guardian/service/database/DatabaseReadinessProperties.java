package dev.guardian.service.database;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The bounds of the database's readiness check ({@code db} in {@code /actuator/health/readiness}): its
 * outcome is reused for {@code cacheFor}, and a health request waits at most {@code timeout} for it, which
 * is also how long the check's validation query may take. Readiness turns DOWN at most about
 * {@code cacheFor + timeout} after the database stops answering.
 */
@Validated
@ConfigurationProperties("guardian.database.readiness")
record DatabaseReadinessProperties(
        @NotNull @DefaultValue("2s") Duration cacheFor,
        @NotNull @DefaultValue("1s") Duration timeout) {
    DatabaseReadinessProperties {
        if (cacheFor != null && cacheFor.isNegative()) {
            throw new IllegalArgumentException("guardian.database.readiness.cache-for must not be negative");
        }
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("guardian.database.readiness.timeout must be positive");
        }
    }
}
