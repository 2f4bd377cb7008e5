package dev.guardian.service.devchain;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How to start Anvil.
 *
 * @param port where to listen on 127.0.0.1; 0 picks a free port
 * @param chainId the chain id Anvil reports (31337 by default, as Anvil itself)
 * @param binary the Anvil executable; null finds it with {@link AnvilProcess#locateBinary()}
 * @param logFile where Anvil's output goes; null for a temporary file deleted on a clean close
 * @param startTimeout how long to wait for Anvil to answer {@code eth_chainId}
 * @param quiet pass {@code --quiet}: under load Anvil logs every transaction; errors still reach the log file
 * @param extraArguments further command-line arguments, e.g. {@code --block-time 1}
 */
public record AnvilOptions(
        int port,
        long chainId,
        Path binary,
        Path logFile,
        Duration startTimeout,
        boolean quiet,
        List<String> extraArguments) {
    public static final long DEFAULT_CHAIN_ID = 31337;

    public AnvilOptions {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 (any free port) or 1-65535, was " + port);
        }
        if (chainId <= 0) {
            throw new IllegalArgumentException("chainId must be positive, was " + chainId);
        }
        Objects.requireNonNull(startTimeout, "startTimeout");
        if (startTimeout.isNegative() || startTimeout.isZero()) {
            throw new IllegalArgumentException("startTimeout must be positive");
        }
        extraArguments = List.copyOf(extraArguments);
    }

    public static AnvilOptions defaults() {
        return new AnvilOptions(0, DEFAULT_CHAIN_ID, null, null, Duration.ofSeconds(15), true, List.of());
    }

    public AnvilOptions withPort(int newPort) {
        return new AnvilOptions(newPort, chainId, binary, logFile, startTimeout, quiet, extraArguments);
    }

    public AnvilOptions withChainId(long newChainId) {
        return new AnvilOptions(port, newChainId, binary, logFile, startTimeout, quiet, extraArguments);
    }

    public AnvilOptions withBinary(Path newBinary) {
        return new AnvilOptions(port, chainId, newBinary, logFile, startTimeout, quiet, extraArguments);
    }

    public AnvilOptions withLogFile(Path newLogFile) {
        return new AnvilOptions(port, chainId, binary, newLogFile, startTimeout, quiet, extraArguments);
    }

    public AnvilOptions withStartTimeout(Duration newStartTimeout) {
        return new AnvilOptions(port, chainId, binary, logFile, newStartTimeout, quiet, extraArguments);
    }

    public AnvilOptions withQuiet(boolean newQuiet) {
        return new AnvilOptions(port, chainId, binary, logFile, startTimeout, newQuiet, extraArguments);
    }

    public AnvilOptions withExtraArguments(String... arguments) {
        return new AnvilOptions(port, chainId, binary, logFile, startTimeout, quiet, List.of(arguments));
    }
}
