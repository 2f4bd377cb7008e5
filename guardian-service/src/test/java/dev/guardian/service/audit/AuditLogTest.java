package dev.guardian.service.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.service.testsupport.TestDatabase;
import dev.guardian.signer.KeyEncryptionKey;
import dev.guardian.signer.KeyVault;
import dev.guardian.verifier.AuditRecord;
import dev.guardian.verifier.Checkpoint;
import dev.guardian.verifier.VerificationReport;
import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit chain on a real PostgreSQL, run as the application's restricted role: linear and gap-free
 * under concurrency, checkpointed, append-only for the application and (by trigger) for the owner too,
 * and any edit that gets past both is found by verification. The log is append-only, so the tests
 * share one database and reason from the head rather than from an empty table.
 */
class AuditLogTest {
    private static final int CHECKPOINT_EVERY = 10;

    private static TestDatabase database;
    private static JdbcClient jdbc;
    private static JdbcClient owner;
    private static TransactionTemplate transactions;
    private static AuditLog audit;

    @BeforeAll
    static void startDatabase() {
        database = TestDatabase.start();
        jdbc = database.jdbc();
        owner = database.ownerJdbc();
        transactions = database.transactions();
        audit = database.auditLog(CHECKPOINT_EVERY);
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        database.close();
    }

    @Test
    void concurrentAppendsFormOneGapFreeChainWithACheckpointEveryTenRecords() throws Exception {
        long before = headSeq();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> appends = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int n = i;
            appends.add(pool.submit(() -> transactions.executeWithoutResult(tx -> audit.append(
                    UUID.randomUUID(), new TestEvents.Mixed(n, "12.5", Map.of("b", 1, "a", "x")), Actor.GUARDIAN))));
        }
        for (Future<?> append : appends) {
            append.get();
        }
        pool.shutdown();

        List<Long> sequence = jdbc.sql("select seq from audit_log where seq > :before order by seq")
                .param("before", before)
                .query(Long.class)
                .list();
        long checkpoints = jdbc.sql("select count(*) from audit_log where seq > :before and event = 'checkpoint'")
                .param("before", before)
                .query(Long.class)
                .single();
        assertThat(sequence.getFirst()).isEqualTo(before + 1);
        assertThat(sequence.getLast() - sequence.getFirst() + 1).as("no gap").isEqualTo(sequence.size());
        assertThat(sequence).hasSize(200 + (int) checkpoints);
        assertThat(checkpoints).isGreaterThanOrEqualTo(200 / CHECKPOINT_EVERY - 1);
        VerificationReport report = audit.verify();
        assertThat(report.ok()).as(report.summary()).isTrue();
        assertThat(report.checkpoints())
                .isEqualTo((int) (long) jdbc.sql("select count(*) from audit_log where event = 'checkpoint'")
                        .query(Long.class)
                        .single());
    }

    @Test
    void storesEachRecordAsTheCanonicalJsonWhoseSha256IsItsHash() {
        UUID request = UUID.randomUUID();
        long seq = transactions.execute(tx -> audit.append(
                request,
                new TestEvents.Submitted("0xab", 7, new BigInteger("1000000000000000000000").toString()),
                Actor.person("alice")));

        Map<String, Object> row = jdbc.sql(
                        "select canonical, encode(hash, 'hex') as hash, encode(sha256(convert_to(canonical, 'UTF8')), 'hex') as recomputed,"
                                + " actor, event, request_id from audit_log where seq = :seq")
                .param("seq", seq)
                .query()
                .singleRow();
        AuditRecord record = AuditRecord.fromCanonicalBody((String) row.get("canonical"), (String) row.get("hash"));
        assertThat(row.get("recomputed")).isEqualTo(row.get("hash"));
        assertThat(record.hashIsCorrect()).isTrue();
        assertThat(record.actor()).isEqualTo("person:alice").isEqualTo(row.get("actor"));
        assertThat(record.requestId()).isEqualTo(request.toString());
        assertThat((String) row.get("canonical"))
                .contains("\"payload\":{\"nonce\":7,\"txHash\":\"0xab\",\"units\":\"1000000000000000000000\"}");
    }

    @Test
    void signsTheHeadEveryTenRecordsWithACheckpointOverTheRecordBeforeIt() {
        transactions.executeWithoutResult(tx -> audit.checkpoint());
        long start = headSeq();
        for (int i = 0; i < CHECKPOINT_EVERY; i++) {
            transactions.executeWithoutResult(tx -> audit.append(new TestEvents.Block(1), Actor.GUARDIAN));
        }

        AuditRecord checkpoint = recordAt(start + CHECKPOINT_EVERY + 1);
        assertThat(checkpoint.event()).isEqualTo("checkpoint");
        Checkpoint signed = Checkpoint.fromPayload(checkpoint.payload());
        assertThat(signed.headSeq()).isEqualTo(start + CHECKPOINT_EVERY);
        assertThat(signed.headHash())
                .isEqualTo(recordAt(start + CHECKPOINT_EVERY).hash())
                .isEqualTo(checkpoint.prevHash());
        assertThat(audit.keys().activePublicKey().verifies(signed.signedMessage(), signed.signature()))
                .isTrue();
    }

    @Test
    void severalRecordsAppendedAtOnceChainInOrderAndACheckpointFallsInBetweenWhenDue() {
        transactions.executeWithoutResult(tx -> audit.checkpoint());
        long start = headSeq();
        List<AuditLog.Entry> entries = new ArrayList<>();
        for (int i = 0; i < CHECKPOINT_EVERY + 3; i++) {
            entries.add(new AuditLog.Entry(new TestEvents.Step(i), Actor.GUARDIAN));
        }

        List<Long> seqs = transactions.execute(tx -> audit.appendAll(UUID.randomUUID(), entries));

        assertThat(seqs).hasSize(CHECKPOINT_EVERY + 3);
        assertThat(seqs.subList(0, CHECKPOINT_EVERY))
                .as("in order, one after the other")
                .isEqualTo(LongStream.rangeClosed(start + 1, start + CHECKPOINT_EVERY)
                        .boxed()
                        .toList());
        assertThat(recordAt(start + CHECKPOINT_EVERY + 1).event()).isEqualTo("checkpoint");
        assertThat(seqs.get(CHECKPOINT_EVERY))
                .as("the next entry after the checkpoint")
                .isEqualTo(start + CHECKPOINT_EVERY + 2);
        assertThat(recordAt(seqs.getLast()).payload()).containsEntry("i", (double) (CHECKPOINT_EVERY + 2));
        VerificationReport report = audit.verify();
        assertThat(report.ok()).as(report.summary()).isTrue();
    }

    @Test
    void anOnDemandCheckpointIsWrittenOnlyWhenTheHeadIsNotSignedYet() {
        transactions.executeWithoutResult(tx -> audit.append(new TestEvents.Block(2), Actor.GUARDIAN));

        long first = transactions.execute(tx -> audit.checkpoint()).orElseThrow();
        long second = transactions.execute(tx -> audit.checkpoint()).orElseThrow();

        assertThat(second).isEqualTo(first).isEqualTo(headSeq());
        assertThat(recordAt(first).event()).isEqualTo("checkpoint");
    }

    @Test
    void theApplicationsRoleCanNeitherUpdateNorDeleteNorTruncateTheLog() {
        appendOne();

        assertThatThrownBy(() -> jdbc.sql("update audit_log set event = 'x' where seq = 1")
                        .update())
                .rootCause()
                .hasMessageContaining("permission denied for table audit_log");
        assertThatThrownBy(() -> jdbc.sql("delete from audit_log where seq = 1").update())
                .rootCause()
                .hasMessageContaining("permission denied for table audit_log");
        assertThatThrownBy(() -> jdbc.sql("truncate audit_log").update())
                .rootCause()
                .hasMessageContaining("permission denied for table audit_log");
        assertThat(DatabaseRoleCheck.appendOnly(jdbc)).isTrue();
    }

    @Test
    void aTriggerRefusesUpdatesDeletesAndTruncationEvenByTheOwner() {
        appendOne();
        assertThat(DatabaseRoleCheck.appendOnly(owner)).isFalse();

        assertThatThrownBy(() -> owner.sql("update audit_log set event = 'x' where seq = 1")
                        .update())
                .rootCause()
                .hasMessageContaining("audit_log is append-only: UPDATE is not allowed");
        assertThatThrownBy(
                        () -> owner.sql("delete from audit_log where seq = 1").update())
                .rootCause()
                .hasMessageContaining("audit_log is append-only: DELETE is not allowed");
        assertThatThrownBy(() -> owner.sql("truncate audit_log").update())
                .rootCause()
                .hasMessageContaining("audit_log is append-only: TRUNCATE is not allowed");
        assertThat(audit.verify().ok()).isTrue();
    }

    @Test
    void theApplicationsRoleMayReplaceAnAuditKeysCiphertextButNothingElseOfIt() {
        // Re-sealing under a new key-encryption key rewrites sealed_key (docs/keys.md); the key's identity stays.
        assertThat(jdbc.sql("update audit_keys set sealed_key = sealed_key").update())
                .isEqualTo(1);
        assertThatThrownBy(() -> jdbc.sql("update audit_keys set public_key = sealed_key")
                        .update())
                .rootCause()
                .hasMessageContaining("permission denied for table audit_keys");
        assertThatThrownBy(() -> jdbc.sql("delete from audit_keys").update())
                .rootCause()
                .hasMessageContaining("permission denied for table audit_keys");
        assertThatThrownBy(() -> owner.sql("update audit_keys set key_id = 'ed25519:0000000000000000'")
                        .update())
                .rootCause()
                .hasMessageContaining("audit_keys: only sealed_key (re-sealing) and retired_at may change");
        assertThat(audit.verify().ok()).isTrue();
    }

    @Test
    void theDatabaseRefusesARecordWhoseHashIsNotTheSha256OfItsCanonicalForm() {
        long seq = appendOne();
        AuditRecord head = recordAt(seq);

        assertThatThrownBy(() -> owner.sql("""
                insert into audit_log (seq, recorded_at, request_id, event, actor, payload, prev_hash, hash, canonical)
                values (:seq, now(), null, 'forged', 'guardian', '{}', decode(:prev, 'hex'), decode(:hash, 'hex'), '{}')
                """)
                        .param("seq", seq + 1)
                        .param("prev", head.hash())
                        .param("hash", "11".repeat(32))
                        .update())
                .hasMessageContaining("audit_log_hash_is_sha256_of_canonical");
    }

    @Test
    void verificationFindsARecordRewrittenBySomeoneWhoDisabledTheTrigger() {
        long seq = appendOne();
        appendOne();
        AuditRecord original = recordAt(seq);
        AuditRecord forged = AuditRecord.fromCanonicalBody(
                original.canonicalBody().replace("\"amount\":\"1\"", "\"amount\":\"1000\""), original.hash());
        try {
            asOwnerWithoutTrigger(
                    "update audit_log set canonical = :canonical, hash = decode(:hash, 'hex') where seq = :seq",
                    Map.of("canonical", forged.canonicalBody(), "hash", forged.computedHash(), "seq", seq));

            VerificationReport report = audit.verify();

            assertThat(report.ok()).isFalse();
            assertThat(report.problem().orElseThrow().seq()).isEqualTo(seq);
        } finally {
            asOwnerWithoutTrigger(
                    "update audit_log set canonical = :canonical, hash = decode(:hash, 'hex') where seq = :seq",
                    Map.of("canonical", original.canonicalBody(), "hash", original.hash(), "seq", seq));
        }
        assertThat(audit.verify().ok()).isTrue();
    }

    @Test
    void verificationFindsAQueryColumnThatDisagreesWithItsRecord() {
        long seq = appendOne();
        try {
            asOwnerWithoutTrigger(
                    "update audit_log set payload = jsonb_set(payload, '{amount}', '\"99\"') where seq = :seq",
                    Map.of("seq", seq));

            VerificationReport report = audit.verify();

            assertThat(report.problem().orElseThrow().seq()).isEqualTo(seq);
            assertThat(report.problem().orElseThrow().what())
                    .contains("the payload column of record " + seq + " disagrees");
        } finally {
            asOwnerWithoutTrigger(
                    "update audit_log set payload = jsonb_set(payload, '{amount}', '\"1\"') where seq = :seq",
                    Map.of("seq", seq));
        }
    }

    @Test
    void verificationFindsADeletedRecord() {
        long seq = appendOne();
        appendOne();
        Map<String, Object> row = owner.sql("select * from audit_log where seq = :seq")
                .param("seq", seq)
                .query()
                .singleRow();
        try {
            asOwnerWithoutTrigger("delete from audit_log where seq = :seq", Map.of("seq", seq));

            VerificationReport report = audit.verify();

            assertThat(report.problem().orElseThrow().seq()).isEqualTo(seq);
            assertThat(report.problem().orElseThrow().what()).contains("record " + seq + " is missing");
        } finally {
            owner.sql("""
                    insert into audit_log (seq, recorded_at, request_id, event, actor, payload, prev_hash, hash, canonical)
                    values (:seq, :recorded_at, :request_id, :event, :actor, cast(:payload as jsonb), :prev_hash, :hash, :canonical)
                    """)
                    .params(Map.of(
                            "seq",
                            row.get("seq"),
                            "recorded_at",
                            row.get("recorded_at"),
                            "event",
                            row.get("event"),
                            "actor",
                            row.get("actor"),
                            "payload",
                            row.get("payload").toString(),
                            "prev_hash",
                            row.get("prev_hash"),
                            "hash",
                            row.get("hash"),
                            "canonical",
                            row.get("canonical")))
                    .param("request_id", row.get("request_id"))
                    .update();
        }
        assertThat(audit.verify().ok()).isTrue();
    }

    @Test
    void recordsThatRollBackLeaveNoTrace() {
        long before = headSeq();
        assertThatThrownBy(() -> transactions.executeWithoutResult(tx -> {
                    audit.append(new TestEvents.Amount("1"), Actor.GUARDIAN);
                    throw new IllegalStateException("the decision's own write failed");
                }))
                .isInstanceOf(IllegalStateException.class);

        assertThat(headSeq()).isEqualTo(before);
        assertThat(audit.verify().ok()).isTrue();
    }

    @Test
    void refusesToAppendOutsideATransaction() {
        assertThatThrownBy(() -> audit.append(new TestEvents.Amount("1"), Actor.GUARDIAN))
                .hasMessageContaining("inside the transaction");
    }

    @Test
    void refusesFractionalAndUnsafeNumbersAndWritesNothing() {
        long before = headSeq();

        assertThatThrownBy(() -> transactions.executeWithoutResult(
                        tx -> audit.append(new TestEvents.Value(0.5), Actor.GUARDIAN)))
                .hasMessageContaining("cannot hold a")
                .hasMessageContaining("Double");
        assertThatThrownBy(() -> transactions.executeWithoutResult(
                        tx -> audit.append(new TestEvents.Value(9007199254740993L), Actor.GUARDIAN)))
                .hasMessageContaining("payload.value")
                .hasMessageContaining("string");
        assertThatThrownBy(() -> transactions.executeWithoutResult(
                        tx -> audit.append(new TestEvents.Value(new Object()), Actor.GUARDIAN)))
                .hasMessageContaining("cannot hold a")
                .hasMessageContaining("Object");
        assertThat(headSeq()).isEqualTo(before);
    }

    @Test
    void keepsAStringWithANulCharacterThatJsonbCannotHold() {
        long seq = transactions.execute(tx -> audit.append(new TestEvents.Value("bad\u0000reason"), Actor.GUARDIAN));

        assertThat(recordAt(seq).payload()).containsEntry("value", "bad\u0000reason");
        assertThat(audit.verify().ok()).isTrue();
    }

    @Test
    void recordsAConfigurationOnceAndAgainOnlyWithWhatChanged() {
        boolean first = transactions.execute(tx ->
                audit.recordIfChanged(new TestEvents.Configured("bot", "Bot", false), Actor.CONFIGURATION, "agent"));
        boolean unchanged = transactions.execute(tx ->
                audit.recordIfChanged(new TestEvents.Configured("bot", "Bot", false), Actor.CONFIGURATION, "agent"));
        boolean otherSubject = transactions.execute(tx ->
                audit.recordIfChanged(new TestEvents.Configured("other", "Bot", false), Actor.CONFIGURATION, "agent"));
        boolean changed = transactions.execute(tx ->
                audit.recordIfChanged(new TestEvents.Configured("bot", "Bot", true), Actor.CONFIGURATION, "agent"));

        assertThat(first).isTrue();
        assertThat(unchanged).isFalse();
        assertThat(otherSubject).as("another subject is recorded on its own").isTrue();
        assertThat(changed).isTrue();
        AuditRecord latest = jdbc.sql(
                        "select canonical, encode(hash, 'hex') as hash from audit_log where event = 'test.configured'"
                                + " order by seq desc limit 1")
                .query((rs, n) -> AuditRecord.fromCanonicalBody(rs.getString(1), rs.getString(2)))
                .single();
        assertThat(latest.payload())
                .containsEntry("agent", "bot")
                .containsEntry("frozen", true)
                .containsEntry("changed", List.of("frozen"));
        assertThat(latest.actor()).isEqualTo("configuration");
    }

    @Test
    void aSecondInstanceLoadsTheSameAuditKeyAndOneWithAnotherKekCannotStart() {
        KeyVault otherVault = new KeyVault(KeyEncryptionKey.generate());

        assertThatThrownBy(() -> AuditKeys.loadOrCreate(jdbc, transactions, otherVault, Clock.systemUTC()))
                .hasMessageContaining("cannot be opened with this instance's key-encryption key");
        assertThat(audit.keys().published()).hasSize(1);
    }

    private static long appendOne() {
        return transactions.execute(tx -> audit.append(new TestEvents.Amount("1"), Actor.GUARDIAN));
    }

    private static long headSeq() {
        return jdbc.sql("select coalesce(max(seq), 0) from audit_log")
                .query(Long.class)
                .single();
    }

    private static AuditRecord recordAt(long seq) {
        return jdbc.sql("select canonical, encode(hash, 'hex') as hash from audit_log where seq = :seq")
                .param("seq", seq)
                .query((rs, n) -> AuditRecord.fromCanonicalBody(rs.getString(1), rs.getString(2)))
                .single();
    }

    /** What an attacker with the owner's rights can do: switch the trigger off, edit, switch it on again. */
    private static void asOwnerWithoutTrigger(String sql, Map<String, ?> params) {
        new TransactionTemplate(new DataSourceTransactionManager(database.ownerDataSource()))
                .executeWithoutResult(tx -> {
                    owner.sql("alter table audit_log disable trigger user").update();
                    owner.sql(sql).params(params).update();
                    owner.sql("alter table audit_log enable trigger user").update();
                });
    }
}
