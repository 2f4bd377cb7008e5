package dev.guardian.service.devchain;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A running Anvil (Foundry's local node) on 127.0.0.1, started from the binary pinned in the repository's
 * {@code package.json}. Its output goes to a log file, never to a pipe nobody reads (a full pipe would
 * block Anvil). {@link #close()} stops it and waits; a JVM shutdown hook stops it too if nobody closed it.
 *
 * <p>Started with {@code --max-transactions 100000}: with Anvil's default of 1,000 per block, automine
 * stalls once about a thousand transactions are pending, which load tests reach easily.
 */
public final class AnvilProcess implements AutoCloseable {
    public static final String BINARY_ENVIRONMENT_VARIABLE = "GUARDIAN_ANVIL_BIN";
    public static final String BINARY_SYSTEM_PROPERTY = "guardian.anvil.bin";

    private static final int PORT_ATTEMPTS = 3;
    private static final int LOG_LINES_IN_ERRORS = 20;
    private static final Pattern CHAIN_ID_ANSWER = Pattern.compile("\"result\"\\s*:\\s*\"0x([0-9a-fA-F]+)\"");

    private final Process process;
    private final int port;
    private final long chainId;
    private final Path logFile;
    private final boolean deleteLogOnClose;
    private final Thread shutdownHook;
    private boolean closed;

    private AnvilProcess(Process process, int port, long chainId, Path logFile, boolean deleteLogOnClose) {
        this.process = process;
        this.port = port;
        this.chainId = chainId;
        this.logFile = logFile;
        this.deleteLogOnClose = deleteLogOnClose;
        this.shutdownHook = new Thread(this::stopProcess, "anvil-" + port + "-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public static AnvilProcess start() {
        return start(AnvilOptions.defaults());
    }

    /**
     * Starts Anvil and returns once it answers {@code eth_chainId} with the expected id. Throws
     * {@link IllegalStateException} with the last lines of its log when it exits or does not answer in time.
     */
    public static AnvilProcess start(AnvilOptions options) {
        Path binary = options.binary() != null ? options.binary() : locateBinary();
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("Anvil binary " + binary + " does not exist or is not executable");
        }
        // A free port found here can be taken by someone else before Anvil binds it; try another then.
        int attempts = options.port() == 0 ? PORT_ATTEMPTS : 1;
        for (int attempt = 1; ; attempt++) {
            int port = options.port() == 0 ? freePort() : options.port();
            try {
                return launch(binary, port, options);
            } catch (PortTakenException e) {
                if (attempt >= attempts) {
                    throw new IllegalStateException(
                            "Anvil could not listen on port " + port + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /**
     * Where the Anvil executable is: the system property {@value #BINARY_SYSTEM_PROPERTY}, else the
     * environment variable {@value #BINARY_ENVIRONMENT_VARIABLE}, else
     * {@code node_modules/@foundry-rs/anvil-<os>-<arch>/bin/anvil} in the working directory or the nearest
     * parent that has it (Maven runs tests in the module directory, the repository root holds node_modules).
     */
    public static Path locateBinary() {
        String configured = System.getProperty(BINARY_SYSTEM_PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(BINARY_ENVIRONMENT_VARIABLE);
        }
        if (configured != null && !configured.isBlank()) {
            Path binary = Path.of(configured);
            if (!Files.isExecutable(binary)) {
                throw new IllegalStateException("Anvil binary " + binary + " (from " + BINARY_SYSTEM_PROPERTY + " or "
                        + BINARY_ENVIRONMENT_VARIABLE + ") does not exist or is not executable");
            }
            return binary;
        }
        Path relative = Path.of("node_modules", "@foundry-rs", "anvil-" + platform(), "bin", "anvil");
        Path start = Path.of("").toAbsolutePath();
        for (Path directory = start; directory != null; directory = directory.getParent()) {
            Path candidate = directory.resolve(relative);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("Anvil not found: looked for " + relative + " in " + start
                + " and its parents. Run `npm ci` at the repository root (it installs the pinned Anvil),"
                + " or point " + BINARY_ENVIRONMENT_VARIABLE + " at an Anvil binary.");
    }

    public URI rpcUrl() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    public long chainId() {
        return chainId;
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The operating system's process id: for tests that pause the chain with SIGSTOP and resume it. */
    public long pid() {
        return process.pid();
    }

    /** Stops Anvil (and anything it started) and waits for it to exit. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        stopProcess();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook is running or about to; it stops the same process
        }
        if (deleteLogOnClose) {
            try {
                Files.deleteIfExists(logFile);
            } catch (IOException e) {
                // a leftover temporary log is harmless
            }
        }
    }

    @Override
    public String toString() {
        return "AnvilProcess[port=" + port + ", chainId=" + chainId + ", pid=" + process.pid() + "]";
    }

    private void stopProcess() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static AnvilProcess launch(Path binary, int port, AnvilOptions options) {
        boolean temporaryLog = options.logFile() == null;
        Path logFile;
        try {
            logFile = temporaryLog ? Files.createTempFile("anvil-" + port + "-", ".log") : options.logFile();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a log file for Anvil", e);
        }
        List<String> command = new ArrayList<>(List.of(
                binary.toString(),
                "--host",
                "127.0.0.1",
                "--port",
                Integer.toString(port),
                "--chain-id",
                Long.toString(options.chainId()),
                "--max-transactions",
                "100000"));
        if (options.quiet()) {
            command.add("--quiet");
        }
        command.addAll(options.extraArguments());
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(nullDevice()))
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start Anvil from " + binary + ": " + e.getMessage(), e);
        }
        AnvilProcess anvil = new AnvilProcess(process, port, options.chainId(), logFile, temporaryLog);
        try {
            anvil.awaitReady(options.startTimeout());
            return anvil;
        } catch (RuntimeException e) {
            // The error carries the log's last lines; a log file someone asked for stays, a temporary one goes.
            anvil.close();
            throw e;
        }
    }

    private void awaitReady(Duration timeout) {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(rpcUrl())
                .timeout(Duration.ofSeconds(1))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[]}"))
                .build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                String log = lastLogLines();
                if (log.contains("Address already in use")) {
                    throw new PortTakenException(log);
                }
                throw new IllegalStateException("Anvil exited with status " + process.exitValue()
                        + " before answering; last lines of its log:\n" + log);
            }
            try {
                HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                Matcher answer = CHAIN_ID_ANSWER.matcher(response.body());
                if (response.statusCode() == 200 && answer.find()) {
                    long served = Long.parseLong(answer.group(1), 16);
                    if (served != chainId) {
                        throw new IllegalStateException("Anvil on port " + port + " answers chain id " + served
                                + " instead of " + chainId + "; is another node on that port?");
                    }
                    return;
                }
            } catch (IOException notListeningYet) {
                // keep waiting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Anvil to start", e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Anvil did not answer eth_chainId on port " + port + " within "
                        + timeout + "; last lines of its log:\n" + lastLogLines());
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Anvil to start", e);
            }
        }
    }

    private String lastLogLines() {
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            long length = file.length();
            long from = Math.max(0, length - 8192);
            byte[] tail = new byte[(int) (length - from)];
            file.seek(from);
            file.readFully(tail);
            List<String> lines =
                    new String(tail, StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_LINES_IN_ERRORS), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free local port for Anvil", e);
        }
    }

    private static File nullDevice() {
        return new File(
                System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("windows") ? "NUL" : "/dev/null");
    }

    private static String platform() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String osPart = os.contains("linux") ? "linux" : os.contains("mac") || os.contains("darwin") ? "darwin" : null;
        String archPart = switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            default -> null;
        };
        if (osPart == null || archPart == null) {
            throw new IllegalStateException(
                    "no pinned Anvil for " + os + "/" + arch + " (Linux and macOS on x86-64 or ARM64 only);" + " set "
                            + BINARY_ENVIRONMENT_VARIABLE + " to an Anvil 1.7.1 binary");
        }
        return osPart + "-" + archPart;
    }

    private static final class PortTakenException extends RuntimeException {
        PortTakenException(String log) {
            super(log);
        }
    }
}
