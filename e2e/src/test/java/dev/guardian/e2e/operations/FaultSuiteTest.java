package dev.guardian.e2e.operations;

import static org.assertj.core.api.Assumptions.assumeThat;

import dev.guardian.e2e.operations.PaymentBurst.Payer;
import dev.guardian.e2e.operations.PaymentBurst.Payment;
import dev.guardian.policy.Address;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.TestAddresses;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

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
    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final Duration SETTLE = Duration.ofSeconds(120);

    private static final Map<String, Address> PAYEE_OF = new ConcurrentHashMap<>();

    private static ExternalPostgres postgres;
    private static RestartableChain chain;

    @BeforeAll
    static void startDatabaseServerAndChain() {
        Optional<String> unavailable = ExternalPostgres.unavailable(Path.of(ExternalPostgres.DEBIAN_15));
        assumeThat(unavailable).as("PostgreSQL from Debian's packages, as root").isEmpty();
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
            check(deployment, burst.finish());
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

    /** The payers: each agent pays its own fresh payee, through every instance that is still running. */
    private static PaymentBurst burst(Deployment deployment) {
        List<Payer> payers = deployment.agents().stream()
                .map(agent -> new Payer(agent, PAYEE_OF.get(agent.id()), () -> liveInstances(deployment)))
                .toList();
        return PaymentBurst.start(payers, CONCURRENCY, SEND_FOR, PATIENCE);
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
        FaultChecks.assertNothingLostOrDoubled(deployment, payments, FUNDED, SETTLE);
    }
}
