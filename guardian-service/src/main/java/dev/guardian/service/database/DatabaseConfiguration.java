package dev.guardian.service.database;

import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the database's readiness check. */
@Configuration(proxyBeanMethods = false)
class DatabaseConfiguration {

    /**
     * {@code db} in readiness (application.yml puts it in the group). The name is the one Spring Boot's own
     * indicator has, and a bean of this name is what stops Spring Boot from creating that one.
     */
    @Bean
    HealthIndicator dbHealthIndicator(DataSource dataSource, DatabaseReadinessProperties readiness, Clock clock) {
        return new DatabaseHealthIndicator(dataSource, readiness.cacheFor(), readiness.timeout(), clock);
    }
}
