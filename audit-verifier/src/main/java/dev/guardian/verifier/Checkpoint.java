package dev.guardian.verifier;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A checkpoint: Guardian's Ed25519 signature over the head of the chain, itself appended as the next
 * record (event {@code checkpoint}). It signs the UTF-8 bytes of the canonical JSON
 * <pre>{"headHash":"&lt;hash of record headSeq&gt;","headSeq":&lt;n&gt;,"keyId":"ed25519:…","purpose":"guardian-audit-checkpoint/v1"}</pre>
 * so a chain that was rewritten after the checkpoint no longer matches a signature that only Guardian's
 * audit key can make. Its payload holds those fields, {@code algorithm} and the base64 {@code signature}.
 */
public record Checkpoint(long headSeq, String headHash, String keyId, byte[] signature) {
    public static final String EVENT = "checkpoint";
    public static final String PURPOSE = "guardian-audit-checkpoint/v1";

    public Checkpoint {
        if (headSeq < 1) {
            throw new IllegalArgumentException("a checkpoint signs a record: headSeq >= 1");
        }
        Objects.requireNonNull(headHash, "headHash");
        Objects.requireNonNull(keyId, "keyId");
        Objects.requireNonNull(signature, "signature");
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** The exact bytes the audit key signs for the head {@code headSeq} with hash {@code headHash}. */
    public static byte[] signedMessage(long headSeq, String headHash, String keyId) {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("headHash", headHash);
        message.put("headSeq", headSeq);
        message.put("keyId", keyId);
        message.put("purpose", PURPOSE);
        return Jcs.canonicalBytes(message);
    }

    public byte[] signedMessage() {
        return signedMessage(headSeq, headHash, keyId);
    }

    public Map<String, Object> toPayload() {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("algorithm", AuditPublicKey.ALGORITHM);
        payload.put("headHash", headHash);
        payload.put("headSeq", headSeq);
        payload.put("keyId", keyId);
        payload.put("signature", Base64.getEncoder().encodeToString(signature));
        return payload;
    }

    /**
     * Reads a checkpoint record's payload.
     *
     * @throws IllegalArgumentException if a member is missing or of the wrong type
     */
    public static Checkpoint fromPayload(Map<String, Object> payload) {
        Object algorithm = payload.get("algorithm");
        if (!AuditPublicKey.ALGORITHM.equals(algorithm)) {
            throw new IllegalArgumentException("the checkpoint's algorithm is " + algorithm + ", not Ed25519");
        }
        Object headSeq = payload.get("headSeq");
        if (!(headSeq instanceof Number)
                || ((Number) headSeq).doubleValue() != Math.rint(((Number) headSeq).doubleValue())) {
            throw new IllegalArgumentException("the checkpoint's headSeq is not an integer");
        }
        Object headHash = payload.get("headHash");
        Object keyId = payload.get("keyId");
        Object signature = payload.get("signature");
        if (!(headHash instanceof String) || !(keyId instanceof String) || !(signature instanceof String)) {
            throw new IllegalArgumentException("the checkpoint's headHash, keyId and signature are strings");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode((String) signature);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the checkpoint's signature is not base64");
        }
        return new Checkpoint(((Number) headSeq).longValue(), (String) headHash, (String) keyId, bytes);
    }
}
