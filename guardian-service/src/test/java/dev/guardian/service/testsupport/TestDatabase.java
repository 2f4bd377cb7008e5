package dev.guardian.service.testsupport;

import dev.guardian.service.audit.AuditKeys;
import dev.guardian.service.audit.AuditLog;
import dev.guardian.service.config.DatabaseRoles;
import dev.guardian.signer.KeyEncryptionKey;
import dev.guardian.signer.KeyVault;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A real PostgreSQL (embedded, from Maven artifacts) migrated with Guardian's own Flyway scripts, for
 * tests of the persistence classes without starting the whole service. As in production there are two
 * users: the owner, who migrates ({@link #ownerJdbc()}), and the application's restricted login role
 * ({@link #jdbc()}, {@link #transactions()}, {@link #dataSource()}), which may only read and insert the
 * audit log. Give it to a {@link GuardianInstance} with {@link GuardianInstance.Builder#database(TestDatabase)}.
 */
public final class TestDatabase implements AutoCloseable {
    private final EmbeddedPostgres postgres;
    private final DataSource owner;
    private final DatabaseRoles.Login login;
    private final DataSource application;

    private TestDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
        this.owner = postgres.getPostgresDatabase();
        this.login = DatabaseRoles.createApplicationLogin(owner, "guardian_service");
        Flyway.configure()
                .dataSource(owner)
                .locations("classpath:db/migration")
                .load()
                .migrate();
        this.application = postgres.getDatabase(login.user(), "postgres", Map.of("password", login.password()));
    }

    public static TestDatabase start() {
        try {
            return new TestDatabase(EmbeddedPostgres.builder().start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As the application: may not update or delete audit records. */
    public JdbcClient jdbc() {
        return JdbcClient.create(application);
    }

    public DataSource dataSource() {
        return application;
    }

    public TransactionTemplate transactions() {
        return new TransactionTemplate(new DataSourceTransactionManager(application));
    }

    /**
     * An audit log over this database as the application writes it: the system clock, and the audit
     * signing key loaded (or created, the first time) under a fresh key-encryption key, so a second call
     * on the same database cannot open that key. A checkpoint is signed after every {@code checkpointEvery} records.
     */
    public AuditLog auditLog(int checkpointEvery) {
        TransactionTemplate transactions = transactions();
        AuditKeys keys = AuditKeys.loadOrCreate(
                jdbc(), transactions, new KeyVault(KeyEncryptionKey.generate()), Clock.systemUTC());
        return new AuditLog(application, transactions, Clock.systemUTC(), keys, checkpointEvery);
    }

    /** As the owner (a superuser here): for what only an owner or an attacker with its rights can do. */
    public JdbcClient ownerJdbc() {
        return JdbcClient.create(owner);
    }

    public DataSource ownerDataSource() {
        return owner;
    }

    /** The owner's URL (user postgres, no password), as before the two roles. */
    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    /** The URL without a user, for configurations that name their user separately. */
    public String plainJdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    }

    public String applicationUser() {
        return login.user();
    }

    public String applicationPassword() {
        return login.password();
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
