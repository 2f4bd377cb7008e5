package dev.guardian.service.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
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
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Webhooks to a real HTTP receiver on loopback: signed deliveries on escalation and on final states,
 * retried with backoff while the receiver fails, recorded, and never in the way of the request itself.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebhookDeliveryTest {
    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final String SECRET = "receiver-secret-0123456789-abcdefghij";
    private static final PersonSpec APPROVER = PersonSpec.person("paula", Role.APPROVER);
    private static final AgentSpec AGENT =
            AgentSpec.agent("notified").perTransactionCap("100").budget("1000", Duration.ofHours(24));

    /** A receiver that verifies each delivery as the docs say, and fails the first {@link #failuresLeft} attempts. */
    private static final List<Received> received = new CopyOnWriteArrayList<>();

    private static final AtomicInteger failuresLeft = new AtomicInteger();
    private static HttpServer receiver;
    private static GuardianInstance guardian;
    private static Address merchant;

    record Received(String event, String requestId, String status, boolean signatureValid, String deliveryId) {}

    @BeforeAll
    static void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            if (failuresLeft.getAndDecrement() > 0) {
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            boolean valid = WebhookSignature.verify(
                    SECRET,
                    exchange.getRequestHeaders().getFirst(WebhookSignature.TIMESTAMP_HEADER),
                    exchange.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE_HEADER),
                    body,
                    Instant.now().getEpochSecond(),
                    300);
            JsonNode json = JsonMapper.builder().build().readTree(body);
            received.add(new Received(
                    json.get("event").asString(),
                    json.get("request").get("id").asString(),
                    json.get("request").get("status").asString(),
                    valid,
                    exchange.getRequestHeaders().getFirst(WebhookSignature.DELIVERY_HEADER)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();

        DevChain chain = CHAIN.devChain();
        Address usdc = chain.deployTestUsdc();
        merchant = chain.devAccounts().get(5);
        guardian = GuardianInstance.builder(CHAIN.anvil().rpcUrl(), usdc)
                .agent(AGENT.allow(merchant))
                .person(APPROVER)
                .property(
                        "guardian.webhooks.endpoints[0].url",
                        "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook")
                .property("guardian.webhooks.endpoints[0].secret", SECRET)
                .property("guardian.webhooks.dispatch-interval", "100ms")
                .property("guardian.webhooks.first-retry", "100ms")
                .start();
        Address wallet = guardian.walletOf(AGENT);
        chain.mintUsdc(usdc, wallet, TokenAmount.parse(DevChain.usdcAsset(usdc), "500"));
        chain.setEthBalance(wallet, TokenAmount.parse(Asset.ether(), "1"));
    }

    @AfterAll
    static void stop() {
        guardian.close();
        receiver.stop(0);
    }

    @Test
    void announcesTheEscalationAndTheConfirmationWithValidSignatures() {
        AgentClient agent = guardian.client(AGENT);
        String id = agent.pay(merchant.toString(), "150").text("id");
        awaitEvent(id, "request.escalated");

        guardian.client(APPROVER).post("/v1/approvals/" + id + "/approve", "{\"comment\":\"ok\"}", Optional.empty());
        agent.awaitStatus(id, Duration.ofSeconds(20), "CONFIRMED");

        Received confirmed = awaitEvent(id, "request.confirmed");
        assertThat(confirmed.status()).isEqualTo("CONFIRMED");
        assertThat(received.stream().filter(r -> r.requestId().equals(id))).allMatch(Received::signatureValid);
    }

    @Test
    void retriesWhileTheReceiverFailsAndRecordsEveryAttempt() {
        failuresLeft.set(2);
        String id = guardian.client(AGENT).pay(merchant.toString(), "160").text("id");

        Received escalated = awaitEvent(id, "request.escalated");

        // The receiver has the delivery; Guardian records the outcome right after the answer arrives.
        Map<String, Object> delivery = awaitDelivered(escalated.deliveryId());
        assertThat(delivery).containsEntry("attempts", 3).containsEntry("last_status", 204);
    }

    /** Runs last: it takes the receiver down for good. */
    @Test
    @Order(Integer.MAX_VALUE)
    void aReceiverThatIsDownNeverHoldsUpAPayment() {
        receiver.stop(0);
        AgentClient agent = guardian.client(AGENT);
        AgentClient.Response paid = agent.pay(merchant.toString(), "5");

        assertThat(paid.status()).isEqualTo(202);
        agent.awaitStatus(paid.text("id"), Duration.ofSeconds(20), "CONFIRMED");
        awaitPendingAttempt(paid.text("id"));
    }

    private static Map<String, Object> awaitDelivered(String deliveryId) {
        Instant deadline = Instant.now().plusSeconds(10);
        Map<String, Object> delivery;
        do {
            delivery = guardian.bean(JdbcClient.class)
                    .sql("select status, attempts, last_status from webhook_deliveries where id = cast(:id as uuid)")
                    .param("id", deliveryId)
                    .query()
                    .singleRow();
            if ("DELIVERED".equals(delivery.get("status"))) {
                return delivery;
            }
            sleep(50);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("delivery " + deliveryId + " not recorded as delivered: " + delivery);
    }

    private static void awaitPendingAttempt(String requestId) {
        JdbcClient jdbc = guardian.bean(JdbcClient.class);
        Instant deadline = Instant.now().plusSeconds(10);
        while (Instant.now().isBefore(deadline)) {
            Integer attempts = jdbc.sql(
                            "select max(attempts) from webhook_deliveries where request_id = cast(:id as uuid) and status = 'PENDING'")
                    .param("id", requestId)
                    .query(Integer.class)
                    .single();
            if (attempts != null && attempts >= 1) {
                String error = jdbc.sql(
                                "select last_error from webhook_deliveries where request_id = cast(:id as uuid) and attempts >= 1 limit 1")
                        .param("id", requestId)
                        .query(String.class)
                        .single();
                assertThat(error).isNotBlank();
                return;
            }
            sleep(50);
        }
        throw new AssertionError("no failed attempt was recorded for " + requestId);
    }

    private static Received awaitEvent(String requestId, String event) {
        Instant deadline = Instant.now().plusSeconds(15);
        while (Instant.now().isBefore(deadline)) {
            Optional<Received> found = received.stream()
                    .filter(r -> r.requestId().equals(requestId) && r.event().equals(event))
                    .findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            sleep(50);
        }
        throw new AssertionError("no " + event + " for " + requestId + "; received " + received);
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
