package dev.guardian.service.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.service.audit.AuditKeys;
import dev.guardian.service.audit.AuditLog;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.Concurrently;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.TestDatabase;
import dev.guardian.verifier.VerificationReport;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two instances of one deployment started at the same moment, both with the new KEK and the previous one
 * (as base64 this time): the re-sealing lock lets one re-seal and record it, the other waits and finds
 * nothing left to do, and both run on the same keys.
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

            List<GuardianInstance> both = Concurrently.run(
                    2,
                    i -> guardian(database, usdc, agents)
                            .kek(kekB)
                            .property("guardian.keys.previous-kek", kekA)
                            .start());

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
