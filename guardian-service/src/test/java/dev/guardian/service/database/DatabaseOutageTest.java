package dev.guardian.service.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.identity.Role;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.PersonSpec;
import dev.guardian.service.testsupport.TcpProxy;
import dev.guardian.service.testsupport.TestAddresses;
import dev.guardian.service.testsupport.TestDatabase;
import dev.guardian.service.testsupport.WalletFunding;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What Guardian does while its PostgreSQL is away, with the real service, a real database and a real
 * chain. The database is made unavailable two ways: paused (every server process stopped with SIGSTOP:
 * connections stay open and nothing answers, as with a hung or overloaded server) and cut off (a TCP
 * proxy in front of it resets every connection, as with a stopped server). Guardian runs with its shipped
 * defaults for the pool and the driver; only the background workers are made to run every second, so that
 * each of them meets the outage.
 *
 * <p>The durations asserted are upper bounds, generous so a loaded machine does not make them flake (with
 * the defaults a request is answered in about three seconds, readiness turns DOWN in one to three); they say
 * that nothing waits for Hikari's 30 s default or for ever, not how fast Guardian is. The one longer bound
 * is for a request already on its way when the server stops: it may wait out the driver's socket timeout.
 */
@ExtendWith(OutputCaptureExtension.class)
class DatabaseOutageTest {
    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    /** Within this an API request during an outage is answered, and readiness turns DOWN (and UP again). */
    private static final Duration BOUND = Duration.ofSeconds(15);
    /** The driver's socketTimeout as shipped in application.yml: the longest any one answer is waited for. */
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);
    /** The background workers that each run every second or more often here, by the names they log. */
    private static final List<String> WORKERS = List.of(
            "receipt worker",
            "allowance sweep",
            "resume of interrupted submissions",
            "webhook dispatcher",
            "approval expiry",
            "audit checkpoints",
            "wallet reconciliation");

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final Address MERCHANT = TestAddresses.fresh();
    private static final AgentSpec AGENT = AgentSpec.agent("outage-payer").allow(MERCHANT);
    private static final PersonSpec TREASURER = PersonSpec.person("outage-treasurer", Role.TREASURY);

    private static TestDatabase database;
    private static TcpProxy connection;
    private static GuardianInstance guardian;
    private static DevChain chain;
    private static Address usdc;

    @BeforeAll
    static void start() {
        chain = CHAIN.devChain();
        usdc = chain.deployTestUsdc();
        database = TestDatabase.start();
        connection = TcpProxy.to(database.port());
        guardian = GuardianInstance.builder(CHAIN.anvil().rpcUrl(), usdc)
                .database(database, connection)
                .agent(AGENT)
                .person(TREASURER)
                // Every worker runs during the outage (the receipt worker already does, every 100 ms).
                .property("guardian.webhooks.dispatch-interval", "1s")
                .property("guardian.worker.interrupted-after", "1s")
                .property("guardian.worker.exposure-sync-interval", "1s")
                .property("guardian.approvals.expiry-sweep-interval", "1s")
                .property("guardian.audit.checkpoint-interval", "1s")
                .property("guardian.sanctions.check-interval", "1s")
                .property("guardian.worker.wallet-reconcile-interval", "1s")
                .start();
        WalletFunding.fundWallet(
                chain,
                guardian.client(AGENT),
                TokenAmount.parse(DevChain.usdcAsset(usdc), "100"),
                TokenAmount.parse(Asset.ether(), "1"));
    }

    @AfterAll
    static void stop() throws IOException {
        try {
            guardian.close();
        } finally {
            connection.close();
            database.close();
        }
    }

    @BeforeEach
    void startReady() {
        awaitReadiness(200, BOUND, "a fresh start");
    }

    @AfterEach
    void heal() {
        // Whatever a test left broken: a paused server would hang the next test and the shutdown. (Restoring the
        // proxy resets every connection through it, so it is done only where a test cut it off.)
        database.resume();
    }

    @Test
    void aPausedDatabaseIsAnswered503WithinBoundsAndTheRetriedPaymentPaysOnceWhenItIsBack(CapturedOutput output)
            throws Exception {
        String key = "outage-" + UUID.randomUUID();
        AgentClient agent = guardian.client(AGENT);
        TokenAmount before = chain.usdcBalance(usdc, MERCHANT);
        int outputBefore = output.getAll().length();

        database.pause();
        Instant paused = Instant.now();
        // Sent as the database stops, this payment may get a pooled connection used in the last half second,
        // which Hikari hands out without checking it: its query then waits out the driver's socketTimeout
        // (30 s). It must still be answered 503, within that bound, and not hang.
        CompletableFuture<Timed> atOnce = CompletableFuture.supplyAsync(
                () -> timed(() -> pay(key, Duration.ofSeconds(60))),
                task -> Thread.ofVirtual().start(task));

        Answer down = awaitReadiness(503, BOUND, "the database paused", db("DOWN"));
        assertThat(Duration.between(paused, Instant.now()))
                .as("readiness turned DOWN within the bound of the outage's start")
                .isLessThan(BOUND);
        assertThat(down.text())
                .doesNotContain(database.applicationUser())
                .doesNotContain(database.applicationPassword())
                .doesNotContain("jdbc:");
        assertThat(down.body()
                        .path("components")
                        .path("db")
                        .path("details")
                        .path("problem")
                        .asString())
                .isNotBlank();
        // Every readiness answer is bounded by its check's timeout, never by a query on the stopped server.
        for (int i = 0; i < 5; i++) {
            Timed check = timed(() -> get("/actuator/health/readiness"));
            assertThat(check.answer().status()).isEqualTo(503);
            assertThat(check.took()).isLessThan(Duration.ofSeconds(5));
        }
        assertLive();

        // Once the outage is under way, requests are answered within the pool's bounds.
        assertDatabaseUnavailable(timed(() -> agent.pay(MERCHANT.toString(), "5", Optional.of(key))), "a payment");
        // Guardian's own authentication reads the database: agents and people get 503, not 401 or 500.
        assertDatabaseUnavailable(timed(agent::wallet), "an agent's read");
        assertDatabaseUnavailable(timed(() -> guardian.client(TREASURER).get("/v1/agents")), "a person's read");
        assertDatabaseUnavailable(atOnce.get(), "a payment sent as the database stopped", SOCKET_TIMEOUT.plus(BOUND));
        // Long enough that every worker's pass that started in the outage has failed, even one that waited out
        // the socket timeout on a connection handed out unchecked.
        sleepUntil(paused.plus(SOCKET_TIMEOUT).plus(Duration.ofSeconds(6)));
        assertLive();

        database.resume();
        Instant resumed = Instant.now();
        awaitReadiness(200, BOUND, "the database resumed");
        assertThat(Duration.between(resumed, Instant.now())).isLessThan(BOUND);
        assertLive();

        // Nothing was half done: the payments answered 503 left no request and no reservation behind.
        JdbcClient jdbc = guardian.bean(JdbcClient.class);
        assertThat(jdbc.sql("select count(*) from requests where idempotency_key = ?")
                        .param(key)
                        .query(Long.class)
                        .single())
                .isZero();
        assertThat(jdbc.sql("select count(*) from reservations r join requests q on q.id = r.request_id"
                                + " where q.idempotency_key = ?")
                        .param(key)
                        .query(Long.class)
                        .single())
                .isZero();

        AgentClient.Response retried = agent.pay(MERCHANT.toString(), "5", Optional.of(key));
        assertThat(retried.status()).as(retried.raw().body()).isEqualTo(202);
        String id = retried.text("id");
        agent.awaitStatus(id, Duration.ofSeconds(30), "CONFIRMED");
        AgentClient.Response again = agent.pay(MERCHANT.toString(), "5", Optional.of(key));
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.text("id")).isEqualTo(id);
        assertThat(chain.usdcBalance(usdc, MERCHANT).minus(before))
                .as("paid once, read back from the chain")
                .isEqualTo(TokenAmount.parse(DevChain.usdcAsset(usdc), "5"));

        // Each pass in the outage waits out the pool's connection timeout (or, on a connection handed out
        // unchecked, the socket timeout): not every job gets a pass in before the database is back. The receipt
        // worker, which runs most often, always does. A job that logged its WARN says it works again on its
        // next pass, which may come after the payment. The instance is the class's: a job the other test's
        // outage paused may say "resumed" only now, so one "resumed" more than the WARNs seen here is its.
        Instant deadline = Instant.now().plus(BOUND);
        while (!WORKERS.stream().allMatch(worker -> balanced(output.getAll().substring(outputBefore), worker))
                && Instant.now().isBefore(deadline)) {
            sleepMillis(100);
        }
        String outage = output.getAll().substring(outputBefore);
        assertThat(outage)
                .as("no worker fails with a stack trace per tick, or blames one request or wallet for the outage")
                .doesNotContain("Unexpected error occurred in scheduled task")
                .doesNotContain("could not be followed this pass")
                .doesNotContain("could not be reconciled")
                .doesNotContain("wallet reconciliation pass failed")
                .doesNotContain("unexpected error");
        assertThat(occurrences(outage, "receipt worker paused: the database")).isEqualTo(1);
        for (String worker : WORKERS) {
            int warnings = occurrences(outage, worker + " paused: the database");
            assertThat(warnings)
                    .as("at most one WARN per outage from the %s", worker)
                    .isLessThanOrEqualTo(1);
            assertThat(occurrences(outage, worker + " resumed: the database"))
                    .as("and one line when the %s works again", worker)
                    .isBetween(warnings, warnings + 1);
        }
    }

    @Test
    void aDatabaseThatRefusesConnectionsIsAnswered503AndReadinessRecoversOnceItIsBack() {
        AgentClient agent = guardian.client(AGENT);
        String key = "refused-" + UUID.randomUUID();

        connection.cutOff();
        try {
            refusedWhileCutOff(agent, key);
        } finally {
            connection.restore();
        }
        awaitReadiness(200, BOUND, "the database reachable again");
        AgentClient.Response paid = agent.pay(MERCHANT.toString(), "1", Optional.of(key));
        assertThat(paid.status()).as(paid.raw().body()).isEqualTo(202);
        // Settled before the next test reads the merchant's balance.
        agent.awaitStatus(paid.text("id"), Duration.ofSeconds(30), "CONFIRMED");
    }

    /** What the API and readiness answer while every connection to the database is reset. */
    private void refusedWhileCutOff(AgentClient agent, String key) {
        assertDatabaseUnavailable(timed(() -> agent.pay(MERCHANT.toString(), "1", Optional.of(key))), "a payment");
        awaitReadiness(503, BOUND, "the database cut off", db("DOWN"));
        assertDatabaseUnavailable(timed(() -> guardian.client(TREASURER).get("/v1/agents")), "a person's read");
        assertLive();
    }

    private void assertDatabaseUnavailable(Timed timed, String what) {
        assertDatabaseUnavailable(timed, what, BOUND);
    }

    private void assertDatabaseUnavailable(Timed timed, String what, Duration bound) {
        AgentClient.Response response = timed.response();
        assertThat(response.status()).as(what + ": " + response.raw().body()).isEqualTo(503);
        assertThat(timed.took()).as(what + " is answered within the bound").isLessThan(bound);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.text("type")).isEqualTo("https://guardian.dev/problems/database-unavailable");
        assertThat(response.header("Retry-After")).isNotBlank();
        assertThat(response.raw().body())
                .doesNotContain("jdbc:")
                .doesNotContain("127.0.0.1")
                .doesNotContain("localhost")
                .doesNotContain(Integer.toString(database.port()))
                .doesNotContain(Integer.toString(connection.port()))
                .doesNotContain(database.applicationUser())
                .doesNotContain(database.applicationPassword());
    }

    private record Answer(int status, String text, JsonNode body) {}

    /** An HTTP exchange and how long it took; exactly one of the two results is set. */
    private record Timed(AgentClient.Response response, Answer answer, Duration took) {}

    private interface Call {
        Object call();
    }

    private static Timed timed(Call call) {
        long started = System.nanoTime();
        Object result = call.call();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        return result instanceof AgentClient.Response response
                ? new Timed(response, null, took)
                : new Timed(null, (Answer) result, took);
    }

    /** A payment of 5 to the merchant with {@code key}, waiting up to {@code patience} for the answer. */
    private static AgentClient.Response pay(String key, Duration patience) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(guardian.baseUrl() + "/v1/payments"))
                            .timeout(patience)
                            .header("Authorization", "Bearer " + AGENT.apiKey())
                            .header("Content-Type", "application/json")
                            .header("Idempotency-Key", key)
                            .POST(HttpRequest.BodyPublishers.ofString(
                                    "{\"recipient\":\"" + MERCHANT + "\",\"amount\":\"5\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return new AgentClient.Response(response.statusCode(), response, JSON.readTree(response.body()));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Answer get(String path) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(guardian.baseUrl() + path))
                            .timeout(Duration.ofSeconds(60))
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

    private static Answer awaitReadiness(int status, Duration patience, String why) {
        return awaitReadiness(status, patience, why, answer -> true);
    }

    private static Answer awaitReadiness(int status, Duration patience, String why, Predicate<Answer> also) {
        Instant deadline = Instant.now().plus(patience);
        List<String> seen = new ArrayList<>();
        Answer last;
        do {
            last = get("/actuator/health/readiness");
            if (last.status() == status && also.test(last)) {
                return last;
            }
            seen.add(Integer.toString(last.status()));
            sleepMillis(50);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("readiness did not answer " + status + " (" + why + ") within " + patience + "; saw "
                + seen + ", last: " + last.text());
    }

    private static Predicate<Answer> db(String status) {
        return answer -> status.equals(
                answer.body().path("components").path("db").path("status").asString());
    }

    private static void assertLive() {
        Answer liveness = get("/actuator/health/liveness");
        assertThat(liveness.status()).as(liveness.text()).isEqualTo(200);
        assertThat(liveness.body().get("status").asString()).isEqualTo("UP");
    }

    /** Whether the worker said it works again as often as it said it paused. */
    private static boolean balanced(String log, String worker) {
        return occurrences(log, worker + " paused: the database")
                <= occurrences(log, worker + " resumed: the database");
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) {
            count++;
        }
        return count;
    }

    private static void sleepUntil(Instant until) {
        long millis = Duration.between(Instant.now(), until).toMillis();
        if (millis > 0) {
            sleepMillis(millis);
        }
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
