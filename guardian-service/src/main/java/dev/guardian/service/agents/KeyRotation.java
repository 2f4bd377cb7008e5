package dev.guardian.service.agents;

import dev.guardian.policy.Address;
import dev.guardian.service.audit.AuditEvent;
import dev.guardian.service.audit.AuditKeys;
import dev.guardian.service.audit.KeyResealing;
import dev.guardian.service.locks.AdvisoryLocks;
import dev.guardian.service.startup.StartupRefusal;
import dev.guardian.signer.KeyEncryptionKey;
import dev.guardian.signer.KeyUnsealException;
import dev.guardian.signer.KeyVault;
import dev.guardian.signer.SealedKey;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Rotates the key-encryption key: at a start with {@code guardian.keys.previous-kek(-file)} set, every
 * stored key (the wallet keys, the audit keys, the relayer's key) that the previous KEK opens is re-sealed by the signer under
 * the current one; keys that already open with the current KEK are left as they are, so a second start
 * with both set changes nothing and says so; a key that opens with neither refuses the start, and nothing
 * is re-sealed. It all happens in the caller's one transaction (the audit configuration's, which also
 * records {@code keys-resealed}) under the {@link AdvisoryLocks.Lock#KEY_RESEALING} lock, so instances
 * starting together re-seal once, one after the other. The previous KEK is zeroed as soon as it has been
 * used. Key bytes never come here: only sealed keys, in and out of {@link KeyVault#reseal}.
 */
final class KeyRotation implements KeyResealing, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(KeyRotation.class);

    private final JdbcClient jdbc;
    private final KeyVault vault;
    /** Null when no previous key is configured: nothing to rotate. */
    private final KeyEncryptionKey previous;

    private final String setting;

    KeyRotation(JdbcClient jdbc, KeyVault vault, KeyEncryptionKey previous, String setting) {
        this.jdbc = jdbc;
        this.vault = vault;
        this.previous = previous;
        this.setting = setting;
    }

    /** No previous key-encryption key configured: every start is an ordinary one. */
    static KeyRotation none(JdbcClient jdbc, KeyVault vault) {
        return new KeyRotation(jdbc, vault, null, null);
    }

    /**
     * Re-seals what the previous key opens, in the caller's transaction.
     *
     * @throws StartupRefusal naming the previous key's setting when a stored key opens with neither key
     */
    @Override
    public Optional<AuditEvent> resealAll() {
        if (previous == null) {
            return Optional.empty();
        }
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("re-sealing the keys runs in the caller's transaction");
        }
        try {
            AdvisoryLocks.exclusive(jdbc, AdvisoryLocks.Lock.KEY_RESEALING);
            Count wallets = reseal("wallets", "wallet");
            Count relayers = reseal("relayer_accounts", "relayer");
            AuditKeys.Resealed auditKeys;
            try {
                auditKeys = AuditKeys.resealAll(jdbc, vault, previous);
            } catch (KeyUnsealException e) {
                throw refusal(e);
            }
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    report(wallets, auditKeys, relayers);
                }
            });
            return wallets.resealed() + auditKeys.resealed() + relayers.resealed() == 0
                    ? Optional.empty()
                    : Optional.of(new AgentEvents.KeysResealed(
                            wallets.resealed(), auditKeys.resealed(), relayers.resealed()));
        } finally {
            // Used once: its bytes are overwritten whether the rotation commits or not.
            previous.close();
        }
    }

    private record Count(int stored, int resealed) {}

    /**
     * Re-seals the secp256k1 keys of {@code table} (the wallets, the relayer accounts: both have an id, an
     * address and its sealed key) that the previous KEK opens. {@code table} is one of those two names, never
     * input.
     */
    private Count reseal(String table, String what) {
        record Row(String id, SealedKey key) {}
        List<Row> rows = jdbc.sql("select id, address, sealed_key from " + table + " order by id for update")
                .query((rs, n) -> new Row(
                        rs.getString("id"),
                        new SealedKey(Address.of(rs.getBytes("address")), rs.getBytes("sealed_key"))))
                .list();
        int resealed = 0;
        for (Row row : rows) {
            if (vault.opens(row.key())) {
                continue;
            }
            SealedKey fresh;
            try {
                fresh = vault.reseal(row.key(), previous);
            } catch (KeyUnsealException e) {
                throw refusal(new KeyUnsealException(what + " " + row.id() + ": " + e.getMessage(), e));
            }
            jdbc.sql("update " + table + " set sealed_key = :sealed where id = :id")
                    .param("sealed", fresh.sealed())
                    .param("id", row.id())
                    .update();
            resealed++;
        }
        return new Count(rows.size(), resealed);
    }

    private StartupRefusal refusal(KeyUnsealException e) {
        return new StartupRefusal(
                setting,
                "a stored key opens with neither the key-encryption key nor the previous one, so no key was"
                        + " re-sealed (" + e.getMessage() + "); give as " + setting
                        + " the key the database's keys are sealed with, and as guardian.keys.kek or"
                        + " guardian.keys.kek-file the new one",
                e);
    }

    private void report(Count wallets, AuditKeys.Resealed auditKeys, Count relayers) {
        if (wallets.resealed() + auditKeys.resealed() + relayers.resealed() > 0) {
            log.warn(
                    "re-sealed the stored keys under the current key-encryption key (wallet keys: {} of {}, audit"
                            + " keys: {} of {}, relayer keys: {} of {}; audit event keys-resealed); the previous"
                            + " key-encryption key is no longer needed: remove {} from the configuration and destroy"
                            + " the previous key",
                    wallets.resealed(),
                    wallets.stored(),
                    auditKeys.resealed(),
                    auditKeys.stored(),
                    relayers.resealed(),
                    relayers.stored(),
                    setting);
        } else {
            log.warn(
                    "{} is set, but every stored key (wallet keys: {}, audit keys: {}, relayer keys: {}) already opens"
                            + " with the current key-encryption key: nothing to re-seal; remove {} from the"
                            + " configuration and destroy the previous key",
                    setting,
                    wallets.stored(),
                    auditKeys.stored(),
                    relayers.stored(),
                    setting);
        }
    }

    @Override
    public void close() {
        if (previous != null) {
            previous.close();
        }
    }

    @Override
    public String toString() {
        return "KeyRotation[" + (previous == null ? "no previous key" : setting + " set (redacted)") + "]";
    }
}
