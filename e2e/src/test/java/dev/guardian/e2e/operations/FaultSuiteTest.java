package dev.guardian.e2e.operations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.e2e.operations.PaymentBurst.Payer;
import dev.guardian.e2e.operations.PaymentBurst.Payment;
import dev.guardian.policy.Address;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.TestAddresses;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import tools.jackson.databind.JsonNode;

/**
 * Faults injected under a burst of concurrent payments, each with its own Idempotency-Key, against Guardian
 * run as operators run it (the executable jar as a process of its own, an external PostgreSQL, Anvil with a
 * state file); afterwards {@link FaultChecks} checks that nothing was lost or paid twice, on chain. How long
 * each case takes is in docs/faults.md.
 */
class FaultSuiteTest {
    private static final String FUNDED = "100000";
    private static final Duration DAY = Duration.ofHours(24);
    private static final int CONCURRENCY = 6;
    private static final Duration SEND_FOR = Duration.ofSeconds(10);
    /** Longer than a restart may take (120 s), so a payment outlives the instance it was sent to. */
    private static final Duration PATIENCE = Duration.ofSeconds(180);

    private static final Duration SETTLE = Duration.ofSeconds(120);

    private static final Map<String, Address> PAYEE_OF = new ConcurrentHashMap<>();

    private static ExternalPostgres postgres;
    private static RestartableChain chain;

    @BeforeAll
    static void startDatabaseServerAndChain() {
        ExternalPostgres.requireAvailable(Path.of(ExternalPostgres.DEBIAN_15));
        postgres = ExternalPostgres.start(Path.of(ExternalPostgres.DEBIAN_15));
        Deployment.createRoles(postgres);
        chain = RestartableChain.start();
    }

    @AfterAll
    static void stop() {
        try {
            if (chain != null) {
                chain.close();
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    @Test
    void postgresPausedThenCrashedAndRestarted(TestInfo test) {
        try (Deployment deployment = deploy(test, 1, b -> {})) {
            PaymentBurst burst = burst(deployment);
            GuardianProcess.pause(Duration.ofSeconds(2));
            postgres.pause();
            GuardianProcess.pause(Duration.ofSeconds(4));
            postgres.resume();
            GuardianProcess.pause(Duration.ofSeconds(2));
            postgres.restartAfterCrash();
            check(deployment, burst.finish());
        }
    }

    @Test
    void guardianKilledWithSigkillUnderLoadThenRestarted(TestInfo test) {
        try (Deployment deployment = deploy(test, 1, b -> {})) {
            PaymentBurst burst = burst(deployment);
            GuardianProcess.pause(Duration.ofSeconds(3));
            deployment.instance(0).kill();
            GuardianProcess.pause(Duration.ofSeconds(1));
            deployment.instance(0).restart(Duration.ofSeconds(120));
            check(deployment, burst.finish());
        }
    }

    @Test
    void chainPausedThenRestartedFromItsState(TestInfo test) {
        try (Deployment deployment = deploy(test, 1, b -> {})) {
            PaymentBurst burst = burst(deployment);
            GuardianProcess.pause(Duration.ofSeconds(2));
            chain.pause();
            GuardianProcess.pause(Duration.ofSeconds(4));
            chain.resume();
            GuardianProcess.pause(Duration.ofSeconds(2));
            chain.restartFromState();
            // Not asserted that agents felt it: a 4 s pause and a sub-second restart are often absorbed
            // inside Guardian (a read's retries, a postponed signature), and the agent never sees a 503.
            FaultChecks.assertNothingLostOrDoubled(deployment, burst.finish(), FUNDED, SETTLE);
        }
    }

    @Test
    void twoInstancesOnOneDatabaseAndOneKilled(TestInfo test) {
        try (Deployment deployment = deploy(test, 2, b -> {})) {
            PaymentBurst burst = burst(deployment);
            GuardianProcess.pause(Duration.ofSeconds(3));
            deployment.instance(1).kill();
            check(deployment, burst.finish());
        }
    }

    @Test
    void webhookReceiverDownThenBackAndItsDeadDeliveriesResent(TestInfo test) {
        try (WebhookReceiver receiver = new WebhookReceiver();
                Deployment deployment = deploy(
                        test,
                        1,
                        b -> b.property("guardian.webhooks.endpoints[0].url", receiver.url())
                                .property(
                                        "guardian.webhooks.endpoints[0].secret",
                                        "a webhook secret of at least thirty-two chars")
                                // Dead within about a second, where the defaults take nine minutes.
                                .property("guardian.webhooks.max-attempts", 3)
                                .property("guardian.webhooks.first-retry", "200ms")
                                .property("guardian.webhooks.max-retry", "400ms")
                                .property("guardian.webhooks.dispatch-interval", "100ms"))) {
            List<Payment> payments = PaymentBurst.start(payers(deployment), CONCURRENCY, SEND_FOR, PATIENCE)
                    .finish();
            // The receiver's outage is not felt by the agents: their payments are accepted at once.
            FaultChecks.assertNothingLostOrDoubled(deployment, payments, FUNDED, SETTLE);
            Set<String> confirmed = payments.stream().map(Payment::id).collect(Collectors.toSet());
            AgentClient admin = deployment.admin();
            awaitNoPending(admin);
            AgentClient.Response dead = admin.get("/v1/admin/webhooks/deliveries?status=DEAD&limit=500");
            assertThat(dead.body().get("deliveries").size())
                    .as("every notice of the outage is dead, none lost")
                    .isGreaterThanOrEqualTo(confirmed.size());

            receiver.up();
            AgentClient.Response resent =
                    admin.post("/v1/admin/webhooks/deliveries/resend?status=DEAD", "", Optional.empty());
            assertThat(resent.status()).as(resent.raw().body()).isEqualTo(202);
            assertThat(resent.body().get("stillDead").asInt()).isZero();

            Map<String, Set<String>> deliveriesOfConfirmed = awaitConfirmedNotices(receiver, confirmed);
            assertThat(deliveriesOfConfirmed.keySet())
                    .as("a request.confirmed notice for every payment")
                    .isEqualTo(confirmed);
            assertThat(deliveriesOfConfirmed.values().stream().filter(ids -> ids.size() != 1))
                    .as("one delivery per confirmed request (a delivery may repeat, with its id)")
                    .isEmpty();
            awaitNoPending(admin);
            assertThat(admin.get("/v1/admin/webhooks/deliveries?status=DEAD")
                            .body()
                            .get("deliveries")
                            .size())
                    .isZero();
        }
    }

    /** The request.confirmed notices received, by request id: the delivery ids of each. */
    private static Map<String, Set<String>> awaitConfirmedNotices(WebhookReceiver receiver, Set<String> confirmed) {
        Instant deadline = Instant.now().plus(SETTLE);
        while (true) {
            Map<String, Set<String>> byRequest = new HashMap<>();
            for (JsonNode notice : receiver.received()) {
                if ("request.confirmed".equals(notice.get("event").asString())) {
                    byRequest
                            .computeIfAbsent(notice.get("request").get("id").asString(), k -> new HashSet<>())
                            .add(notice.get("id").asString());
                }
            }
            if (byRequest.keySet().containsAll(confirmed) || Instant.now().isAfter(deadline)) {
                return byRequest;
            }
            GuardianProcess.pause(Duration.ofMillis(200));
        }
    }

    /** Until no delivery is waiting for another attempt: each was delivered or is dead. */
    private static void awaitNoPending(AgentClient admin) {
        Instant deadline = Instant.now().plus(SETTLE);
        while (admin.get("/v1/admin/webhooks/deliveries?status=PENDING")
                        .body()
                        .get("deliveries")
                        .size()
                > 0) {
            assertThat(Instant.now()).as("deliveries still pending").isBefore(deadline);
            GuardianProcess.pause(Duration.ofMillis(200));
        }
    }

    private static Deployment deploy(TestInfo test, int instances, Consumer<GuardianInstance.Builder> tune) {
        String method = test.getTestMethod().orElseThrow().getName().toLowerCase();
        String name = "faults_" + method;
        String prefix = method.substring(0, Math.min(30, method.length()));
        List<AgentSpec> agents = List.of(agent(prefix + "-a"), agent(prefix + "-b"));
        return Deployment.start(postgres, chain, name, instances, agents, FUNDED, tune);
    }

    /** An agent that may pay its own fresh payee (so the payee's balance is exactly what it was paid). */
    private static AgentSpec agent(String id) {
        Address payee = TestAddresses.fresh();
        PAYEE_OF.put(id, payee);
        return AgentSpec.agent(id).perTransactionCap("100").budget("50000", DAY).allow(payee);
    }

    private static PaymentBurst burst(Deployment deployment) {
        return PaymentBurst.start(payers(deployment), CONCURRENCY, SEND_FOR, PATIENCE);
    }

    /** The payers: each agent pays its own fresh payee, through every instance that is still running. */
    private static List<Payer> payers(Deployment deployment) {
        return deployment.agents().stream()
                .map(agent -> new Payer(agent, PAYEE_OF.get(agent.id()), () -> liveInstances(deployment)))
                .toList();
    }

    /** Where a load balancer sends requests: the instances that are running (all, while none is). */
    private static List<URI> liveInstances(Deployment deployment) {
        List<URI> live = deployment.instances().stream()
                .filter(GuardianProcess::alive)
                .map(GuardianProcess::baseUrl)
                .toList();
        return live.isEmpty()
                ? deployment.instances().stream().map(GuardianProcess::baseUrl).toList()
                : live;
    }

    private static void check(Deployment deployment, List<Payment> payments) {
        FaultChecks.assertFaultFeltAndNothingLostOrDoubled(deployment, payments, FUNDED, SETTLE);
    }
}
