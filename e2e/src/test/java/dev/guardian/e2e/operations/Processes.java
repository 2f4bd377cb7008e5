package dev.guardian.e2e.operations;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs the commands these tests need (PostgreSQL's tools, bash, kill) and says what failed when one does. */
final class Processes {
    private Processes() {}

    /** A command's exit status and what it printed (stdout and stderr together). */
    record Result(int exitCode, String output) {}

    static Result run(List<String> command, Map<String, String> environment, Path directory, Duration timeout) {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        if (directory != null) {
            builder.directory(directory.toFile());
        }
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            // Read while it runs, so a talkative command cannot block on a full pipe.
            StringBuilder output = new StringBuilder();
            Thread reader = Thread.ofVirtual().start(() -> {
                try {
                    output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    output.append("(output unreadable: ").append(e).append(')');
                }
            });
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
            }
            reader.join();
            return new Result(process.exitValue(), output.toString());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs it and insists on exit status 0. */
    static String check(List<String> command, Map<String, String> environment, Duration timeout) {
        Result result = run(command, environment, null, timeout);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(
                    String.join(" ", command) + " exited " + result.exitCode() + ":\n" + result.output());
        }
        return result.output();
    }

    /** Sends {@code signal} (STOP, CONT, KILL, TERM) to a process and everything it started. */
    static void signal(ProcessHandle process, String signal) {
        List<String> pids = Stream.concat(Stream.of(process), process.descendants())
                .map(p -> Long.toString(p.pid()))
                .toList();
        List<String> command =
                Stream.concat(Stream.of("kill", "-" + signal), pids.stream()).toList();
        check(command, Map.of(), Duration.ofSeconds(10));
    }
}
