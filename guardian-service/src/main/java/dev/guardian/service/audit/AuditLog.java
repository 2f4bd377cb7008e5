package dev.guardian.service.audit;

import dev.guardian.policy.Hex;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Appends records to the hash-chained audit log. Each record's hash is SHA-256 over the previous hash
 * followed by the record's canonical JSON (keys sorted, no insignificant white space, amounts as
 * strings), so changing, removing or reordering any record breaks every hash after it.
 *
 * <p>Appends must run inside the caller's transaction: the record commits or rolls back with the
 * state change it describes. A transaction-scoped advisory lock keeps the sequence gap-free and the
 * chain linear across instances.
 */
public class AuditLog {
    static final byte[] GENESIS = new byte[32];
    private static final long CHAIN_LOCK = 0x6775617264696e61L; // "guardina": one chain per deployment

    private final JdbcClient jdbc;
    private final Clock clock;
    private final JsonMapper canonical = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .build();

    public AuditLog(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Appends one record in the current transaction and returns its sequence number. */
    public long append(UUID requestId, String event, Map<String, ?> payload) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("audit records are appended inside the transaction of the change they record");
        }
        jdbc.sql("select pg_advisory_xact_lock(:key)").param("key", CHAIN_LOCK).query().singleRow();
        record Head(long seq, byte[] hash) {}
        Head head = jdbc.sql("select seq, hash from audit_log order by seq desc limit 1")
                .query((rs, n) -> new Head(rs.getLong("seq"), rs.getBytes("hash")))
                .optional()
                .orElse(new Head(0, GENESIS));
        long seq = head.seq() + 1;
        Instant at = clock.instant().truncatedTo(ChronoUnit.MICROS);
        Map<String, Object> record = new TreeMap<>();
        record.put("seq", seq);
        record.put("recordedAt", at.toString());
        record.put("requestId", requestId == null ? null : requestId.toString());
        record.put("event", event);
        record.put("payload", payload);
        record.put("prevHash", Hex.encode(head.hash()));
        byte[] canonicalJson = canonical.writeValueAsBytes(record);
        byte[] hash = sha256(head.hash(), canonicalJson);
        jdbc.sql("""
                insert into audit_log (seq, recorded_at, request_id, event, payload, prev_hash, hash)
                values (:seq, :at, :request, :event, cast(:payload as jsonb), :prev, :hash)
                """)
                .param("seq", seq)
                .param("at", OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
                .param("request", requestId)
                .param("event", event)
                .param("payload", canonical.writeValueAsString(payload))
                .param("prev", head.hash())
                .param("hash", hash)
                .update();
        return seq;
    }

    /**
     * Recomputes every hash from the stored fields and checks each link. Returns the first problem
     * (by sequence number), or empty when the whole chain holds.
     */
    public Optional<String> verify() {
        record Row(long seq, Instant at, UUID request, String event, String payload, byte[] prev, byte[] hash) {}
        List<Row> rows = jdbc.sql("select seq, recorded_at, request_id, event, payload::text as payload, prev_hash, hash"
                        + " from audit_log order by seq")
                .query((rs, n) -> new Row(rs.getLong("seq"), rs.getObject("recorded_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("request_id", UUID.class), rs.getString("event"), rs.getString("payload"),
                        rs.getBytes("prev_hash"), rs.getBytes("hash")))
                .list();
        byte[] previous = GENESIS;
        long expectedSeq = 1;
        for (Row row : rows) {
            if (row.seq() != expectedSeq) {
                return Optional.of("record " + expectedSeq + " is missing (found " + row.seq() + ")");
            }
            if (!java.util.Arrays.equals(row.prev(), previous)) {
                return Optional.of("record " + row.seq() + " does not link to the hash of record " + (row.seq() - 1));
            }
            Map<String, Object> record = new TreeMap<>();
            record.put("seq", row.seq());
            record.put("recordedAt", row.at().toString());
            record.put("requestId", row.request() == null ? null : row.request().toString());
            record.put("event", row.event());
            record.put("payload", canonical.readValue(row.payload(), Object.class));
            record.put("prevHash", Hex.encode(row.prev()));
            byte[] recomputed = sha256(row.prev(), canonical.writeValueAsBytes(record));
            if (!java.util.Arrays.equals(recomputed, row.hash())) {
                return Optional.of("record " + row.seq() + " does not match its hash: its content was changed");
            }
            previous = row.hash();
            expectedSeq++;
        }
        return Optional.empty();
    }

    static byte[] sha256(byte[] previous, byte[] canonicalJson) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(previous);
            digest.update(canonicalJson);
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
