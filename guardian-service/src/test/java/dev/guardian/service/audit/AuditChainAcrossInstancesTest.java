package dev.guardian.service.audit;

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
import dev.guardian.service.testsupport.TestDatabase;
import dev.guardian.verifier.VerificationReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;

/**
 * Two Guardian instances on one database, configured as a deployment is (the application's restricted
 * role for the app, the owner for the migrations, one KEK): concurrent payments split across both, with
 * receipts followed by both, still make one gap-free chain with one audit key, checkpoints that verify,
 * and configuration recorded once.
 */
class AuditChainAcrossInstancesTest {
    private static final int PAYMENTS = 16;

    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final PersonSpec AUDITOR = PersonSpec.person("audrey", Role.AUDITOR);

    private static TestDatabase database;
    private static GuardianInstance first;
    private static GuardianInstance second;
    private static AgentSpec spender;
    private static final List<String> paid = new ArrayList<>();

    @BeforeAll
    static void payConcurrentlyThroughTwoInstances() throws Exception {
        DevChain chain = CHAIN.devChain();
        Address usdc = chain.deployTestUsdc();
        Address merchant = chain.devAccounts().get(2);
        spender = AgentSpec.agent("spender")
                .perTransactionCap("20")
                .budget("1000", Duration.ofHours(24))
                .allow(merchant);
        database = TestDatabase.start();
        String kek = GuardianInstance.newKek();
        first = instance(usdc, kek);
        second = instance(usdc, kek);
        Address wallet = Address.parse(first.client(spender).wallet().text("address"));
        chain.mintUsdc(usdc, wallet, TokenAmount.parse(DevChain.usdcAsset(usdc), "500"));
        chain.setEthBalance(wallet, TokenAmount.parse(Asset.ether(), "1"));

        ExecutorService pool = Executors.newFixedThreadPool(PAYMENTS);
        List<Future<AgentClient.Response>> answers = new ArrayList<>();
        for (int i = 0; i < PAYMENTS; i++) {
            GuardianInstance via = i % 2 == 0 ? first : second;
            String amount = Integer.toString(1 + i % 5);
            answers.add(pool.submit(() -> via.client(spender).pay(merchant.toString(), amount)));
        }
        for (Future<AgentClient.Response> answer : answers) {
            AgentClient.Response response = answer.get();
            assertThat(response.status()).as(response.raw().body()).isEqualTo(202);
            paid.add(response.text("id"));
        }
        pool.shutdown();
        for (String id : paid) {
            first.client(spender).awaitStatus(id, Duration.ofSeconds(30), "CONFIRMED");
        }
    }

    private static GuardianInstance instance(Address usdc, String kek) {
        return GuardianInstance.builder(CHAIN.anvil().rpcUrl(), usdc)
                .database(database)
                .kek(kek)
                .agent(spender)
                .person(AUDITOR)
                .property("guardian.audit.checkpoint-every-records", 5)
                .property("guardian.audit.checkpoint-interval", "300ms")
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            for (GuardianInstance instance : new GuardianInstance[] {second, first}) {
                if (instance != null) {
                    instance.close();
                }
            }
        } finally {
            if (database != null) {
                database.close();
            }
        }
    }

    @Test
    void theChainStaysOneGapFreeSequenceThatVerifiesFromEitherInstance() {
        List<Long> sequence = database.jdbc()
                .sql("select seq from audit_log order by seq")
                .query(Long.class)
                .list();
        for (int i = 0; i < sequence.size(); i++) {
            assertThat(sequence.get(i)).isEqualTo(i + 1L);
        }
        long payments = database.jdbc()
                .sql("select count(distinct request_id) from audit_log where event = 'confirmed'")
                .query(Long.class)
                .single();
        assertThat(payments).isEqualTo(PAYMENTS);

        VerificationReport viaBean = second.bean(AuditLog.class).verify();
        JsonNode viaApi = first.client(AUDITOR).get("/v1/audit/verification").body();

        assertThat(viaBean.ok()).as(viaBean.summary()).isTrue();
        assertThat(viaBean.records()).isEqualTo(sequence.size());
        // A checkpoint follows every five other records, so one in six records is a checkpoint.
        assertThat(viaBean.checkpoints()).isGreaterThanOrEqualTo(sequence.size() / 6 - 1);
        assertThat(viaApi.get("ok").asBoolean()).as(viaApi.toString()).isTrue();
    }

    @Test
    void everyPaymentsStoryIsCompleteAndInOrder() {
        AgentClient auditor = second.client(AUDITOR);
        for (String id : paid) {
            JsonNode records = auditor.get("/v1/audit/requests/" + id).body().get("records");
            assertThat(StreamSupport.stream(records.spliterator(), false)
                            .map(r -> r.get("event").asString()))
                    .as("request %s", id)
                    .containsExactly(
                            "request-received",
                            "simulation",
                            "screening",
                            "decision",
                            "signed",
                            "submitted",
                            "confirmed");
        }
    }

    @Test
    void bothInstancesUseOneAuditKeyAndRecordTheConfigurationOnce() {
        JdbcClient jdbc = database.jdbc();

        assertThat(jdbc.sql("select count(*) from audit_keys").query(Long.class).single())
                .isEqualTo(1);
        assertThat(first.bean(AuditKeys.class).activeKeyId())
                .isEqualTo(second.bean(AuditKeys.class).activeKeyId());
        for (String event : List.of("audit-key-created", "agent-created", "wallet-created", "person-created")) {
            assertThat(jdbc.sql("select count(*) from audit_log where event = :event")
                            .param("event", event)
                            .query(Long.class)
                            .single())
                    .as(event)
                    .isPositive();
            assertThat(jdbc.sql("""
                            select count(*) from (select payload::text from audit_log where event = :event
                                                  group by payload::text having count(*) > 1) twice
                            """).param("event", event).query(Long.class).single())
                    .as("%s recorded once per subject although two instances started", event)
                    .isZero();
        }
    }

    @Test
    void signsTheHeadOnScheduleWhenRecordsAreWaitingForACheckpoint() throws InterruptedException {
        first.bean(TransactionTemplate.class)
                .executeWithoutResult(tx -> first.bean(AuditLog.class)
                        .append(new TestEvents.Note("waits for the next scheduled checkpoint"), Actor.GUARDIAN));

        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        String headEvent;
        do {
            Thread.sleep(100);
            headEvent = database.jdbc()
                    .sql("select event from audit_log order by seq desc limit 1")
                    .query(String.class)
                    .single();
        } while (!headEvent.equals("checkpoint") && System.nanoTime() < deadline);

        assertThat(headEvent).isEqualTo("checkpoint");
        assertThat(first.bean(AuditLog.class).verify().unsignedTail()).isZero();
    }

    @Test
    void bothInstancesRunAsTheRestrictedRoleAndMigrateAsTheOwner() {
        for (GuardianInstance instance : List.of(first, second)) {
            assertThat(instance.bean(JdbcClient.class)
                            .sql("select current_user")
                            .query(String.class)
                            .single())
                    .isEqualTo("guardian_service");
            assertThat(DatabaseRoleCheck.appendOnly(instance.bean(JdbcClient.class)))
                    .isTrue();
        }
        assertThat(database.ownerJdbc()
                        .sql("select count(*) from flyway_schema_history where success")
                        .query(Long.class)
                        .single())
                .isGreaterThanOrEqualTo(3);
    }
}
