package dev.guardian.service.chain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.JsonRpcProxy;
import dev.guardian.service.testsupport.TcpProxy;
import dev.guardian.service.testsupport.TestAddresses;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Readiness tells the truth about the chain, over real HTTP from the real service: Guardian reaches
 * Anvil through a TCP proxy (to cut the connection or stall it) in front of a JSON-RPC proxy (to make the
 * node stop serving a method, or serve another chain). Liveness stays UP through all of it: restarting
 * Guardian would not bring the node back. The RPC URL carries a fake API key, which no answer may show.
 */
class ChainHealthTest {
    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final String KEY_IN_PATH = "sk-path-7f3a9c";
    private static final String KEY_IN_QUERY = "sk-query-51be20";
    private static final Duration CACHE_FOR = Duration.ofMillis(500);
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    /** Long enough to see the breaker open after the chain is back; short enough to wait for it to half-open. */
    private static final Duration OPEN_STATE_WAIT = Duration.ofSeconds(4);

    private static final Duration PATIENCE = Duration.ofSeconds(20);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final Address MERCHANT = TestAddresses.fresh();
    private static final AgentSpec AGENT = AgentSpec.agent("health-watcher").allow(MERCHANT);

    private static JsonRpcProxy node;
    private static TcpProxy connection;
    private static GuardianInstance guardian;
    private static CircuitBreaker breaker;

    @BeforeAll
    static void start() {
        Address usdc = CHAIN.devChain().deployTestUsdc();
        node = JsonRpcProxy.to(CHAIN.anvil().rpcUrl());
        connection = TcpProxy.to(node.port());
        guardian = GuardianInstance.builder(
                        URI.create(connection.httpUri() + "/v2/" + KEY_IN_PATH + "?apikey=" + KEY_IN_QUERY), usdc)
                .agent(AGENT)
                .property("guardian.chain.readiness.cache-for", CACHE_FOR.toMillis() + "ms")
                .property("guardian.chain.readiness.timeout", PROBE_TIMEOUT.toMillis() + "ms")
                .property("guardian.chain.resilience.open-state-wait", OPEN_STATE_WAIT.toMillis() + "ms")
                .start();
        breaker = guardian.bean(ChainAdapter.class).circuitBreaker();
    }

    @AfterAll
    static void stop() {
        try {
            guardian.close();
        } finally {
            connection.close();
            node.close();
        }
    }

    @BeforeEach
    void startReady() {
        awaitReadiness(200, "a fresh start");
    }

    @AfterEach
    void heal() {
        connection.restore();
        node.forwardAll();
        // A test that opened the breaker must not leave the next one behind it.
        breaker.reset();
    }

    @Test
    void readyWhenTheChainAndTheDatabaseAre() {
        Answer readiness = get("/actuator/health/readiness");

        assertThat(readiness.status()).as(readiness.text()).isEqualTo(200);
        assertThat(readiness.body().get("status").asString()).isEqualTo("UP");
        JsonNode components = readiness.body().get("components");
        assertThat(components.get("db").get("status").asString()).isEqualTo("UP");
        assertThat(components.get("readinessState").get("status").asString()).isEqualTo("UP");
        JsonNode chain = components.get("chain");
        assertThat(chain.get("status").asString()).isEqualTo("UP");
        assertThat(chain.get("details").get("chainId").asLong()).isEqualTo(31337);
        assertThat(chain.get("details").get("servedChainId").asLong()).isEqualTo(31337);
        assertThat(chain.get("details").get("circuitBreaker").asString()).isEqualTo("CLOSED");
        assertThat(chain.get("details").has("problem")).isFalse();
        assertNoSecret(readiness);
        assertLive();
    }

    @Test
    void notReadyButAliveWhileTheChainIsCutOffAndReadyAgainOnceItIsBack() {
        connection.cutOff();
        int connectionsBefore = connection.acceptedConnections();

        Answer down = awaitReadiness(503, "the chain cut off", problem("could not be reached"));
        assertThat(problemOf(down)).contains("could not be reached");
        assertLive();
        assertNoSecret(down);
        // Keep asking for a dozen probe periods: had the probes gone through the breaker (with the reads' three
        // attempts each), four of them would have opened it.
        Instant until = Instant.now().plus(CACHE_FOR.multipliedBy(12));
        while (Instant.now().isBefore(until)) {
            assertThat(get("/actuator/health/readiness").status()).isEqualTo(503);
            sleep(50);
        }
        assertThat(connection.acceptedConnections() - connectionsBefore)
                .as("the probe kept asking the node")
                .isGreaterThanOrEqualTo(5);
        assertThat(breaker.getState())
                .as("the probe does not count against the breaker every request shares")
                .isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();

        connection.restore();

        Answer up = awaitReadiness(200, "the chain restored");
        assertThat(up.body().get("components").get("chain").get("status").asString())
                .isEqualTo("UP");
    }

    @Test
    void notReadyWhileTheNodeDoesNotServeTheTracingSimulationNeeds() {
        node.notServing("debug_traceCall");

        Answer down = awaitReadiness(503, "debug_traceCall not served", problem("debug_traceCall"));
        assertThat(problemOf(down))
                .contains("debug_traceCall")
                .contains("callTracer")
                .contains(Integer.toString(JsonRpcProxy.METHOD_NOT_FOUND));
        assertLive();

        node.forwardAll();
        awaitReadiness(200, "debug_traceCall served again");
    }

    @Test
    void notReadyWhileTheNodeLeavesTheLogsOutOfItsTraces() {
        // What a node that ignores withLog answers for the probe's contract creation: the frame, no logs.
        node.answer("debug_traceCall", """
                {"from":"0x0000000000000000000000000000000000000000","gas":"0xb75a","gasUsed":"0xd0c3",\
                "to":"0xbd770416a3345f91e4b34576cb804a576fa48eb1","input":"0x60006000a000","value":"0x0",\
                "type":"CREATE"}""");

        Answer down = awaitReadiness(503, "a trace without logs", problem("withLog"));

        assertThat(problemOf(down)).contains("withLog");
        assertLive();
    }

    @Test
    void notReadyWhileTheNodeServesAnotherChain() {
        node.answer("eth_chainId", "\"0x2105\""); // Base mainnet, 8453

        Answer down = awaitReadiness(503, "another chain", problem("chain id"));

        JsonNode details = down.body().get("components").get("chain").get("details");
        assertThat(details.get("servedChainId").asLong()).isEqualTo(8453);
        assertThat(details.get("chainId").asLong()).isEqualTo(31337);
        assertThat(problemOf(down)).contains("8453").contains("31337");
        assertLive();
    }

    @Test
    void aStalledNodeMakesReadinessAnswerDownWithinItsBound() {
        connection.stall();
        sleep(CACHE_FOR.toMillis() + 100); // the last good probe is stale now

        // The first probe may fail at once on a pooled connection the stall has reset; one on a new
        // connection waits for an answer that never comes, and readiness must not wait with it.
        Duration bound = PROBE_TIMEOUT.plusMillis(800);
        Instant deadline = Instant.now().plus(PATIENCE);
        while (true) {
            long started = System.nanoTime();
            Answer down = get("/actuator/health/readiness");
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(down.status()).as(down.text()).isEqualTo(503);
            assertThat(took)
                    .as("bounded by the probe timeout, not the chain's 2 s call timeout")
                    .isLessThan(bound);
            if (problemOf(down).contains("did not answer the readiness probe within 1000 ms")) {
                break;
            }
            assertThat(Instant.now())
                    .as("a probe that waits for the stalled node")
                    .isBefore(deadline);
            sleep(50);
        }
        assertLive();
    }

    @Test
    void aFloodOfHealthRequestsCostsTheNodeAFewProbes() throws Exception {
        int tracesBefore = node.calls("debug_traceCall");
        long started = System.nanoTime();
        List<Future<Answer>> answers = new ArrayList<>();
        try (ExecutorService clients = Executors.newFixedThreadPool(10)) {
            for (int i = 0; i < 60; i++) {
                answers.add(clients.submit(() -> get("/actuator/health/readiness")));
            }
            for (Future<Answer> answer : answers) {
                assertThat(answer.get().status()).isEqualTo(200);
            }
        }
        long periods = Duration.ofNanos(System.nanoTime() - started).toMillis() / CACHE_FOR.toMillis();

        assertThat(node.calls("debug_traceCall") - tracesBefore)
                .as("at most one probe per %s period (plus the one under way)", CACHE_FOR)
                .isLessThanOrEqualTo((int) periods + 2)
                .isLessThan(answers.size());
    }

    @Test
    void notReadyWhileTheCircuitBreakerIsOpenAndReadyOnceItLetsCallsThroughAgain() {
        AgentClient agent = guardian.client(AGENT);
        connection.cutOff();
        for (int i = 0; i < 10 && breaker.getState() != CircuitBreaker.State.OPEN; i++) {
            AgentClient.Response refused = agent.pay(MERCHANT.toString(), "1");
            assertThat(refused.status()).as(refused.raw().body()).isEqualTo(503);
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
        connection.restore();

        // The node answers the probe again, but Guardian's own calls are not let through yet.
        Answer open = awaitReadiness(503, "the node back, the breaker still open", problem("circuit breaker is open"));
        JsonNode details = open.body().get("components").get("chain").get("details");
        assertThat(details.get("circuitBreaker").asString()).isEqualTo("OPEN");
        assertThat(details.get("servedChainId").asLong()).isEqualTo(31337);
        assertLive();

        // Nobody calls the chain while readiness is DOWN (a load balancer sends no traffic): the breaker must
        // half-open on its own after its wait, or Guardian would never be ready again.
        Answer ready = awaitReadiness(200, "the breaker half-open");
        assertThat(ready.body()
                        .get("components")
                        .get("chain")
                        .get("details")
                        .get("circuitBreaker")
                        .asString())
                .isEqualTo("HALF_OPEN");
    }

    private record Answer(int status, String text, JsonNode body) {}

    private static Answer get(String path) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(guardian.baseUrl().resolve(path))
                            .timeout(Duration.ofSeconds(10))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Answer awaitReadiness(int status, String why) {
        return awaitReadiness(status, why, answer -> true);
    }

    private static Answer awaitReadiness(int status, String why, Predicate<Answer> also) {
        Instant deadline = Instant.now().plus(PATIENCE);
        Answer last;
        do {
            last = get("/actuator/health/readiness");
            if (last.status() == status && also.test(last)) {
                return last;
            }
            sleep(50);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError(
                "readiness did not answer " + status + " (" + why + ") within " + PATIENCE + "; last: " + last.text());
    }

    private static void assertLive() {
        Answer liveness = get("/actuator/health/liveness");
        assertThat(liveness.status()).as(liveness.text()).isEqualTo(200);
        assertThat(liveness.body().get("status").asString()).isEqualTo("UP");
    }

    private static Predicate<Answer> problem(String text) {
        return answer -> problemOf(answer).contains(text);
    }

    private static String problemOf(Answer readiness) {
        JsonNode problem = readiness
                .body()
                .path("components")
                .path("chain")
                .path("details")
                .get("problem");
        return problem == null ? "" : problem.asString();
    }

    private static void assertNoSecret(Answer answer) {
        assertThat(answer.text()).doesNotContain(KEY_IN_PATH).doesNotContain(KEY_IN_QUERY);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
