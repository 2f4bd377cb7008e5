package dev.guardian.service.audit;

import dev.guardian.policy.Hex;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronizationManager;
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

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
