package dev.guardian.e2e.x402;

import dev.guardian.policy.Address;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reference x402 resource server ({@code e2e/src/test/node/x402-server.mjs}) as a child process:
 * {@code GET /weather} (x402 v2) and, on a chain v1 has a name for, {@code GET /v1/weather} (v1), settled on
 * the given RPC URL by the reference facilitator with the given key. {@link #close()} stops it. Its stderr
 * goes to a file (a pipe nobody reads would block it) whose tail is in every failure message.
 */
public final class X402ResourceServer implements AutoCloseable {
    /** Where the node binary is, when not {@code node} on the PATH. */
    public static final String NODE_SYSTEM_PROPERTY = "guardian.node.bin";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern PORT = Pattern.compile("\"port\":(\\d+)");
    private static final Pattern V1_NETWORK = Pattern.compile("\"v1Network\":\"([^\"]+)\"");

    private final Process process;
    private final Path stderr;
    private final int port;
    private final String v1Network;

    private X402ResourceServer(Process process, Path stderr, int port, String v1Network) {
        this.process = process;
        this.stderr = stderr;
        this.port = port;
        this.v1Network = v1Network;
    }

    /**
     * Starts the server and returns once it listens.
     *
     * @param price in the token's smallest units
     * @param facilitatorKey the 0x-hex private key of the account that pays the settlement gas
     */
    public static X402ResourceServer start(
            URI rpcUrl, long chainId, Address token, Address payTo, long price, String facilitatorKey) {
        return start(rpcUrl, chainId, token, payTo, price, facilitatorKey, 0);
    }

    /** As above, with the {@code maxTimeoutSeconds} the server asks for (0: the server's default, 300). */
    public static X402ResourceServer start(
            URI rpcUrl,
            long chainId,
            Address token,
            Address payTo,
            long price,
            String facilitatorKey,
            long maxTimeoutSeconds) {
        Path root = repositoryRoot();
        Path script = root.resolve("e2e/src/test/node/x402-server.mjs");
        List<String> command = new ArrayList<>(List.of(
                node(),
                script.toString(),
                "--rpc-url",
                rpcUrl.toString(),
                "--chain-id",
                Long.toString(chainId),
                "--token",
                token.toString(),
                "--pay-to",
                payTo.toString(),
                "--price",
                Long.toString(price),
                "--facilitator-key",
                facilitatorKey));
        if (maxTimeoutSeconds > 0) {
            command.addAll(List.of("--max-timeout-seconds", Long.toString(maxTimeoutSeconds)));
        }
        Path stderr;
        Process process;
        try {
            stderr = Files.createTempFile("x402-server-", ".log");
            process = new ProcessBuilder(command)
                    .directory(root.toFile())
                    .redirectError(stderr.toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
        }
        BufferedReader stdout =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
            try {
                return stdout.readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        String line;
        try {
            line = firstLine.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            destroy(process);
            throw new IllegalStateException(
                    "the x402 server did not say its port within " + START_TIMEOUT + ": " + tail(stderr), e);
        } catch (InterruptedException e) {
            destroy(process);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the x402 server started", e);
        }
        Matcher port = line == null ? null : PORT.matcher(line);
        if (port == null || !port.find()) {
            destroy(process);
            throw new IllegalStateException("the x402 server exited or said no port (" + line + "): " + tail(stderr));
        }
        Thread drain = new Thread(() -> stdout.lines().forEach(ignored -> {}), "x402-server-stdout");
        drain.setDaemon(true);
        drain.start();
        Matcher v1 = V1_NETWORK.matcher(line);
        return new X402ResourceServer(process, stderr, Integer.parseInt(port.group(1)), v1.find() ? v1.group(1) : null);
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** The v1 name of the chain ({@code base-sepolia}), or null when the v1 route is not served. */
    public String v1Network() {
        return v1Network;
    }

    /** The last lines the server wrote to stderr: for assertion messages. */
    public String stderrTail() {
        return tail(stderr);
    }

    @Override
    public void close() {
        destroy(process);
        try {
            Files.deleteIfExists(stderr);
        } catch (IOException e) {
            // a leftover log in the temporary directory is harmless
        }
    }

    private static void destroy(Process process) {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return "stderr: " + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(stderr unreadable: " + e.getMessage() + ")";
        }
    }

    /**
     * {@value #NODE_SYSTEM_PROPERTY}, else {@code node} from the PATH: the same Node.js that bin/env.sh
     * requires for npm and that installed node_modules.
     */
    private static String node() {
        String configured = System.getProperty(NODE_SYSTEM_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(directory, "node");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException("node (Node.js 20+) not found on the PATH; set -D" + NODE_SYSTEM_PROPERTY);
    }

    /** e2e/pom.xml passes guardian.repository.root; else the nearest parent holding node_modules/@x402. */
    private static Path repositoryRoot() {
        String configured = System.getProperty("guardian.repository.root");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path directory = Path.of("").toAbsolutePath(); directory != null; directory = directory.getParent()) {
            if (Files.isDirectory(directory.resolve("node_modules/@x402/express"))) {
                return directory;
            }
        }
        throw new IllegalStateException("repository root not found: run `npm ci` at the repository root");
    }
}
