package dev.guardian.verifier;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The first line of a JSON Lines export: the format, when it was made, which records it holds, and the
 * audit public keys Guardian published. The keys are there for convenience only: a verifier trusts the
 * key the auditor obtained separately, because whoever could rewrite the export could rewrite this line.
 *
 * @param exportedAt UTC time of the export
 * @param fromSeq    first record in the export (1 for a whole chain)
 * @param toSeq      last record in the export (0 when the log is empty)
 * @param publicKeys the audit keys Guardian signs checkpoints with
 */
public record ExportHeader(String exportedAt, long fromSeq, long toSeq, List<AuditPublicKey> publicKeys) {
    public static final String FORMAT = "guardian-audit-export/v1";

    public ExportHeader {
        Objects.requireNonNull(exportedAt, "exportedAt");
        publicKeys = List.copyOf(publicKeys);
    }

    public String toLine() {
        List<Object> keys = new ArrayList<>();
        for (AuditPublicKey key : publicKeys) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("algorithm", AuditPublicKey.ALGORITHM);
            entry.put("keyId", key.keyId());
            entry.put("publicKeyPem", key.toPem());
            keys.add(entry);
        }
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("format", FORMAT);
        header.put("exportedAt", exportedAt);
        header.put("fromSeq", fromSeq);
        header.put("toSeq", toSeq);
        header.put("publicKeys", keys);
        return Jcs.canonicalize(header);
    }

    /** True for a line that is a header rather than a record: an object with a {@code format} member. */
    public static boolean isHeader(String line) {
        return line.startsWith("{") && line.contains("\"format\":");
    }

    /**
     * @throws IllegalArgumentException if the line is not a header of this format
     */
    public static ExportHeader fromLine(String line) {
        Map<String, Object> json = Json.parseObject(line);
        if (!FORMAT.equals(json.get("format"))) {
            throw new IllegalArgumentException("not a " + FORMAT + " header (format is " + json.get("format") + ")");
        }
        List<AuditPublicKey> keys = new ArrayList<>();
        Object listed = json.get("publicKeys");
        if (listed instanceof List) {
            for (Object entry : (List<?>) listed) {
                if (entry instanceof Map && ((Map<?, ?>) entry).get("publicKeyPem") instanceof String) {
                    keys.add(AuditPublicKey.fromPem((String) ((Map<?, ?>) entry).get("publicKeyPem")));
                }
            }
        }
        return new ExportHeader(
                String.valueOf(json.get("exportedAt")), number(json.get("fromSeq")), number(json.get("toSeq")), keys);
    }

    private static long number(Object value) {
        return value instanceof Number ? ((Number) value).longValue() : 0;
    }
}
