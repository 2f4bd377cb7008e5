package dev.guardian.verifier;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One record of Guardian's audit log. Its canonical body is the RFC 8785 form of
 * <pre>{"actor", "event", "payload", "prevHash", "recordedAt", "requestId", "seq"}</pre>
 * and {@code hash} is the lowercase hex SHA-256 of that body's UTF-8 bytes. Each record's
 * {@code prevHash} is the previous record's {@code hash} (64 zeros for record 1), so changing, removing,
 * inserting or reordering records breaks the chain at that point. An exported line is the canonical
 * form of the body with {@code hash} added.
 *
 * <p>Numbers in a payload must be integers within ±(2^53 − 1), the range in which every JSON reader
 * agrees on the value; amounts and other big integers are strings. Records that break this rule are
 * refused when they are made.
 *
 * @param seq        position in the chain, from 1, without gaps
 * @param recordedAt UTC time of the append, {@code yyyy-MM-ddTHH:mm:ss.SSSSSSZ}
 * @param requestId  the agent request the record belongs to, or {@code null}
 * @param event      what happened, e.g. {@code decision}, {@code submitted}, {@code checkpoint}
 * @param actor      who caused it: {@code agent:<id>}, {@code person:<id>}, {@code guardian}, {@code configuration}
 * @param payload    the details, a JSON object
 * @param prevHash   the previous record's hash
 * @param hash       SHA-256 of this record's canonical body, as stored or exported (it may be wrong: that
 *                   is what verification finds out)
 */
public record AuditRecord(
        long seq,
        String recordedAt,
        String requestId,
        String event,
        String actor,
        Map<String, Object> payload,
        String prevHash,
        String hash) {

    /** The {@code prevHash} of record 1. */
    public static final String GENESIS_HASH = "0".repeat(64);
    /** The largest integer every JSON reader holds exactly (2^53 − 1). */
    public static final long MAX_SAFE_INTEGER = 9007199254740991L;

    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern EVENT = Pattern.compile("[a-z][a-z0-9._-]{0,62}");
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}Z");
    private static final Set<String> FIELDS =
            Set.of("actor", "event", "hash", "payload", "prevHash", "recordedAt", "requestId", "seq");

    public AuditRecord {
        if (seq < 1 || seq > MAX_SAFE_INTEGER) {
            throw new IllegalArgumentException("seq must be from 1 to 2^53 - 1; got " + seq);
        }
        Objects.requireNonNull(recordedAt, "recordedAt");
        if (!TIME.matcher(recordedAt).matches()) {
            throw new IllegalArgumentException(
                    "recordedAt must be UTC with microseconds (2026-01-31T12:00:00.000000Z); got " + recordedAt);
        }
        if (event == null || !EVENT.matcher(event).matches()) {
            throw new IllegalArgumentException(
                    "event must be 1-63 lower case letters, digits, '.', '_' and '-', starting with a letter; got "
                            + event);
        }
        if (actor == null || actor.isBlank()) {
            throw new IllegalArgumentException("a record names its actor");
        }
        Objects.requireNonNull(payload, "payload");
        payload = Collections.unmodifiableMap(new LinkedHashMap<>(payload));
        requireHash("prevHash", prevHash);
        requireHash("hash", hash);
    }

    /**
     * Makes a new record and computes its hash. The payload is checked first: only JSON-shaped values
     * (maps with string keys, lists, strings, booleans, null, safe integers).
     *
     * @throws IllegalArgumentException naming the payload path of a value the record cannot hold
     */
    public static AuditRecord create(
            long seq,
            String recordedAt,
            String requestId,
            String event,
            String actor,
            Map<String, ?> payload,
            String prevHash) {
        Objects.requireNonNull(payload, "payload");
        checkPayload(payload, "payload");
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) payload;
        AuditRecord unhashed = new AuditRecord(seq, recordedAt, requestId, event, actor, body, prevHash, GENESIS_HASH);
        return unhashed.withHash(unhashed.computedHash());
    }

    /**
     * Reads an exported line: the canonical JSON of the record with its hash. Does not check the hash.
     *
     * @throws IllegalArgumentException if the line is not a well-formed record
     */
    public static AuditRecord fromLine(String line) {
        Map<String, Object> json = Json.parseObject(line);
        Set<String> names = new TreeSet<>(json.keySet());
        if (!names.equals(new TreeSet<>(FIELDS))) {
            throw new IllegalArgumentException(
                    "a record has exactly the members " + new TreeSet<>(FIELDS) + "; this one has " + names);
        }
        return fromMembers(json, string(json, "hash"));
    }

    /** Reads a canonical body (the record without its hash), as Guardian stores it, with the hash stored beside it. */
    public static AuditRecord fromCanonicalBody(String body, String hash) {
        Map<String, Object> json = Json.parseObject(body);
        Set<String> expected = new TreeSet<>(FIELDS);
        expected.remove("hash");
        if (!new TreeSet<>(json.keySet()).equals(expected)) {
            throw new IllegalArgumentException("a record body has exactly the members " + expected + "; this one has "
                    + new TreeSet<>(json.keySet()));
        }
        return fromMembers(json, hash);
    }

    private static AuditRecord fromMembers(Map<String, Object> json, String hash) {
        Object seq = json.get("seq");
        if (!(seq instanceof Double) || (Double) seq != Math.rint((Double) seq)) {
            throw new IllegalArgumentException("seq is not an integer");
        }
        Object requestId = json.get("requestId");
        if (requestId != null && !(requestId instanceof String)) {
            throw new IllegalArgumentException("requestId is neither a string nor null");
        }
        Object payload = json.get("payload");
        if (!(payload instanceof Map)) {
            throw new IllegalArgumentException("payload is not an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> members = (Map<String, Object>) payload;
        return new AuditRecord(
                ((Double) seq).longValue(),
                string(json, "recordedAt"),
                (String) requestId,
                string(json, "event"),
                string(json, "actor"),
                members,
                string(json, "prevHash"),
                hash);
    }

    /** The members that are hashed: everything but {@code hash}. */
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("actor", actor);
        body.put("event", event);
        body.put("payload", payload);
        body.put("prevHash", prevHash);
        body.put("recordedAt", recordedAt);
        body.put("requestId", requestId);
        body.put("seq", seq);
        return body;
    }

    /** The canonical body: the exact text whose SHA-256 is the record's hash. */
    public String canonicalBody() {
        return Jcs.canonicalize(body());
    }

    /** The line of an export: the canonical form of the body plus {@code hash}. */
    public String toLine() {
        Map<String, Object> line = body();
        line.put("hash", hash);
        return Jcs.canonicalize(line);
    }

    /** SHA-256 of the canonical body, recomputed now. */
    public String computedHash() {
        return sha256Hex(canonicalBody().getBytes(StandardCharsets.UTF_8));
    }

    public boolean hashIsCorrect() {
        return computedHash().equals(hash);
    }

    public AuditRecord withHash(String newHash) {
        return new AuditRecord(seq, recordedAt, requestId, event, actor, payload, prevHash, newHash);
    }

    /** Lowercase hex SHA-256, as {@code sha256sum} prints it. */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static void checkPayload(Object value, String path) {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return;
        }
        if (value instanceof Map) {
            for (Map.Entry<?, ?> member : ((Map<?, ?>) value).entrySet()) {
                if (!(member.getKey() instanceof String)) {
                    throw new IllegalArgumentException(path + ": member names are strings; got " + member.getKey());
                }
                checkPayload(member.getValue(), path + "." + member.getKey());
            }
            return;
        }
        if (value instanceof List) {
            List<?> list = (List<?>) value;
            for (int i = 0; i < list.size(); i++) {
                checkPayload(list.get(i), path + "[" + i + "]");
            }
            return;
        }
        if (value instanceof Number) {
            BigDecimal number = decimal((Number) value, path);
            if (number.signum() != 0 && number.stripTrailingZeros().scale() > 0) {
                throw new IllegalArgumentException(path + ": " + number.toPlainString()
                        + " is not an integer; record fractions as strings (amounts in smallest units)");
            }
            if (number.abs().compareTo(BigDecimal.valueOf(MAX_SAFE_INTEGER)) > 0) {
                throw new IllegalArgumentException(path + ": " + number.toPlainString()
                        + " is beyond ±(2^53 - 1), where JSON readers disagree; record it as a string");
            }
            return;
        }
        throw new IllegalArgumentException(path + ": a " + value.getClass().getName()
                + " has no JSON form here; convert it to maps, lists, strings, booleans or integers first");
    }

    private static BigDecimal decimal(Number number, String path) {
        if (number instanceof BigDecimal) {
            return (BigDecimal) number;
        }
        if (number instanceof BigInteger) {
            return new BigDecimal((BigInteger) number);
        }
        if (number instanceof Double || number instanceof Float) {
            double d = number.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException(path + ": " + d + " has no JSON form");
            }
            return new BigDecimal(d);
        }
        return BigDecimal.valueOf(number.longValue());
    }

    private static String string(Map<String, Object> json, String name) {
        Object value = json.get(name);
        if (!(value instanceof String)) {
            throw new IllegalArgumentException(name + " is not a string");
        }
        return (String) value;
    }

    private static void requireHash(String name, String value) {
        if (value == null || !HASH.matcher(value).matches()) {
            throw new IllegalArgumentException(name + " must be 64 lowercase hex digits; got " + value);
        }
    }
}
