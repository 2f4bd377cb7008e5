package dev.guardian.service.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.ChainId;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.devchain.AnvilProcess;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.Calldata;
import dev.guardian.service.testsupport.TcpProxy;
import dev.guardian.service.testsupport.TestWallet;
import dev.guardian.signer.SignedTransaction;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.web3j.protocol.Web3j;

/**
 * The adapter when the chain goes away: a {@link TcpProxy} between the adapter and a real Anvil is cut off
 * or stalled, so the failures are real sockets failing, and Anvil keeps its state for the recovery.
 */
@ExtendWith(AnvilExtension.class)
class ChainAdapterResilienceTest {
    private static final Duration CALL_TIMEOUT = Duration.ofMillis(800);
    private static final Duration OPEN_STATE_WAIT = Duration.ofMillis(300);
    private static final int READ_ATTEMPTS = 3;
    private static final Asset.Native ETH = Asset.ether();

    private static TestWallet wallet;
    private static Address token;

    private final List<AutoCloseable> resources = new ArrayList<>();
    private TcpProxy proxy;
    private ChainAdapter chain;

    @BeforeAll
    static void fundWallet(DevChain dev) {
        wallet = TestWallet.generate();
        dev.setEthBalance(wallet.address(), new TokenAmount(ETH, BigInteger.TEN.pow(19)));
        token = dev.deployTestUsdc();
    }

    @BeforeEach
    void connectThroughProxy(AnvilProcess anvil) {
        proxy = TcpProxy.to(anvil.port());
        resources.add(proxy);
        chain = adapterThroughProxy(settings(READ_ATTEMPTS, CALL_TIMEOUT));
    }

    @AfterEach
    void closeResources() throws Exception {
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
    }

    @Test
    void retriesAReadOnlyOnTransportFailureAndThenReportsTheChainUnavailableQuickly() {
        proxy.cutOff();
        ChainAdapter fresh = adapterThroughProxy(settings(READ_ATTEMPTS, CALL_TIMEOUT));
        int connectionsBefore = proxy.acceptedConnections();
        long started = System.nanoTime();

        assertThatThrownBy(() -> fresh.pendingNonce(wallet.address()))
                .isInstanceOf(ChainUnavailableException.class)
                .hasMessageContaining("eth_getTransactionCount");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(CALL_TIMEOUT);
        assertThat(proxy.acceptedConnections() - connectionsBefore).isEqualTo(READ_ATTEMPTS);
    }

    @Test
    void boundsACallToAStalledChainByTheCallTimeout() {
        ChainAdapter oneAttempt = adapterThroughProxy(settings(1, Duration.ofMillis(500)));
        proxy.stall();
        long started = System.nanoTime();

        assertThatThrownBy(() -> oneAttempt.fees()).isInstanceOf(ChainUnavailableException.class);

        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        assertThat(elapsed).isBetween(Duration.ofMillis(450), Duration.ofMillis(2_000));
    }

    @Test
    void attemptsARawTransactionExactlyOnceWhenTheChainIsCutOff() {
        SignedTransaction signed = wallet.sign(
                chain,
                new ContractCall(
                        wallet.address(),
                        Address.parseLenient("0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc"),
                        new TokenAmount(ETH, BigInteger.ONE),
                        new byte[0]));
        long nonce = chain.pendingNonce(wallet.address());
        proxy.cutOff();
        ChainAdapter sender = adapterThroughProxy(settings(READ_ATTEMPTS, CALL_TIMEOUT));
        int connectionsBefore = proxy.acceptedConnections();

        assertThatThrownBy(() -> sender.sendRawTransaction(signed.raw()))
                .isInstanceOfSatisfying(
                        ChainUnavailableException.class,
                        e -> assertThat(e.mayHaveReachedNode()).isTrue())
                .hasMessageContaining(signed.hash().toString())
                .hasMessageContaining("outcome unknown");

        assertThat(proxy.acceptedConnections() - connectionsBefore).isEqualTo(1);
        proxy.restore();
        assertThat(chain.pendingNonce(wallet.address())).isEqualTo(nonce);
        assertThat(chain.receipt(signed.hash())).isEmpty();
    }

    @Test
    void opensTheCircuitWhileTheChainIsUnreachableAndClosesItAfterRecovery() throws InterruptedException {
        proxy.cutOff();
        for (int i = 0; i < 2 && chain.circuitBreaker().getState() != CircuitBreaker.State.OPEN; i++) {
            assertThatThrownBy(() -> chain.pendingNonce(wallet.address()))
                    .isInstanceOf(ChainUnavailableException.class);
        }
        assertThat(chain.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);

        int connectionsWhileOpen = proxy.acceptedConnections();
        assertThatThrownBy(() -> chain.pendingNonce(wallet.address()))
                .isInstanceOfSatisfying(
                        ChainUnavailableException.class,
                        e -> assertThat(e.mayHaveReachedNode()).isFalse())
                .hasMessageStartingWith("chain circuit open");
        assertThat(proxy.acceptedConnections())
                .as("an open circuit does not touch the network")
                .isEqualTo(connectionsWhileOpen);

        proxy.restore();
        Thread.sleep(OPEN_STATE_WAIT.toMillis() + 50);
        for (int i = 0; i < 3; i++) {
            assertThat(chain.pendingNonce(wallet.address())).isZero();
        }
        assertThat(chain.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    @Test
    void aSendRefusedWhileTheCircuitIsOpenIsKnownNotToHaveBeenSent() {
        SignedTransaction signed = wallet.sign(
                chain,
                new ContractCall(
                        wallet.address(), wallet.address(), new TokenAmount(ETH, BigInteger.ONE), new byte[0]));
        chain.circuitBreaker().transitionToOpenState();

        assertThatThrownBy(() -> chain.sendRawTransaction(signed.raw()))
                .isInstanceOfSatisfying(
                        ChainUnavailableException.class,
                        e -> assertThat(e.mayHaveReachedNode()).isFalse())
                .hasMessageContaining("was not sent")
                .hasMessageContaining("chain circuit open");
    }

    @Test
    void neitherRetriesNorCountsAgainstTheCircuitAnAnswerThatTheCallWouldRevert(DevChain dev) {
        Address blocked = Address.parseLenient("0x00000000000000000000000000000000000bad02");
        dev.blacklist(token, blocked);
        ContractCall reverting = new ContractCall(
                wallet.address(),
                token,
                TokenAmount.zero(ETH),
                Calldata.transfer(blocked, TokenAmount.ofUnits(DevChain.usdcAsset(token), 1)));

        AtomicInteger successes = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        chain.circuitBreaker().getEventPublisher().onSuccess(event -> successes.incrementAndGet());
        chain.circuitBreaker().getEventPublisher().onError(event -> failures.incrementAndGet());

        for (int i = 0; i < 10; i++) {
            assertThatThrownBy(() -> chain.estimateGas(reverting)).isInstanceOf(SimulationRevertedException.class);
        }

        assertThat(failures).hasValue(0);
        assertThat(successes)
                .as("one call through the breaker per estimate: no retries")
                .hasValue(10);
        assertThat(chain.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }

    private ChainAdapter adapterThroughProxy(ChainResilienceSettings settings) {
        // A Web3j of its own per adapter: a fresh connection pool. OkHttp reuses a pooled connection without
        // probing it (unless idle for 10 s), so a request on a connection the proxy has just reset fails
        // without opening a new one; tests that count attempts as connections start with an empty pool.
        Web3j web3j = ChainAdapter.connect(proxy.httpUri(), settings.callTimeout());
        resources.add(web3j::shutdown);
        return new ChainAdapter(web3j, new ChainId(31337), new AssetRegistry(ETH, List.of()), settings);
    }

    private static ChainResilienceSettings settings(int readAttempts, Duration callTimeout) {
        return new ChainResilienceSettings(
                callTimeout, readAttempts, Duration.ofMillis(10), 50f, 4, 4, OPEN_STATE_WAIT, 8);
    }
}
