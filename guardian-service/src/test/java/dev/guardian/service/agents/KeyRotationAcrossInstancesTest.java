package dev.guardian.service.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.service.audit.AuditKeys;
import dev.guardian.service.audit.AuditLog;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.TestDatabase;
import dev.guardian.verifier.VerificationReport;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two instances of one deployment started at the same moment, both with the new KEK and the previous one
 * (as base64 this time), held back until both wait for the re-sealing lock: the lock lets one re-seal and
 * record it, the other waits and finds nothing left to do, and both run on the same keys.
 */
@ExtendWith(OutputCaptureExtension.class)
class KeyRotationAcrossInstancesTest {
    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    @Test
    void twoInstancesStartingTogetherReSealOnceAndBothRun(CapturedOutput output) throws Exception {
        Address usdc = CHAIN.devChain().deployTestUsdc();
        List<AgentSpec> agents = List.of(AgentSpec.agent("first"), AgentSpec.agent("second"));
        String kekA = GuardianInstance.newKek();
        String kekB = GuardianInstance.newKek();
        try (TestDatabase database = TestDatabase.start()) {
            Map<String, Address> wallets;
            String auditKey;
            try (GuardianInstance guardian =
                    guardian(database, usdc, agents).kek(kekA).start()) {
                wallets = walletsOf(guardian, agents);
                auditKey = guardian.bean(AuditKeys.class).activeKeyId();
            }
            int before = output.getAll().length();

            // Hold the re-sealing lock while both start, and let go only once both wait for it: then they
            // contend for it for real, however differently fast their starts happen to be.
            List<GuardianInstance> both;
            try (Connection holder = database.ownerDataSource().getConnection()) {
                holder.setAutoCommit(false);
                try (Statement statement = holder.createStatement()) {
                    statement.execute("select pg_advisory_xact_lock(" + KEY_RESEALING + ")");
                }
                ExecutorService pool = Executors.newFixedThreadPool(2);
                try {
                    List<Future<GuardianInstance>> starting = new ArrayList<>();
                    // One after the other up to the lock: two Spring Boot starts at the same instant in one JVM
                    // race in its logging set-up (a ConcurrentModificationException on the system properties).
                    // Both then wait for the lock together, which is the contention under test.
                    for (int i = 1; i <= 2; i++) {
                        starting.add(pool.submit(() -> guardian(database, usdc, agents)
                                .kek(kekB)
                                .property("guardian.keys.previous-kek", kekA)
                                .start()));
                        awaitWaitersForTheLock(database, i, starting);
                    }
                    holder.rollback();
                    both = new ArrayList<>();
                    for (Future<GuardianInstance> start : starting) {
                        both.add(start.get(2, TimeUnit.MINUTES));
                    }
                } finally {
                    pool.shutdown();
                }
            }

            try {
                String logged = output.getAll().substring(before);
                JdbcClient jdbc = database.jdbc();
                assertThat(jdbc.sql("select count(*) from audit_log where event = 'keys-resealed'")
                                .query(Long.class)
                                .single())
                        .isEqualTo(1);
                assertThat(jdbc.sql("select payload::text from audit_log where event = 'keys-resealed'")
                                .query(String.class)
                                .single())
                        .contains("\"walletKeys\": 2")
                        .contains("\"auditKeys\": 1");
                // distinct(): once several contexts have started in one JVM, the console may print a line twice.
                assertThat(logged.lines()
                                .filter(l -> l.contains("re-sealed the stored keys"))
                                .distinct())
                        .hasSize(1);
                assertThat(logged.lines()
                                .filter(l -> l.contains("nothing to re-seal"))
                                .distinct())
                        .hasSize(1);
                for (GuardianInstance instance : both) {
                    assertThat(walletsOf(instance, agents)).isEqualTo(wallets);
                    assertThat(instance.bean(AuditKeys.class).activeKeyId()).isEqualTo(auditKey);
                    assertThat(instance.client(agents.get(0)).wallet().status()).isEqualTo(200);
                    VerificationReport report = instance.bean(AuditLog.class).verify();
                    assertThat(report.ok()).as(report.summary()).isTrue();
                }
            } finally {
                for (GuardianInstance instance : both) {
                    instance.close();
                }
            }

            // Sealed under B alone now: a later start needs no previous key.
            try (GuardianInstance guardian =
                    guardian(database, usdc, agents).kek(kekB).start()) {
                assertThat(walletsOf(guardian, agents)).isEqualTo(wallets);
            }
        }
    }

    /** The key of {@code AdvisoryLocks.Lock.KEY_RESEALING} ("guardkek"), as the locks package documents it. */
    private static final long KEY_RESEALING = 0x67756172646b656bL;

    /**
     * Waits until {@code waiters} transactions wait for the re-sealing lock; fails if a start ended first
     * (it did not take the lock, or failed) or they never all wait.
     */
    private static void awaitWaitersForTheLock(
            TestDatabase database, int waiters, List<Future<GuardianInstance>> starts) throws InterruptedException {
        // A bigint advisory key shows in pg_locks as classid (high 32 bits), objid (low 32 bits), objsubid 1.
        String waiting = "select count(*) from pg_locks where locktype = 'advisory' and not granted and objsubid = 1"
                + " and classid::bigint = " + (KEY_RESEALING >>> 32) + " and objid::bigint = "
                + (KEY_RESEALING & 0xffffffffL);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        long waitingNow;
        while ((waitingNow = database.ownerJdbc().sql(waiting).query(Long.class).single()) < waiters
                && starts.stream().noneMatch(Future::isDone)
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(waitingNow).as("instances waiting for the re-sealing lock").isEqualTo(waiters);
    }

    private static GuardianInstance.Builder guardian(TestDatabase database, Address usdc, List<AgentSpec> agents) {
        GuardianInstance.Builder builder =
                GuardianInstance.builder(CHAIN.anvil().rpcUrl(), usdc).database(database);
        agents.forEach(builder::agent);
        return builder;
    }

    private static Map<String, Address> walletsOf(GuardianInstance guardian, List<AgentSpec> agents) {
        return agents.stream().collect(Collectors.toMap(AgentSpec::id, guardian::walletOf));
    }
}
