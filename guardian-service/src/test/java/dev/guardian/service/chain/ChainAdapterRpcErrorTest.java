package dev.guardian.service.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.ChainId;
import dev.guardian.policy.TokenAmount;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.Web3j;

/**
 * How the adapter reads answers a healthy Anvil never gives: other nodes' error shapes, HTTP failures and
 * nonsense. A tiny HTTP server answers every request with one canned body and counts the requests.
 */
class ChainAdapterRpcErrorTest {
    private static final Address FROM = Address.parseLenient("0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
    private static final Address TO = Address.parseLenient("0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc");
    private static final ContractCall CALL = new ContractCall(FROM, TO, TokenAmount.zero(Asset.ether()), new byte[0]);
    private static final int READ_ATTEMPTS = 3;
    // These nodes answer every call the same way, so the simulation is given its fields rather than reading them.
    private static final SigningFields FIELDS =
            new SigningFields(100_000, BigInteger.TWO, BigInteger.ONE, OptionalLong.empty());
    private static final NextBlock NEXT = new NextBlock(2, 1_800_000_000L, BigInteger.ONE);

    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;
    private Web3j web3j;

    @AfterEach
    void stop() {
        if (web3j != null) {
            web3j.shutdown();
        }
        server.stop(0);
    }

    @Test
    void treatsAnUnsupportedMethodAsAFailedRequestNotAnOutageAndDoesNotRetryIt() {
        ChainAdapter chain =
                nodeAnswering(200, error(-32601, "the method debug_traceCall does not exist/is not available", null));

        assertThatThrownBy(() -> chain.simulate(CALL, FIELDS, NEXT))
                .isInstanceOf(ChainRequestFailedException.class)
                .hasMessageContaining("debug_traceCall failed: the method debug_traceCall does not exist");
        assertThat(requests).hasValue(1);
        assertThat(chain.circuitBreaker().getMetrics().getNumberOfFailedCalls()).isZero();
    }

    @Test
    void decodesARevertReportedAsAnExecutionErrorWithData() {
        // geth and reth answer eth_estimateGas for a reverting call with code 3 and the revert data.
        String blacklisted = "0x08c379a0" + "0".repeat(62) + "20" + "0".repeat(62) + "25"
                + "426c61636b6c69737461626c653a206163636f756e7420697320626c61636b6c6973746564" + "0".repeat(54);
        ChainAdapter chain =
                nodeAnswering(200, error(3, "execution reverted: Blacklistable: account is blacklisted", blacklisted));

        assertThatThrownBy(() -> chain.estimateGas(CALL))
                .isInstanceOfSatisfying(
                        SimulationRevertedException.class,
                        e -> assertThat(e.reason()).isEqualTo("Blacklistable: account is blacklisted"));
        assertThat(chain.simulate(CALL, FIELDS, NEXT))
                .isEqualTo(new Simulation.Reverted("Blacklistable: account is blacklisted"));
    }

    @Test
    void retriesAReadWhenTheEndpointAnswersHttp503() {
        ChainAdapter chain = nodeAnswering(503, "upstream unavailable");

        assertThatThrownBy(() -> chain.pendingNonce(FROM))
                .isInstanceOf(ChainUnavailableException.class)
                .hasMessage("eth_getTransactionCount: the chain endpoint answered HTTP 503");
        assertThat(requests).hasValue(READ_ATTEMPTS);
    }

    @Test
    void neverRetriesASendEvenWhenTheEndpointAnswersHttp503() {
        ChainAdapter chain = nodeAnswering(503, "upstream unavailable");

        assertThatThrownBy(() -> chain.sendRawTransaction(new byte[] {2, 1}))
                .isInstanceOfSatisfying(
                        ChainUnavailableException.class,
                        e -> assertThat(e.mayHaveReachedNode()).isTrue());
        assertThat(requests).hasValue(1);
    }

    @Test
    void reportsABodyThatIsNotJsonRpcAsUnavailable() {
        ChainAdapter chain = nodeAnswering(200, "<html>rate limited</html>");

        assertThatThrownBy(() -> chain.fees())
                .isInstanceOf(ChainUnavailableException.class)
                .hasMessageContaining("not JSON-RPC");
    }

    @Test
    void reportsAQuantityThatIsNotHexAsUnavailable() {
        ChainAdapter chain = nodeAnswering(200, result("\"12\""));

        assertThatThrownBy(() -> chain.pendingNonce(FROM))
                .isInstanceOf(ChainUnavailableException.class)
                .hasMessageContaining("where a hex quantity belongs");
    }

    @Test
    void refusesAHashThatIsNotTheTransactionsOwn() {
        ChainAdapter chain = nodeAnswering(200, result("\"0x" + "ab".repeat(32) + "\""));

        assertThatThrownBy(() -> chain.sendRawTransaction(new byte[] {2, 1}))
                .isInstanceOf(ChainUnavailableException.class)
                .hasMessageContaining("answered hash 0x" + "ab".repeat(32));
    }

    @Test
    void reportsARefusedTransactionWithTheNodesOwnWords() {
        ChainAdapter chain = nodeAnswering(200, error(-32000, "nonce too low: next nonce 5, tx nonce 4", null));

        assertThatThrownBy(() -> chain.sendRawTransaction(new byte[] {2, 1}))
                .isInstanceOfSatisfying(
                        TransactionRejectedException.class,
                        e -> assertThat(e.rpcErrorCode()).isEqualTo(-32000))
                .hasMessage("nonce too low: next nonce 5, tx nonce 4");
    }

    private ChainAdapter nodeAnswering(int status, String body) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        ChainResilienceSettings settings = new ChainResilienceSettings(
                Duration.ofSeconds(2), READ_ATTEMPTS, Duration.ofMillis(5), 50f, 10, 10, Duration.ofSeconds(1), 4);
        web3j = ChainAdapter.connect(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort()), settings.callTimeout());
        return new ChainAdapter(web3j, new ChainId(31337), new AssetRegistry(Asset.ether(), List.of()), settings);
    }

    private static String result(String json) {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":" + json + "}";
    }

    private static String error(int code, String message, String data) {
        return "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\""
                + (data == null ? "" : ",\"data\":\"" + data + "\"") + "}}";
    }
}
