package dev.guardian.service.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.api.ProblemTypes;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.identity.Role;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.Concurrently;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.PersonSpec;
import dev.guardian.service.testsupport.TcpProxy;
import dev.guardian.service.testsupport.TestDatabase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A receiver that is down for longer than all of a delivery's attempts (a TCP proxy in front of a real
 * HTTP receiver, cut off) leaves the delivery DEAD with its last error, counted by the gauge and listed to
 * administrators; once the receiver is back, an administrator's re-send (one, or all) gets it there exactly
 * once, however many administrators press the button at the same moment (on two instances of one
 * deployment, both dispatching), and never re-sends what was delivered. The tests run in order: each starts
 * from the deliveries the one before left.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(OutputCaptureExtension.class)
class DeadDeliveryTest {
    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SECRET = "dead-letter-secret-0123456789-abcdefghij";
    /** A credential in the endpoint's query string, as some receivers want one: it must never be shown. */
    private static final String QUERY_SECRET = "q-token-7f3a9c1e5b";

    private static final int MAX_ATTEMPTS = 3;
    private static final PersonSpec ADMIN = PersonSpec.person("ada", Role.ADMIN);
    private static final PersonSpec SECOND_ADMIN = PersonSpec.person("adam", Role.ADMIN);
    private static final PersonSpec TREASURER = PersonSpec.person("tess", Role.TREASURY);
    private static final PersonSpec AUDITOR = PersonSpec.person("otto", Role.AUDITOR);
    private static final AgentSpec AGENT =
            AgentSpec.agent("dead-letters").perTransactionCap("100").budget("1000", Duration.ofHours(24));

    /** How many validly signed POSTs the receiver took, by delivery id. */
    private static final Map<String, AtomicInteger> received = new ConcurrentHashMap<>();

    private static HttpServer receiver;
    private static TcpProxy proxy;
    private static TestDatabase database;
    /** Two instances of one deployment: both dispatch, and the two administrators call one each. */
    private static GuardianInstance guardian;

    private static GuardianInstance other;
    private static Address merchant;
    private static String shownEndpoint;

    /** The deliveries of the first test: an escalation, then a confirmation. */
    private static String escalated;

    private static String confirmed;

    @BeforeAll
    static void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            boolean valid = WebhookSignature.verify(
                    SECRET,
                    exchange.getRequestHeaders().getFirst(WebhookSignature.TIMESTAMP_HEADER),
                    exchange.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE_HEADER),
                    body,
                    Instant.now().getEpochSecond(),
                    300);
            if (valid) {
                received.computeIfAbsent(
                                exchange.getRequestHeaders().getFirst(WebhookSignature.DELIVERY_HEADER),
                                id -> new AtomicInteger())
                        .incrementAndGet();
            }
            exchange.sendResponseHeaders(valid ? 204 : 401, -1);
            exchange.close();
        });
        receiver.start();
        proxy = TcpProxy.to(receiver.getAddress().getPort());
        shownEndpoint = "http://127.0.0.1:" + proxy.port() + "/hook";

        DevChain chain = CHAIN.devChain();
        Address usdc = chain.deployTestUsdc();
        merchant = chain.devAccounts().get(5);
        database = TestDatabase.start();
        String kek = GuardianInstance.newKek();
        guardian = instance(usdc, kek);
        other = instance(usdc, kek);
        Address wallet = guardian.walletOf(AGENT);
        chain.mintUsdc(usdc, wallet, TokenAmount.parse(DevChain.usdcAsset(usdc), "500"));
        chain.setEthBalance(wallet, TokenAmount.parse(Asset.ether(), "1"));
    }

    private static GuardianInstance instance(Address usdc, String kek) {
        return GuardianInstance.builder(CHAIN.anvil().rpcUrl(), usdc)
                .database(database)
                .kek(kek)
                .agent(AGENT.allow(merchant))
                .person(ADMIN)
                .person(SECOND_ADMIN)
                .person(TREASURER)
                .person(AUDITOR)
                .property("guardian.webhooks.endpoints[0].url", shownEndpoint + "?token=" + QUERY_SECRET)
                .property("guardian.webhooks.endpoints[0].secret", SECRET)
                .property("guardian.webhooks.max-attempts", Integer.toString(MAX_ATTEMPTS))
                .property("guardian.webhooks.dispatch-interval", "100ms")
                .property("guardian.webhooks.first-retry", "100ms")
                .property("guardian.webhooks.max-retry", "200ms")
                .property("guardian.webhooks.timeout", "2s")
                .property("guardian.webhooks.metrics-cache-for", "100ms")
                .start();
    }

    @AfterAll
    static void stop() throws IOException {
        for (GuardianInstance instance : new GuardianInstance[] {other, guardian}) {
            if (instance != null) {
                instance.close();
            }
        }
        if (database != null) {
            database.close();
        }
        proxy.close();
        receiver.stop(0);
    }

    @Test
    @Order(1)
    void aDeliveryThatOutlivesAllItsAttemptsIsKeptDeadWithItsLastError(CapturedOutput output) {
        proxy.cutOff();
        AgentClient agent = guardian.client(AGENT);
        String held = agent.pay(merchant.toString(), "150").text("id");
        String paid = agent.pay(merchant.toString(), "5").text("id");
        agent.awaitStatus(paid, Duration.ofSeconds(20), "CONFIRMED");

        JsonNode escalation = awaitListed("DEAD", d -> held.equals(text(d, "requestId")));
        JsonNode confirmation = awaitListed(
                "DEAD", d -> paid.equals(text(d, "requestId")) && "request.confirmed".equals(text(d, "event")));
        escalated = escalation.get("id").asString();
        confirmed = confirmation.get("id").asString();

        for (JsonNode dead : List.of(escalation, confirmation)) {
            assertThat(dead.get("status").asString()).isEqualTo("DEAD");
            assertThat(dead.get("attempts").asInt()).isEqualTo(MAX_ATTEMPTS);
            assertThat(dead.get("endpoint").asString()).isEqualTo(shownEndpoint);
            assertThat(text(dead, "lastError")).isNotBlank().hasSizeLessThanOrEqualTo(Redaction.MAX_ERROR);
            assertThat(Instant.parse(dead.get("diedAt").asString()))
                    .isAfterOrEqualTo(Instant.parse(dead.get("createdAt").asString()));
            assertThat(dead.has("nextAttemptAt")).isFalse();
        }
        assertThat(text(escalation, "event")).isEqualTo("request.escalated");
        assertThat(received).isEmpty();
        awaitDeadGauge(2);

        // The operator's cue names the delivery, its event, the endpoint and the error; no secret anywhere.
        awaitLogged(
                output,
                "webhook delivery " + escalated + " (request.escalated) to " + shownEndpoint + " is DEAD after "
                        + MAX_ATTEMPTS + " attempts: " + text(escalation, "lastError"));
        String everything = output.getAll()
                + escalation
                + confirmation
                + guardian.bean(JdbcClient.class)
                        .sql("select string_agg(coalesce(last_error, ''), ' ') from webhook_deliveries")
                        .query(String.class)
                        .single();
        assertThat(everything).doesNotContain(QUERY_SECRET).doesNotContain(SECRET);
    }

    @Test
    @Order(2)
    void onlyAnAdministratorSeesOrResendsDeliveries() {
        for (PersonSpec notAdmin : List.of(TREASURER, AUDITOR)) {
            AgentClient client = guardian.client(notAdmin);
            for (AgentClient.Response refused : List.of(
                    client.get("/v1/admin/webhooks/deliveries?status=DEAD"),
                    client.post("/v1/admin/webhooks/deliveries/" + escalated + "/resend", "", Optional.empty()),
                    client.post("/v1/admin/webhooks/deliveries/resend?status=DEAD", "", Optional.empty()))) {
                assertThat(refused.status()).isEqualTo(403);
                assertThat(refused.contentType()).startsWith("application/problem+json");
                assertThat(refused.text("type")).isEqualTo(ProblemTypes.FORBIDDEN.toString());
            }
        }
        assertThat(deliveryStatus(escalated)).isEqualTo("DEAD");

        AgentClient admin = guardian.client(ADMIN);
        for (String unknown : List.of(UUID.randomUUID().toString(), "not-an-id")) {
            AgentClient.Response missing =
                    admin.post("/v1/admin/webhooks/deliveries/" + unknown + "/resend", "", Optional.empty());
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.contentType()).startsWith("application/problem+json");
            assertThat(missing.text("type")).isEqualTo(ProblemTypes.NOT_FOUND.toString());
        }
        AgentClient.Response unnamed = admin.post("/v1/admin/webhooks/deliveries/resend", "", Optional.empty());
        assertThat(unnamed.status()).isEqualTo(400);
        assertThat(unnamed.text("type")).isEqualTo(ProblemTypes.VALIDATION_FAILED.toString());
        assertThat(deadGauge()).isEqualTo(2);
    }

    @Test
    @Order(3)
    void reSendingOneAfterTheReceiverIsBackDeliversItOnceAndNeverAgain() {
        proxy.restore();
        AgentClient admin = guardian.client(ADMIN);

        AgentClient.Response accepted =
                admin.post("/v1/admin/webhooks/deliveries/" + escalated + "/resend", "", Optional.empty());

        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.text("status")).isEqualTo("PENDING");
        assertThat(accepted.body().get("attempts").asInt()).isZero();
        assertThat(accepted.body().has("diedAt")).isFalse();
        awaitStatus(escalated, "DELIVERED");
        awaitDeadGauge(1);
        assertThat(deliveryStatus(confirmed)).as("the other stays dead").isEqualTo("DEAD");

        AgentClient.Response again =
                admin.post("/v1/admin/webhooks/deliveries/" + escalated + "/resend", "", Optional.empty());
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.contentType()).startsWith("application/problem+json");
        assertThat(again.text("type"))
                .isEqualTo(ProblemTypes.CONFLICT
                        .resolve("webhook-delivery-not-dead")
                        .toString());
        assertThat(again.text("deliveryStatus")).isEqualTo("DELIVERED");

        sleep(1000); // ten dispatcher passes: time enough for a duplicate to show
        assertThat(received.get(escalated)).hasValue(1);

        JsonNode audited = lastResendRecord(escalated);
        assertThat(audited.get("actor").asString()).isEqualTo("person:" + ADMIN.id());
        assertThat(audited.get("payload").get("attempts").asInt()).isEqualTo(MAX_ATTEMPTS);
        assertThat(audited.get("payload").get("webhookEvent").asString()).isEqualTo("request.escalated");
        assertThat(audited.get("payload").get("endpoint").asString()).isEqualTo(shownEndpoint);
        assertThat(audited.get("payload").get("all").asBoolean()).isFalse();
        assertThat(audited.get("payload").get("lastError").asString()).isNotBlank();
    }

    @Test
    @Order(4)
    void aPendingDeliveryIsNotReSent() {
        // A delivery the dispatcher will try in an hour, written as the outbox writes one.
        UUID pending = UUID.randomUUID();
        guardian.bean(JdbcClient.class)
                .sql("""
                        insert into webhook_deliveries (id, endpoint, request_id, event, payload, status, next_attempt_at, created_at)
                        select :id, endpoint, request_id, event, payload, 'PENDING', :later, now()
                          from webhook_deliveries where id = :escalated
                        """)
                .param("id", pending)
                .param("later", OffsetDateTime.now().plusHours(1))
                .param("escalated", UUID.fromString(escalated))
                .update();

        AgentClient.Response refused = guardian.client(ADMIN)
                .post("/v1/admin/webhooks/deliveries/" + pending + "/resend", "", Optional.empty());

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.text("deliveryStatus")).isEqualTo("PENDING");
        assertThat(deliveryStatus(pending.toString())).isEqualTo("PENDING");
        assertThat(guardian.bean(JdbcClient.class)
                        .sql(
                                "select next_attempt_at > now() + interval '50 minutes' from webhook_deliveries where id = :id")
                        .param("id", pending)
                        .query(Boolean.class)
                        .single())
                .as("still due later, not now")
                .isTrue();
    }

    @Test
    @Order(5)
    void twoAdministratorsReSendingAllAtOnceDeliverEachDeadOneOnce() {
        List<AgentClient.Response> answers = Concurrently.run(
                2,
                i -> (i == 0 ? guardian.client(ADMIN) : other.client(SECOND_ADMIN))
                        .post("/v1/admin/webhooks/deliveries/resend?status=DEAD", "", Optional.empty()));

        List<String> resent = new ArrayList<>();
        for (AgentClient.Response answer : answers) {
            assertThat(answer.status()).isEqualTo(202);
            answer.body().get("deliveries").forEach(id -> resent.add(id.asString()));
            assertThat(answer.body().get("resent").asInt())
                    .isEqualTo(answer.body().get("deliveries").size());
        }
        assertThat(resent).containsExactly(confirmed);
        awaitStatus(confirmed, "DELIVERED");
        awaitDeadGauge(0);
        sleep(1000);
        assertThat(received.get(confirmed)).hasValue(1);
        assertThat(received.get(escalated)).hasValue(1);
        assertThat(lastResendRecord(confirmed).get("payload").get("all").asBoolean())
                .isTrue();
    }

    @Test
    @Order(6)
    void twoAdministratorsReSendingOneAtOnceSendItOnce() {
        proxy.cutOff();
        String paid = guardian.client(AGENT).pay(merchant.toString(), "6").text("id");
        String dead = awaitListed("DEAD", d -> paid.equals(text(d, "requestId")))
                .get("id")
                .asString();
        awaitDeadGauge(1);
        proxy.restore();

        List<Integer> statuses = Concurrently.run(
                2,
                i -> (i == 0 ? guardian.client(ADMIN) : other.client(SECOND_ADMIN))
                        .post("/v1/admin/webhooks/deliveries/" + dead + "/resend", "", Optional.empty())
                        .status());

        assertThat(statuses).containsExactlyInAnyOrder(202, 409);
        awaitStatus(dead, "DELIVERED");
        awaitDeadGauge(0);
        sleep(1000);
        assertThat(received.get(dead)).hasValue(1);
    }

    private static JsonNode awaitListed(String status, Predicate<JsonNode> which) {
        Instant deadline = Instant.now().plusSeconds(30);
        JsonNode page;
        do {
            AgentClient.Response listed =
                    guardian.client(ADMIN).get("/v1/admin/webhooks/deliveries?status=" + status + "&limit=500");
            assertThat(listed.status()).as(listed.raw().body()).isEqualTo(200);
            page = listed.body();
            for (JsonNode delivery : page.get("deliveries")) {
                if (which.test(delivery)) {
                    return delivery;
                }
            }
            sleep(100);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("no such " + status + " delivery listed; last page: " + page);
    }

    private static void awaitStatus(String delivery, String status) {
        Instant deadline = Instant.now().plusSeconds(15);
        String last;
        do {
            last = deliveryStatus(delivery);
            if (status.equals(last)) {
                return;
            }
            sleep(50);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("delivery " + delivery + " is " + last + ", not " + status);
    }

    private static String deliveryStatus(String delivery) {
        AgentClient.Response one = guardian.client(ADMIN).get("/v1/admin/webhooks/deliveries/" + delivery);
        assertThat(one.status()).as(one.raw().body()).isEqualTo(200);
        return one.text("status");
    }

    /** The gauge as an operator reads it, over HTTP (actuator, no token). */
    private static double deadGauge() {
        AgentClient.Response metric = new AgentClient(guardian.baseUrl(), null)
                .get("/actuator/metrics/" + DeliveryCounts.METRIC + "?tag=status:dead");
        assertThat(metric.status()).as(metric.raw().body()).isEqualTo(200);
        return metric.body().get("measurements").get(0).get("value").asDouble();
    }

    private static void awaitDeadGauge(double expected) {
        Instant deadline = Instant.now().plusSeconds(10);
        double last;
        do {
            last = deadGauge();
            if (last == expected) {
                return;
            }
            sleep(50);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError(DeliveryCounts.METRIC + "{status=dead} is " + last + ", not " + expected);
    }

    private static JsonNode lastResendRecord(String delivery) {
        AgentClient.Response records =
                guardian.client(AUDITOR).get("/v1/audit/records?event=webhook-delivery-resent&limit=1000");
        assertThat(records.status()).as(records.raw().body()).isEqualTo(200);
        JsonNode found = null;
        for (JsonNode record : records.body().get("records")) {
            JsonNode parsed = record.isString() ? JSON.readTree(record.asString()) : record;
            if (delivery.equals(parsed.get("payload").get("delivery").asString())) {
                found = parsed;
            }
        }
        assertThat(found).as("a webhook-delivery-resent record of " + delivery).isNotNull();
        return found;
    }

    private static void awaitLogged(CapturedOutput output, String line) {
        Instant deadline = Instant.now().plusSeconds(5);
        while (!output.getAll().contains(line) && Instant.now().isBefore(deadline)) {
            sleep(50);
        }
        assertThat(output.getAll()).contains(line);
        assertThat(output.getAll().lines().filter(l -> l.contains(line))).allMatch(l -> l.contains(" WARN "));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asString();
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
