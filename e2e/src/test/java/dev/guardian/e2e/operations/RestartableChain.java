package dev.guardian.e2e.operations;

import dev.guardian.policy.Address;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.devchain.AnvilOptions;
import dev.guardian.service.devchain.AnvilProcess;
import dev.guardian.service.devchain.DevChain;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;

/**
 * Anvil with a state file ({@code --state}: loaded at start, written at exit, with the historical states), on a port that stays the
 * same across restarts, so the chain can be paused (SIGSTOP) and resumed, or stopped and started again
 * from its state, while Guardian keeps the same RPC URL. Everything asserted is read from the node itself.
 */
final class RestartableChain implements AutoCloseable {
    private final AnvilOptions options;
    private final Path home;
    private final Web3j web3j;
    private final DevChain dev;
    private AnvilProcess anvil;

    private RestartableChain(AnvilOptions options, Path home) {
        this.options = options;
        this.home = home;
        this.anvil = AnvilProcess.start(options);
        this.web3j = ChainAdapter.connect(anvil.rpcUrl(), Duration.ofSeconds(10));
        this.dev = DevChain.attach(web3j);
    }

    static RestartableChain start() {
        try {
            Path home = Files.createTempDirectory("guardian-anvil-");
            AnvilOptions options = AnvilOptions.defaults()
                    .withPort(ExternalPostgres.freePort())
                    // A node keeps its history across a restart (an archive node does): without the historical
                    // states Anvil cannot trace the transactions mined before it stopped, and Guardian, which
                    // confirms nothing it cannot trace, would leave them SUBMITTED (docs/faults.md).
                    .withExtraArguments(
                            "--state", home.resolve("state.json").toString(), "--preserve-historical-states");
            return new RestartableChain(options, home);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    URI rpcUrl() {
        return anvil.rpcUrl();
    }

    DevChain dev() {
        return dev;
    }

    void pause() {
        Processes.signal(handle(), "STOP");
    }

    void resume() {
        Processes.signal(handle(), "CONT");
    }

    /** Stops Anvil (it writes its state as it exits) and starts it again from that state, on the same port. */
    void restartFromState() {
        anvil.close();
        anvil = AnvilProcess.start(options);
    }

    /** The account's nonce as mined ({@code latest}) or with the pool ({@code pending}). */
    long nonce(Address account, boolean pending) {
        try {
            BigInteger count = web3j.ethGetTransactionCount(
                            account.toLowerHex(),
                            pending ? DefaultBlockParameterName.PENDING : DefaultBlockParameterName.LATEST)
                    .send()
                    .getTransactionCount();
            return count.longValueExact();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            anvil.close();
            web3j.shutdown();
        } finally {
            Processes.run(List.of("rm", "-rf", home.toString()), Map.of(), null, Duration.ofSeconds(30));
        }
    }

    private ProcessHandle handle() {
        return ProcessHandle.of(anvil.pid()).orElseThrow(() -> new IllegalStateException("Anvil is not running"));
    }
}
