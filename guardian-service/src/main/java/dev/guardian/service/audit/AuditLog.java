package dev.guardian.service.audit;

import dev.guardian.service.locks.AdvisoryLocks;
import dev.guardian.verifier.AuditRecord;
import dev.guardian.verifier.ChainVerifier;
import dev.guardian.verifier.Checkpoint;
import dev.guardian.verifier.Jcs;
import dev.guardian.verifier.Json;
import dev.guardian.verifier.VerificationReport;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Appends records to the hash-chained audit log and checks it. A record is the RFC 8785 canonical JSON
 * of its seq, time, request, event, actor, payload and the previous record's hash; its own hash is the
 * SHA-256 of exactly that text, which is stored with it (docs/audit.md). Every {@code checkpointEvery}
 * records Guardian appends a checkpoint: the head of the chain signed with the audit key.
 *
 * <p>Appends run inside the caller's transaction, so a record commits or rolls back with the state
 * change it describes: a decision is durable before anything it allows is signed. A transaction-scoped
 * advisory lock, taken before the head is read, makes the sequence one gap-free line across threads
 * and instances; a unique {@code prev_hash} is the backstop against a fork.
 */
public class AuditLog {
    /** Reads a record from a row's {@code canonical} and {@code hash} columns: the stored text, exactly as hashed. */
    static final RowMapper<AuditRecord> RECORD =
            (rs, n) -> AuditRecord.fromCanonicalBody(rs.getString("canonical"), rs.getString("hash"));

    /** How {@code recordedAt} is written: UTC, always six fractional digits. */
    public static final DateTimeFormatter RECORDED_AT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private static final int FETCH_SIZE = 500;
    /** The field of a {@link #recordIfChanged} record that lists what changed. */
    public static final String CHANGED = "changed";

    private final JdbcClient jdbc;
    private final JdbcTemplate streaming;
    private final TransactionTemplate readOnly;
    private final Clock clock;
    private final AuditKeys keys;
    private final int checkpointEvery;

    /** @param checkpointEvery append a checkpoint once this many records follow the last one */
    public AuditLog(
            DataSource dataSource, TransactionTemplate transactions, Clock clock, AuditKeys keys, int checkpointEvery) {
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("checkpointEvery must be at least 1");
        }
        this.jdbc = JdbcClient.create(dataSource);
        this.streaming = new JdbcTemplate(dataSource);
        this.streaming.setFetchSize(FETCH_SIZE);
        this.readOnly = new TransactionTemplate(Objects.requireNonNull(transactions.getTransactionManager()));
        this.readOnly.setReadOnly(true);
        this.clock = clock;
        this.keys = keys;
        this.checkpointEvery = checkpointEvery;
    }

    /**
     * Appends one record of an event that belongs to no agent request (a configuration change, a list
     * loaded), in the current transaction, and returns its sequence number.
     *
     * @throws IllegalArgumentException for an event of a request, which needs its request's id
     */
    public long append(AuditEvent event, Actor actor) {
        if (event instanceof AuditEvent.OfRequest) {
            throw new IllegalArgumentException(
                    AuditPayloads.nameOf(event) + " belongs to a request: record it with its id");
        }
        return appendAll(null, List.of(new Entry(event, actor))).getFirst();
    }

    /** Appends one record of a request's event, in the current transaction, and returns its sequence number. */
    public long append(UUID requestId, AuditEvent.OfRequest event, Actor actor) {
        Objects.requireNonNull(requestId, "requestId");
        return appendAll(requestId, List.of(new Entry(event, actor))).getFirst();
    }

    /** One record to append: what happened, and who caused it. */
    public record Entry(AuditEvent event, Actor actor) {
        public Entry {
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(actor, "actor");
        }
    }

    /**
     * Appends several records of one request, in order, in the current transaction, taking the chain's
     * lock and reading its head once for all of them: a decision's four records cost one lock and one
     * head read, not four. Returns their sequence numbers.
     *
     * @param requestId the request they belong to; null only for events of no request
     * @throws IllegalArgumentException if a payload holds something a record cannot (fractions, numbers
     *                                  beyond 2^53); nothing is written then
     */
    public List<Long> appendAll(UUID requestId, List<Entry> entries) {
        requireTransaction();
        for (Entry entry : entries) {
            if (requestId == null && entry.event() instanceof AuditEvent.OfRequest) {
                throw new IllegalArgumentException(
                        AuditPayloads.nameOf(entry.event()) + " belongs to a request: record it with its id");
            }
        }
        List<Map<String, Object>> payloads =
                entries.stream().map(e -> AuditPayloads.payloadOf(e.event())).toList();
        Head head = lockAndReadHead();
        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            AuditRecord record =
                    write(head, requestId, AuditPayloads.nameOf(entry.event()), entry.actor(), payloads.get(i));
            seqs.add(record.seq());
            head = new Head(record.seq(), record.hash(), record.event(), record.canonicalBody(), head.lastCheckpoint());
            if (record.seq() - head.lastCheckpoint() >= checkpointEvery) {
                AuditRecord checkpoint = writeCheckpoint(record);
                head = new Head(
                        checkpoint.seq(),
                        checkpoint.hash(),
                        checkpoint.event(),
                        checkpoint.canonicalBody(),
                        checkpoint.seq());
            }
        }
        return seqs;
    }

    /**
     * Appends a checkpoint over the current head unless the head already is one, in the current
     * transaction. Returns the checkpoint's seq, or the existing one's; empty when the log is empty.
     */
    public Optional<Long> checkpoint() {
        requireTransaction();
        Head head = lockAndReadHead();
        if (head.seq() == 0) {
            return Optional.empty();
        }
        if (Checkpoint.EVENT.equals(head.event())) {
            return Optional.of(head.seq());
        }
        AuditRecord previous = AuditRecord.fromCanonicalBody(head.canonical(), head.hash());
        return Optional.of(writeCheckpoint(previous).seq());
    }

    /**
     * Records {@code event}, the state of something configured (an audit key, the sanctions overrides),
     * if it differs from what the last record of this event about the same subject says; the record then
     * also lists, in {@value #CHANGED}, the fields that changed ({@code created} for the first record).
     * Returns whether a record was written. Runs in the current transaction under the chain's lock, so
     * instances starting together record a change once.
     *
     * @param subject the event's fields that identify what is configured, e.g. {@code keyId}
     */
    public boolean recordIfChanged(AuditEvent event, Actor actor, String... subject) {
        requireTransaction();
        Map<String, Object> payload = AuditPayloads.payloadOf(event);
        Map<String, Object> identifying = new LinkedHashMap<>();
        for (String field : subject) {
            if (!payload.containsKey(field)) {
                throw new IllegalArgumentException(AuditPayloads.nameOf(event) + " has no field " + field);
            }
            identifying.put(field, payload.get(field));
        }
        String name = AuditPayloads.nameOf(event);
        Head head = lockAndReadHead();
        Optional<Map<String, Object>> previous = jdbc.sql("""
                        select canonical, encode(hash, 'hex') as hash from audit_log
                        where event = :event and payload @> cast(:subject as jsonb) order by seq desc limit 1
                        """)
                .param("event", name)
                .param("subject", Jcs.canonicalize(identifying))
                .query((rs, n) -> RECORD.mapRow(rs, n).payload())
                .optional();
        List<String> changed = new ArrayList<>();
        for (String field : payload.keySet()) {
            Object before = previous.map(p -> p.get(field)).orElse(null);
            if (!identifying.containsKey(field)
                    && (before == null || !Jcs.canonicalize(before).equals(Jcs.canonicalize(payload.get(field))))) {
                changed.add(field);
            }
        }
        if (previous.isPresent() && changed.isEmpty()) {
            return false;
        }
        Map<String, Object> recorded = new LinkedHashMap<>(payload);
        recorded.put(CHANGED, previous.isEmpty() ? List.of("created") : changed);
        AuditRecord record = write(head, null, name, actor, recorded);
        if (record.seq() - head.lastCheckpoint() >= checkpointEvery) {
            writeCheckpoint(record);
        }
        return true;
    }

    /**
     * Verifies the live table with the same verifier an auditor runs on an export: every hash, every
     * link, every checkpoint signature, and that the table's columns agree with each record's canonical
     * form. Streams the table; memory does not grow with it.
     */
    public VerificationReport verify() {
        ChainVerifier verifier = ChainVerifier.forWholeChain(keys.publicKeys());
        readOnly.executeWithoutResult(tx -> streaming.query("""
                select seq, recorded_at, request_id, event, actor, payload::text as payload, encode(prev_hash, 'hex') as prev_hash,
                       encode(hash, 'hex') as hash, canonical
                from audit_log order by seq
                """, rs -> {
            if (verifier.failed()) {
                return;
            }
            long seq = rs.getLong("seq");
            AuditRecord record;
            try {
                record = RECORD.mapRow(rs, 0);
            } catch (IllegalArgumentException e) {
                verifier.fail(seq, "record " + seq + " is not a well-formed record: " + e.getMessage());
                return;
            }
            if (!verifier.accept(record)) {
                return;
            }
            UUID requestId = rs.getObject("request_id", UUID.class);
            Map<String, Object> columns = new LinkedHashMap<>();
            columns.put("seq", seq == record.seq());
            columns.put(
                    "recorded_at",
                    RECORDED_AT
                            .format(rs.getObject("recorded_at", OffsetDateTime.class))
                            .equals(record.recordedAt()));
            columns.put(
                    "request_id", Objects.equals(requestId == null ? null : requestId.toString(), record.requestId()));
            columns.put("event", rs.getString("event").equals(record.event()));
            columns.put("actor", rs.getString("actor").equals(record.actor()));
            columns.put("prev_hash", rs.getString("prev_hash").equals(record.prevHash()));
            columns.put(
                    "payload",
                    Jcs.canonicalize(Json.parse(rs.getString("payload")))
                            .equals(Jcs.canonicalize(jsonbSafe(record.payload()))));
            columns.forEach((column, agrees) -> {
                if (!Boolean.TRUE.equals(agrees)) {
                    verifier.fail(
                            seq,
                            "the " + column + " column of record " + seq
                                    + " disagrees with its canonical record: the table was edited");
                }
            });
        }));
        return verifier.finish();
    }

    /** The newest record, if any. */
    public Optional<AuditRecord> head() {
        return jdbc.sql("select canonical, encode(hash, 'hex') as hash from audit_log order by seq desc limit 1")
                .query(RECORD)
                .optional();
    }

    public AuditKeys keys() {
        return keys;
    }

    private record Head(long seq, String hash, String event, String canonical, long lastCheckpoint) {}

    private Head lockAndReadHead() {
        AdvisoryLocks.exclusive(jdbc, AdvisoryLocks.Lock.AUDIT_CHAIN);
        return jdbc.sql("""
                        select seq, encode(hash, 'hex') as hash, event, canonical,
                               (select coalesce(max(c.seq), 0) from audit_log c where c.event = 'checkpoint') as last_checkpoint
                        from audit_log order by seq desc limit 1
                        """)
                .query((rs, n) -> new Head(
                        rs.getLong("seq"),
                        rs.getString("hash"),
                        rs.getString("event"),
                        rs.getString("canonical"),
                        rs.getLong("last_checkpoint")))
                .optional()
                .orElse(new Head(0, AuditRecord.GENESIS_HASH, "", "", 0));
    }

    private AuditRecord writeCheckpoint(AuditRecord head) {
        Checkpoint checkpoint = keys.sign(head.seq(), head.hash());
        Head after = new Head(head.seq(), head.hash(), head.event(), head.canonicalBody(), head.seq());
        return write(after, null, Checkpoint.EVENT, Actor.GUARDIAN, checkpoint.toPayload());
    }

    private AuditRecord write(Head head, UUID requestId, String event, Actor actor, Map<String, Object> payload) {
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        AuditRecord record = AuditRecord.create(
                head.seq() + 1,
                RECORDED_AT.format(at),
                requestId == null ? null : requestId.toString(),
                event,
                actor.value(),
                payload,
                head.hash());
        HexFormat hex = HexFormat.of();
        jdbc.sql("""
                insert into audit_log (seq, recorded_at, request_id, event, actor, payload, prev_hash, hash, canonical)
                values (:seq, :at, :request, :event, :actor, cast(:payload as jsonb), :prev, :hash, :canonical)
                """)
                .param("seq", record.seq())
                .param("at", OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
                .param("request", requestId)
                .param("event", event)
                .param("actor", actor.value())
                .param("payload", Jcs.canonicalize(jsonbSafe(payload)))
                .param("prev", hex.parseHex(record.prevHash()))
                .param("hash", hex.parseHex(record.hash()))
                .param("canonical", record.canonicalBody())
                .update();
        return record;
    }

    /**
     * The payload as the {@code jsonb} query column can hold it: PostgreSQL's jsonb has no U+0000, so
     * that one character is spelled out there. The canonical record keeps the true text.
     */
    static Object jsonbSafe(Object value) {
        if (value instanceof String s) {
            return s.replace("\u0000", "\\u0000");
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> safe = new LinkedHashMap<>();
            map.forEach((k, v) -> safe.put(((String) k).replace("\u0000", "\\u0000"), jsonbSafe(v)));
            return safe;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(AuditLog::jsonbSafe).toList();
        }
        return value;
    }

    private static void requireTransaction() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException(
                    "audit records are appended inside the transaction of the change they record");
        }
    }
}
