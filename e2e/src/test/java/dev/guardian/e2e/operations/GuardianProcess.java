package dev.guardian.e2e.operations;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Guardian as an operator runs it: {@code java -jar} on the executable jar the build made, a process of
 * its own (so it can be killed with SIGKILL mid-payment and started again on the same port), its output in
 * a log file. The jar is {@value #JAR_PROPERTY}, which the e2e module's build sets.
 */
final class GuardianProcess implements AutoCloseable {
    static final String JAR_PROPERTY = "guardian.exec.jar";
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final List<String> arguments;
    private final Map<String, String> environment;
    private final Path log;
    private final int port;
    private Process process;

    private GuardianProcess(List<String> arguments, Map<String, String> environment, Path log, int port) {
        this.arguments = List.copyOf(arguments);
        this.environment = Map.copyOf(environment);
        this.log = log;
        this.port = port;
    }

    /** Starts it on a free port with {@code arguments} ({@code --name=value}) and waits until it is ready. */
    static GuardianProcess start(List<String> arguments, Map<String, String> environment, Duration patience) {
        try {
            int port = ExternalPostgres.freePort();
            Path log = Files.createTempFile("guardian-process-", ".log");
            GuardianProcess guardian = new GuardianProcess(arguments, environment, log, port);
            guardian.launch();
            guardian.awaitReady(patience);
            return guardian;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path jar() {
        String jar = System.getProperty(JAR_PROPERTY);
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException(JAR_PROPERTY + " (" + jar + ") is not a file: build guardian-service first"
                    + " (mvn package, which the e2e module's reactor build does before its tests)");
        }
        return Path.of(jar);
    }

    /** The Java that runs this test runs Guardian too: the one bin/env.sh chose. */
    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    URI baseUrl() {
        return URI.create("http://127.0.0.1:" + port);
    }

    String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** SIGKILL, as {@code kill -9}: no shutdown hook runs, in-flight requests are cut where they are. */
    void kill() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        awaitExit();
    }

    /** Starts it again on the same port, with the same configuration, and waits until it is ready. */
    void restart(Duration patience) {
        if (process.isAlive()) {
            throw new IllegalStateException("still running");
        }
        launch();
        awaitReady(patience);
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** SIGTERM and wait: a graceful stop. */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
            }
        }
    }

    private void launch() {
        List<String> command =
                new ArrayList<>(List.of(java(), "-Xmx512m", "-XX:+UseSerialGC", "-jar", jar().toString()));
        // Its own fixed port, instead of any given: a restart must come back where clients and the balancer expect it.
        arguments.stream().filter(a -> !a.startsWith("--server.port=")).forEach(command::add);
        command.add("--server.port=" + port);
        try {
            // What was run, for a failure's report; secrets (the KEK, passwords) stay out of it.
            Files.writeString(
                    log,
                    "command: "
                            + command.stream().map(GuardianProcess::redacted).toList() + "\n",
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String redacted(String argument) {
        int equals = argument.indexOf('=');
        return equals > 0 && argument.matches("--.*(kek|password|token)[^=]*=.*")
                ? argument.substring(0, equals + 1) + "(redacted)"
                : argument;
    }

    private void awaitReady(Duration patience) {
        Instant deadline = Instant.now().plus(patience);
        URI readiness = baseUrl().resolve("/actuator/health/readiness");
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(
                        "Guardian exited " + process.exitValue() + " while starting:\n" + tail());
            }
            try {
                HttpResponse<Void> answer = HTTP.send(
                        HttpRequest.newBuilder(readiness)
                                .timeout(Duration.ofSeconds(3))
                                .build(),
                        HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            pause(Duration.ofMillis(250));
        }
        throw new IllegalStateException("Guardian was not ready within " + patience + ":\n" + tail());
    }

    private void awaitExit() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Guardian did not exit");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String tail() {
        List<String> lines = output().lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
