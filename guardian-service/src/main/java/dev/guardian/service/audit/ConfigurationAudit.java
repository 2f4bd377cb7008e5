package dev.guardian.service.audit;

import dev.guardian.verifier.AuditPublicKey;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Records, at start, the audit key the deployment signs checkpoints with ({@code audit-key-created})
 * when the log has not recorded it yet. What configuration changes in agents, wallets, tokens, policies
 * and people is recorded where it changes (AgentDirectory, Credentials, PolicyVersions, People), with
 * actor {@code configuration}, like the same change made through the API.
 */
class ConfigurationAudit {
    private final AuditLog audit;
    private final TransactionTemplate transactions;

    ConfigurationAudit(AuditLog audit, TransactionTemplate transactions) {
        this.audit = audit;
        this.transactions = transactions;
    }

    /** Records whatever changed since the last start; returns how many records were written. */
    int recordChanges() {
        return Boolean.TRUE.equals(transactions.execute(tx -> {
                    AuditPublicKey key = audit.keys().activePublicKey();
                    return audit.recordIfChanged(
                            new AuditKeyCreated(key.keyId(), AuditPublicKey.ALGORITHM, key.toPem()),
                            Actor.GUARDIAN,
                            AuditKeyCreated.SUBJECT);
                }))
                ? 1
                : 0;
    }
}
