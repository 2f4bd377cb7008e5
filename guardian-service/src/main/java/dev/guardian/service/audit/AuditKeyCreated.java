package dev.guardian.service.audit;

/** The key that signs the log's checkpoints, as first used by a deployment: its id and public half only. */
@AuditEvent.Name("audit-key-created")
record AuditKeyCreated(String keyId, String algorithm, String publicKeyPem) implements AuditEvent {
    /** The field that identifies the key when its record is compared with the last one. */
    static final String SUBJECT = "keyId";
}
