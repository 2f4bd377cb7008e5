package dev.guardian.verifier;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every way of tampering with an exported chain is caught, at the first bad sequence number: a changed
 * field, a changed and rehashed record, a deleted record, a reordered pair, an inserted record, and a
 * forged checkpoint.
 */
class ChainVerifierTest {
    private final TestChain chain = TestChain.typical();

    @Test
    void anIntactChainVerifiesWithEveryCheckpoint() {
        VerificationReport report = verify(chain.lines());

        assertThat(report.ok()).isTrue();
        assertThat(report.records()).isEqualTo(10);
        assertThat(report.lastSeq()).isEqualTo(10);
        assertThat(report.headHash()).isEqualTo(chain.records().get(9).hash());
        assertThat(report.checkpoints()).isEqualTo(2);
        assertThat(report.lastCheckpointSeq()).isEqualTo(10);
        assertThat(report.summary()).startsWith("OK: 10 records, seq 1 to 10").contains("covers every record");
    }

    @Test
    void saysHowManyRecordsAfterTheLastCheckpointAreNotYetSigned() {
        chain.append("confirmed", Map.of("block", 5)).append("confirmed", Map.of("block", 6));

        VerificationReport report = verify(chain.lines());

        assertThat(report.ok()).isTrue();
        assertThat(report.summary()).contains("the 2 records after it are chained but not yet signed");
    }

    @Test
    void catchesAChangedPayloadField() {
        List<String> lines = chain.lines();
        lines.set(
                2,
                withPayload(chain.records().get(2), "amount", "999000", false).toLine());

        assertFailsAt(lines, 3, "record 3 does not match its hash: its content was changed");
    }

    @Test
    void catchesAChangedTopLevelField() {
        AuditRecord third = chain.records().get(2);
        AuditRecord changed = new AuditRecord(
                third.seq(),
                third.recordedAt(),
                third.requestId(),
                third.event(),
                "person:mallory",
                third.payload(),
                third.prevHash(),
                third.hash());
        List<String> lines = chain.lines();
        lines.set(2, changed.toLine());

        assertFailsAt(lines, 3, "does not match its hash");
    }

    @Test
    void catchesAChangedRecordWhoseHashWasRecomputedAtTheNextLink() {
        List<String> lines = chain.lines();
        lines.set(
                2, withPayload(chain.records().get(2), "amount", "999000", true).toLine());

        assertFailsAt(lines, 4, "record 4 does not link to record 3");
    }

    @Test
    void catchesADeletedRecord() {
        List<String> lines = chain.lines();
        lines.remove(6);

        assertFailsAt(lines, 7, "record 7 is missing: record 8 follows record 6 (a record was deleted)");
    }

    @Test
    void catchesTheDeletionOfTheFirstRecord() {
        List<String> lines = chain.lines();
        lines.remove(0);

        assertFailsAt(lines, 1, "record 1 is missing: the chain starts at record 2");
    }

    @Test
    void catchesAReorderedPair() {
        List<String> lines = chain.lines();
        Collections.swap(lines, 6, 7);

        assertFailsAt(lines, 7, "record 8 comes before record 7: records were reordered");
    }

    @Test
    void catchesAnInsertedRecordEvenWhenItLinksAndHashesCorrectly() {
        AuditRecord third = chain.records().get(2);
        AuditRecord forged = AuditRecord.create(
                4,
                third.recordedAt(),
                null,
                "decision",
                "guardian",
                Map.of("verdict", "ALLOW", "amount", "1000000"),
                third.hash());
        List<String> lines = chain.lines();
        lines.add(3, forged.toLine());

        assertFailsAt(
                lines, 4, "record 4 appears again after record 4: a record was inserted or records were reordered");
    }

    @Test
    void catchesAnInsertedRecordWhenEverythingAfterItWasRenumbered() {
        List<AuditRecord> records = new ArrayList<>(chain.records());
        AuditRecord third = records.get(2);
        records.add(
                3,
                AuditRecord.create(
                        4, third.recordedAt(), null, "decision", "guardian", Map.of("verdict", "ALLOW"), third.hash()));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            AuditRecord r = records.get(i);
            lines.add(new AuditRecord(
                            i + 1,
                            r.recordedAt(),
                            r.requestId(),
                            r.event(),
                            r.actor(),
                            r.payload(),
                            r.prevHash(),
                            r.hash())
                    .toLine());
        }

        assertFailsAt(lines, 5, "record 5 does not link to record 4");
    }

    @Test
    void catchesAForgedCheckpointOverARewrittenChain() {
        // The attacker rewrites record 2 and rehashes everything after it, which is possible without the
        // audit key; the checkpoint then needs a new signature, which is not.
        TestChain forger = new TestChain();
        List<AuditRecord> rewritten = new ArrayList<>();
        String previous = AuditRecord.GENESIS_HASH;
        for (AuditRecord r : chain.records()) {
            Map<String, Object> payload = r.payload();
            if (r.seq() == 2) {
                payload = new LinkedHashMap<>(payload);
                payload.put("amount", "999000");
            }
            if (r.event().equals(Checkpoint.EVENT)) {
                AuditRecord head = rewritten.get(rewritten.size() - 1);
                Checkpoint original = Checkpoint.fromPayload(r.payload());
                byte[] message = Checkpoint.signedMessage(head.seq(), head.hash(), original.keyId());
                payload = new Checkpoint(head.seq(), head.hash(), original.keyId(), forger.sign(message)).toPayload();
            }
            AuditRecord copy =
                    AuditRecord.create(r.seq(), r.recordedAt(), r.requestId(), r.event(), r.actor(), payload, previous);
            rewritten.add(copy);
            previous = copy.hash();
        }

        assertFailsAt(
                rewritten.stream().map(AuditRecord::toLine).toList(),
                5,
                "checkpoint 5 has a signature that does not verify with "
                        + chain.publicKey().keyId() + ": the checkpoint is forged");
    }

    @Test
    void catchesACheckpointSignedByAKeyThatIsNotTrusted() {
        TestChain other = TestChain.typical();

        VerificationReport report =
                ChainVerifier.forWholeChain(List.of(chain.publicKey())).finishAfter(other.lines());

        assertThat(report.problem()).hasValueSatisfying(p -> {
            assertThat(p.seq()).isEqualTo(5);
            assertThat(p.what())
                    .contains("signed by " + other.publicKey().keyId() + ", which is not a trusted audit key");
        });
    }

    @Test
    void catchesACheckpointThatSignsAnotherHead() {
        AuditRecord fourth = chain.records().get(3);
        TestChain c = new TestChain();
        c.append("decision", Map.of("n", 1)).append("decision", Map.of("n", 2));
        AuditRecord second = c.records().get(1);
        byte[] message = Checkpoint.signedMessage(
                1, c.records().get(0).hash(), c.publicKey().keyId());
        Checkpoint stale =
                new Checkpoint(1, c.records().get(0).hash(), c.publicKey().keyId(), c.sign(message));
        c.records()
                .add(AuditRecord.create(
                        3, fourth.recordedAt(), null, Checkpoint.EVENT, "guardian", stale.toPayload(), second.hash()));

        VerificationReport report =
                ChainVerifier.forWholeChain(List.of(c.publicKey())).finishAfter(c.lines());

        assertThat(report.problem())
                .hasValueSatisfying(p -> assertThat(p.what()).contains("does not sign the record before it"));
    }

    @Test
    void catchesALineThatIsNotARecord() {
        List<String> lines = chain.lines();
        lines.set(5, "{\"seq\":6}");

        assertFailsAt(lines, 6, "is not a well-formed record");
    }

    @Test
    void aSliceVerifiesFromWhereItStartsButNotAsAWholeChain() {
        List<String> tail = chain.lines().subList(5, 10);

        assertThat(ChainVerifier.forSlice(List.of(chain.publicKey()))
                        .finishAfter(tail)
                        .ok())
                .isTrue();
        assertFailsAt(tail, 1, "record 1 is missing: the chain starts at record 6");
    }

    private VerificationReport verify(List<String> lines) {
        return ChainVerifier.forWholeChain(List.of(chain.publicKey())).finishAfter(lines);
    }

    private void assertFailsAt(List<String> lines, long seq, String what) {
        VerificationReport report = verify(lines);
        assertThat(report.ok()).as(report.summary()).isFalse();
        assertThat(report.problem().orElseThrow().seq()).as(report.summary()).isEqualTo(seq);
        assertThat(report.problem().orElseThrow().what()).contains(what);
        assertThat(report.summary()).startsWith("FAILED at seq " + seq + ": ");
    }

    private static AuditRecord withPayload(AuditRecord record, String name, Object value, boolean rehash) {
        Map<String, Object> payload = new LinkedHashMap<>(record.payload());
        payload.put(name, value);
        AuditRecord changed = new AuditRecord(
                record.seq(),
                record.recordedAt(),
                record.requestId(),
                record.event(),
                record.actor(),
                payload,
                record.prevHash(),
                record.hash());
        return rehash ? changed.withHash(changed.computedHash()) : changed;
    }
}
