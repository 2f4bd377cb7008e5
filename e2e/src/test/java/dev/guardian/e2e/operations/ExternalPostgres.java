package dev.guardian.e2e.operations;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL server of its own, as an operator runs one: a cluster made by {@code initdb} in a temporary
 * directory, owned by the operating system's {@code postgres} user and started with {@code pg_ctl} on a
 * free port of 127.0.0.1 (password logins over TCP, {@code peer} on its Unix socket), standing in for the
 * cluster a distribution's package starts. The tests run as root, as {@code runuser -u postgres} needs; the
 * binaries are Debian's ({@value #DEBIAN_15}) or any other build's {@code bin} directory. It can be paused
 * (SIGSTOP: connections stay open and nothing answers) and resumed, restarted as after a crash, and stopped.
 */
final class ExternalPostgres implements AutoCloseable {
    static final String DEBIAN_15 = "/usr/lib/postgresql/15/bin";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private final Path bin;
    private final Path home;
    private final Path data;
    private final int port;

    private ExternalPostgres(Path bin, Path home, int port) {
        this.bin = bin;
        this.home = home;
        this.data = home.resolve("data");
        this.port = port;
    }

    /** Why these tests cannot run here, if they cannot: not root, no {@code postgres} user, or no binaries. */
    static Optional<String> unavailable(Path bin) {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of(
                    "runs as root (runuser -u postgres), as .ci/run does; this is " + System.getProperty("user.name"));
        }
        if (!Files.isExecutable(bin.resolve("postgres"))) {
            return Optional.of(
                    bin.resolve("postgres") + " is not installed (bin/test installs Debian's postgresql-15)");
        }
        if (Processes.run(List.of("id", "postgres"), Map.of(), null, COMMAND_TIMEOUT)
                        .exitCode()
                != 0) {
            return Optional.of("there is no postgres user (Debian's postgresql package creates it)");
        }
        return Optional.empty();
    }

    /**
     * Skips the calling test when PostgreSQL cannot run here ({@link #unavailable}), or fails it when
     * {@code guardian.operator-tests.required} is true (bin/test sets it as root, as CI runs): there a skip
     * would let the fault suite "pass" without a single case run.
     */
    static void requireAvailable(Path bin) {
        Optional<String> missing = unavailable(bin);
        if (missing.isEmpty()) {
            return;
        }
        if (Boolean.getBoolean("guardian.operator-tests.required")) {
            throw new IllegalStateException("the operator tests are required here, but cannot run: " + missing.get());
        }
        Assumptions.abort("PostgreSQL cannot run here: " + missing.get());
    }

    static ExternalPostgres start(Path bin) {
        try {
            Path home = Files.createTempDirectory("guardian-pg-");
            ExternalPostgres postgres = new ExternalPostgres(bin, home, freePort());
            postgres.initialise();
            postgres.startServer();
            return postgres;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    /** What psql and the other client tools need to reach this server: PGHOST (its socket directory) and PGPORT. */
    Map<String, String> clientEnvironment() {
        return Map.of("PGHOST", home.toString(), "PGPORT", Integer.toString(port));
    }

    String version() {
        return Processes.check(List.of(bin.resolve("postgres").toString(), "--version"), Map.of(), COMMAND_TIMEOUT)
                .strip();
    }

    /** Runs SQL as the superuser, over the Unix socket (peer authentication, as {@code postgres}). */
    String superuserSql(String database, String sql) {
        return Processes.check(
                asPostgres(
                        "psql",
                        "-X",
                        "-q",
                        "-v",
                        "ON_ERROR_STOP=1",
                        "-At",
                        "-d",
                        database,
                        "-h",
                        home.toString(),
                        "-p",
                        Integer.toString(port),
                        "-c",
                        sql),
                Map.of(),
                COMMAND_TIMEOUT);
    }

    /** SIGSTOP to the server and all its processes: open connections stay, nothing answers. */
    void pause() {
        Processes.signal(postmaster(), "STOP");
    }

    void resume() {
        Processes.signal(postmaster(), "CONT");
    }

    /** A crash and a restart: every connection is cut, uncommitted work is lost, the data is recovered. */
    void restartAfterCrash() {
        pgCtl("stop", "-m", "immediate");
        startServer();
    }

    @Override
    public void close() {
        try {
            if (Files.exists(data.resolve("postmaster.pid"))) {
                pgCtl("stop", "-m", "fast");
            }
        } finally {
            Processes.run(List.of("rm", "-rf", home.toString()), Map.of(), null, COMMAND_TIMEOUT);
        }
    }

    private void initialise() {
        Processes.check(List.of("chown", "postgres:postgres", home.toString()), Map.of(), COMMAND_TIMEOUT);
        Processes.check(
                asPostgres(
                        "initdb",
                        "-D",
                        data.toString(),
                        "-U",
                        "postgres",
                        "--auth-local=peer",
                        "--auth-host=scram-sha-256",
                        "--encoding=UTF8",
                        "--locale=C.UTF-8"),
                Map.of(),
                COMMAND_TIMEOUT);
    }

    private void startServer() {
        pgCtl(
                "start",
                "-w",
                "-t",
                "60",
                "-l",
                home.resolve("server.log").toString(),
                "-o",
                "-p " + port + " -k " + home + " -c listen_addresses=127.0.0.1 -c max_connections=200"
                        + " -c fsync=off -c shared_buffers=64MB");
    }

    private void pgCtl(String... arguments) {
        List<String> command = new ArrayList<>(List.of("pg_ctl", "-D", data.toString()));
        command.addAll(List.of(arguments));
        Processes.check(asPostgres(command.toArray(String[]::new)), Map.of(), COMMAND_TIMEOUT);
    }

    private ProcessHandle postmaster() {
        try {
            long pid = Long.parseLong(
                    Files.readAllLines(data.resolve("postmaster.pid")).get(0).strip());
            return ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no postmaster " + pid));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As the {@code postgres} user: the server's own programs from {@link #bin}, client tools from the PATH. */
    private List<String> asPostgres(String... command) {
        List<String> all = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        boolean server = List.of("initdb", "pg_ctl", "postgres").contains(command[0]);
        all.add(server ? bin.resolve(command[0]).toString() : command[0]);
        all.addAll(List.of(command).subList(1, command.length));
        return all;
    }

    /**
     * PostgreSQL 17's server programs, from the build Guardian's embedded database ships (io.zonky's
     * binaries on the classpath), unpacked once into a directory the {@code postgres} user can read. Its
     * client tools are not in that build: psql and pg_dump come from the PATH (Debian's).
     */
    static synchronized Path postgres17() {
        try {
            Path home = Path.of(
                    System.getProperty("java.io.tmpdir"),
                    "guardian-pg17-" + ProcessHandle.current().pid());
            if (!Files.isExecutable(home.resolve("bin/postgres"))) {
                Files.createDirectories(home);
                try (InputStream archive = ExternalPostgres.class.getResourceAsStream("/postgres-linux-x86_64.txz")) {
                    if (archive == null) {
                        throw new IllegalStateException("postgres-linux-x86_64.txz is not on the classpath");
                    }
                    Files.copy(archive, home.resolve("postgres.txz"));
                }
                Processes.check(
                        List.of("tar", "-xJf", home.resolve("postgres.txz").toString(), "-C", home.toString()),
                        Map.of(),
                        COMMAND_TIMEOUT);
                Processes.check(List.of("chmod", "-R", "a+rX", home.toString()), Map.of(), COMMAND_TIMEOUT);
            }
            return home.resolve("bin");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
