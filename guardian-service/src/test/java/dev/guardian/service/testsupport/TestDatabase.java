package dev.guardian.service.testsupport;

import dev.guardian.service.audit.AuditKeys;
import dev.guardian.service.audit.AuditLog;
import dev.guardian.service.config.DatabaseRoles;
import dev.guardian.signer.KeyEncryptionKey;
import dev.guardian.signer.KeyVault;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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
 *
 * <p>{@link #pause()} makes it unresponsive the way a hung or overloaded server is: every process of the
 * server is stopped (SIGSTOP), so connections stay open, the kernel still accepts new ones, and nothing
 * answers; {@link #resume()} lets it carry on where it stopped.
 */
public final class TestDatabase implements AutoCloseable {
    private final EmbeddedPostgres postgres;
    private final DataSource owner;
    private final DatabaseRoles.Login login;
    private final DataSource application;
    private final Path dataDirectory;

    private TestDatabase(EmbeddedPostgres postgres) {
        this.postgres = postgres;
        this.owner = postgres.getPostgresDatabase();
        this.dataDirectory = Path.of(JdbcClient.create(owner)
                .sql("show data_directory")
                .query(String.class)
                .single());
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

    /**
     * Stops the server's every process (the postmaster first, so it forks no new backend, then its
     * children): it neither answers on the connections it has nor completes new ones, while the kernel
     * keeps them open. Call {@link #resume()} before closing.
     */
    public void pause() {
        long postmaster = postmasterPid();
        signal("STOP", List.of(postmaster));
        signal("STOP", childrenOf(postmaster));
    }

    /** Lets every process of a {@linkplain #pause() paused} server run again, the postmaster last. */
    public void resume() {
        long postmaster = postmasterPid();
        signal("CONT", childrenOf(postmaster));
        signal("CONT", List.of(postmaster));
    }

    /** The first line of {@code postmaster.pid} in the data directory. */
    private long postmasterPid() {
        try {
            return Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid"))
                    .getFirst()
                    .strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Long> childrenOf(long pid) {
        return ProcessHandle.of(pid)
                .orElseThrow()
                .children()
                .map(ProcessHandle::pid)
                .toList();
    }

    private static void signal(String signal, List<Long> pids) {
        if (pids.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(pid -> command.add(Long.toString(pid)));
        try {
            Process kill = new ProcessBuilder(command).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException(command + " exited with " + kill.exitValue());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The server's port, for a proxy to put in front of it. */
    public int port() {
        return postgres.getPort();
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
