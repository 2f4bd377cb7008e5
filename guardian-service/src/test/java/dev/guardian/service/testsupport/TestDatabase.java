package dev.guardian.service.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A real PostgreSQL (embedded, from Maven artifacts) migrated with Guardian's own Flyway scripts, for
 * tests of the persistence classes without starting the whole service.
 */
public final class TestDatabase implements AutoCloseable {
    private final EmbeddedPostgres postgres;
    private final DataSource dataSource;

    private TestDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
        this.dataSource = postgres.getPostgresDatabase();
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }

    public static TestDatabase start() {
        try {
            return new TestDatabase(EmbeddedPostgres.builder().start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JdbcClient jdbc() {
        return JdbcClient.create(dataSource);
    }

    public TransactionTemplate transactions() {
        return new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
