package dev.guardian.service.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.service.testsupport.TestDatabase;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/** The audit chain on a real PostgreSQL: linear and gap-free under concurrency, and any edit is detected. */
class AuditLogTest {
    private static TestDatabase database;
    private static JdbcClient jdbc;
    private static TransactionTemplate transactions;
    private AuditLog audit;

    @BeforeAll
    static void startDatabase() {
        database = TestDatabase.start();
        jdbc = database.jdbc();
        transactions = database.transactions();
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        database.close();
    }

    @BeforeEach
    void emptyLog() {
        jdbc.sql("delete from audit_log").update();
        audit = new AuditLog(jdbc, Clock.systemUTC());
    }

    @Test
    void concurrentAppendsFormOneGapFreeVerifiableChain() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> appends = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int n = i;
            appends.add(pool.submit(() -> transactions.executeWithoutResult(tx ->
                    audit.append(UUID.randomUUID(), "decision", Map.of("n", n, "amount", "12.5", "nested", Map.of("b", 1, "a", "x"))))));
        }
        for (Future<?> append : appends) {
            append.get();
        }
        pool.shutdown();

        List<Long> sequence = jdbc.sql("select seq from audit_log order by seq").query(Long.class).list();
        assertThat(sequence).hasSize(200).first().isEqualTo(1L);
        assertThat(sequence.getLast()).isEqualTo(200L);
        assertThat(audit.verify()).isEmpty();
    }

    @Test
    void detectsAChangedPayload() {
        appendThree();
        jdbc.sql("update audit_log set payload = jsonb_set(payload, '{amount}', '\"99\"') where seq = 2").update();

        assertThat(audit.verify()).contains("record 2 does not match its hash: its content was changed");
    }

    @Test
    void detectsADeletedRecord() {
        appendThree();
        jdbc.sql("delete from audit_log where seq = 2").update();

        assertThat(audit.verify()).contains("record 2 is missing (found 3)");
    }

    @Test
    void recordsThatRollBackLeaveNoTrace() {
        appendThree();
        assertThatThrownBy(() -> transactions.executeWithoutResult(tx -> {
            audit.append(null, "decision", Map.of("amount", "1"));
            throw new IllegalStateException("the decision's own write failed");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(jdbc.sql("select count(*) from audit_log").query(Long.class).single()).isEqualTo(3);
        assertThat(audit.verify()).isEmpty();
    }

    @Test
    void refusesToAppendOutsideATransaction() {
        assertThatThrownBy(() -> audit.append(null, "decision", Map.of()))
                .hasMessageContaining("inside the transaction");
    }

    private void appendThree() {
        for (int i = 0; i < 3; i++) {
            int n = i;
            transactions.executeWithoutResult(tx -> audit.append(null, "decision", Map.of("amount", "1" + n)));
        }
    }
}
