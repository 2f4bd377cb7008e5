package dev.guardian.service.audit;

import java.util.Optional;

/**
 * Re-seals the deployment's stored keys from a previous key-encryption key to the current one, at start,
 * before the audit key is loaded: the audit configuration calls it first thing in the transaction that
 * then loads the audit key and appends the event it returns, so the re-sealed keys and the record that
 * says so commit together or not at all. Implemented where the key-encryption keys are configured (the
 * agents package); absent in tests that wire the audit log by hand.
 */
public interface KeyResealing {
    /**
     * Runs in the caller's transaction. Returns the event to record, or empty when nothing was re-sealed
     * (no previous key configured, or every key already opens with the current one).
     */
    Optional<AuditEvent> resealAll();
}
