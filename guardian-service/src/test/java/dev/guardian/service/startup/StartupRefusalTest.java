package dev.guardian.service.startup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.policy.Address;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.TestDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * Every refused start ends in one line that names the cause and the setting to change, and no stack
 * trace: a missing, malformed or wrong key-encryption key; a database that cannot be reached, refuses the
 * login, does not exist, is not migrated or does not match the migrations; a chain that cannot be reached
 * or is another chain; a wrong setting.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupRefusalTest {
    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static Address usdc;
    private static TestDatabase database;
    private static String kek;

    @BeforeAll
    static void startOnce() {
        usdc = CHAIN.devChain().deployTestUsdc();
        database = TestDatabase.start();
        kek = GuardianInstance.newKek();
        // A first start seals the audit key (and so the database) with this KEK.
        guardian().start().close();
    }

    @AfterAll
    static void stop() throws IOException {
        database.close();
    }

    @Test
    void aMissingKeyEncryptionKey(CapturedOutput output) {
        refused(output, guardian().kek(" "), "no key-encryption key is configured", "guardian.keys.kek");
    }

    @Test
    void aKeyEncryptionKeyThatIsNotThirtyTwoBytes(CapturedOutput output) {
        refused(output, guardian().kek("c2hvcnQ="), "the key-encryption key is not usable", "guardian.keys.kek");
    }

    @Test
    void aKeyEncryptionKeyFileThatDoesNotExist(CapturedOutput output, @TempDir Path dir) {
        refused(
                output,
                guardian().kek(" ").property("guardian.keys.kek-file", dir.resolve("kek")),
                "the key-encryption key file " + dir.resolve("kek") + " does not exist",
                "guardian.keys.kek-file");
    }

    @Test
    void anotherKeyEncryptionKeyThanTheDatabaseWasSealedWith(CapturedOutput output) {
        refused(
                output,
                guardian().kek(GuardianInstance.newKek()),
                "cannot be opened with this instance's key-encryption key",
                "guardian.keys.kek");
    }

    @Test
    void aPreviousKeyEncryptionKeyFileThatDoesNotExist(CapturedOutput output, @TempDir Path dir) {
        refused(
                output,
                guardian().kek(kek).property("guardian.keys.previous-kek-file", dir.resolve("old-kek")),
                "the previous key-encryption key file " + dir.resolve("old-kek") + " does not exist",
                "guardian.keys.previous-kek-file");
    }

    @Test
    void aRotationWhosePreviousKeyIsNotTheOneTheDatabaseWasSealedWith(CapturedOutput output) {
        refused(
                output,
                guardian()
                        .kek(GuardianInstance.newKek())
                        .property("guardian.keys.previous-kek", GuardianInstance.newKek()),
                "a stored key opens with neither the key-encryption key nor the previous one, so no key was re-sealed",
                "guardian.keys.previous-kek");
    }

    @Test
    void aDatabaseThatCannotBeReached(CapturedOutput output) throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        refused(
                output,
                guardian()
                        .database(
                                "jdbc:postgresql://127.0.0.1:" + closed + "/guardian?password=hunter2",
                                "guardian",
                                "x"),
                "cannot reach its database jdbc:postgresql://127.0.0.1:" + closed + "/guardian (",
                "spring.datasource.url");
        assertThat(output.getAll()).doesNotContain("hunter2");
    }

    @Test
    void aLoginTheDatabaseRefuses(CapturedOutput output) {
        // The embedded server trusts local logins whatever the password; a role it does not know it refuses.
        refused(
                output,
                guardian().database(database.plainJdbcUrl(), "no_such_role", "not-the-password"),
                "refused the login",
                "spring.datasource.username / spring.datasource.password");
        assertThat(output.getAll()).doesNotContain("not-the-password");
    }

    @Test
    void aDatabaseThatDoesNotExist(CapturedOutput output) {
        String url = database.plainJdbcUrl().replace("/postgres", "/no_such_database");
        refused(
                output,
                guardian().database(url, database.applicationUser(), database.applicationPassword()),
                "does not exist",
                "spring.datasource.url");
    }

    @Test
    void aDatabaseWithoutTheSchemaWhileMigrationsAreOff(CapturedOutput output) {
        database.ownerJdbc().sql("create database empty_guardian").update();
        String url = database.plainJdbcUrl().replace("/postgres", "/empty_guardian");
        refused(
                output,
                guardian().database(url, "postgres", "").property("spring.flyway.enabled", false),
                "does not have this Guardian's schema",
                "spring.flyway.enabled");
    }

    @Test
    void aSchemaThatDoesNotMatchTheMigrations(CapturedOutput output) throws SQLException {
        database.ownerJdbc().sql("create database edited_guardian").update();
        String url = database.plainJdbcUrl().replace("/postgres", "/edited_guardian");
        guardian().database(url, "postgres", "").start().close();
        try (Connection edited = DriverManager.getConnection(url, "postgres", "");
                Statement statement = edited.createStatement()) {
            statement.executeUpdate("update flyway_schema_history set checksum = 1 where version = '1'");
        }
        refused(
                output,
                guardian().database(url, "postgres", ""),
                "the database's schema does not match this Guardian's migrations",
                "spring.flyway");
    }

    @Test
    void aChainThatCannotBeReached(CapturedOutput output) throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        refused(
                output,
                GuardianInstance.builder(URI.create("http://127.0.0.1:" + closed + "/"), usdc)
                        .database(database)
                        .kek(kek),
                "the chain cannot be used",
                "guardian.chain.rpc-url");
    }

    @Test
    void anotherChainThanConfigured(CapturedOutput output) {
        refused(
                output,
                guardian().property("guardian.chain.chain-id", 8453),
                "serves chain id 31337 but Guardian is configured for chain id 8453",
                "guardian.chain.chain-id");
    }

    @Test
    void aWrongSetting(CapturedOutput output) {
        refused(
                output,
                guardian().property("guardian.treasury.sweep-address", "0x0000000000000000000000000000000000000000"),
                "guardian.treasury.sweep-address",
                "guardian.treasury.sweep-address");
    }

    private static GuardianInstance.Builder guardian() {
        return GuardianInstance.builder(CHAIN.anvil().rpcUrl(), usdc)
                .database(database)
                .kek(kek)
                .property("spring.main.banner-mode", "off");
    }

    /** The start fails; its output has one ERROR line, naming cause and setting, and no stack trace. */
    private static void refused(CapturedOutput output, GuardianInstance.Builder start, String cause, String setting) {
        int before = output.getAll().length();
        assertThatThrownBy(() -> start.start().close()).isInstanceOf(RuntimeException.class);
        String printed = output.getAll().substring(before);
        List<String> errors = printed.lines().filter(l -> l.contains(" ERROR ")).toList();
        assertThat(errors).as(printed).hasSize(1);
        assertThat(errors.get(0))
                .contains("Guardian did not start: ")
                .contains(cause)
                .contains("Setting: " + setting);
        assertThat(printed.lines().filter(l -> l.startsWith("\tat ") || l.startsWith("Caused by:")))
                .as("no stack trace outside the debug log")
                .isEmpty();
    }
}
