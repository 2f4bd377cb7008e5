package dev.guardian.service.audit;

import dev.guardian.service.startup.StartupRefusal;
import dev.guardian.signer.AuditSigner;
import dev.guardian.signer.KeyEncryptionKey;
import dev.guardian.signer.KeyUnsealException;
import dev.guardian.signer.KeyVault;
import dev.guardian.signer.SealedAuditKey;
import dev.guardian.verifier.AuditPublicKey;
import dev.guardian.verifier.Checkpoint;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The Ed25519 key that signs checkpoints of the audit log. Created by the signer on the first start of
 * a deployment and stored sealed in {@code audit_keys}; every instance of the deployment loads the same
 * one (the first to insert wins, the others read its row). Only its public half ever leaves: in the API,
 * in exports and in the log.
 */
public class AuditKeys {
    private static final Logger log = LoggerFactory.getLogger(AuditKeys.class);

    /** A key as published: never more than its public half. */
    public record PublishedKey(String keyId, AuditPublicKey publicKey, Instant createdAt, Optional<Instant> retiredAt) {
        public PublishedKey {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(publicKey, "publicKey");
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(retiredAt, "retiredAt");
        }
    }

    private final JdbcClient jdbc;
    private final AuditSigner signer;
    private final AuditPublicKey publicKey;

    private AuditKeys(JdbcClient jdbc, AuditSigner signer, AuditPublicKey publicKey) {
        this.jdbc = jdbc;
        this.signer = signer;
        this.publicKey = publicKey;
    }

    /**
     * Loads the deployment's active audit key, creating it on the first start, and checks that this
     * instance's key-encryption key opens it (a start with the wrong KEK fails here, not at the first
     * checkpoint).
     */
    public static AuditKeys loadOrCreate(
            JdbcClient jdbc, TransactionTemplate transactions, KeyVault vault, Clock clock) {
        boolean[] created = {false};
        SealedAuditKey sealed = transactions.execute(tx -> active(jdbc).orElseGet(() -> {
            SealedAuditKey fresh = vault.generateAuditKey();
            AuditPublicKey freshPublic = AuditPublicKey.ofRaw(fresh.publicKey());
            int inserted = jdbc.sql("""
                    insert into audit_keys (key_id, public_key, sealed_key, created_at) values (:id, :public, :sealed, :at)
                    on conflict do nothing
                    """)
                    .param("id", freshPublic.keyId())
                    .param("public", fresh.publicKey())
                    .param("sealed", fresh.sealed())
                    .param("at", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                    .update();
            created[0] = inserted == 1;
            return active(jdbc).orElseThrow(); // ours, or the one another instance inserted first
        }));
        AuditSigner signer = vault.auditSignerFor(sealed);
        AuditPublicKey publicKey = AuditPublicKey.ofRaw(sealed.publicKey());
        byte[] probe = "guardian audit key self-test".getBytes(StandardCharsets.US_ASCII);
        try {
            if (!publicKey.verifies(probe, signer.sign(probe))) {
                throw new IllegalStateException(
                        "the audit key " + publicKey.keyId() + " signs, but not for its public key");
            }
        } catch (KeyUnsealException e) {
            throw new StartupRefusal(
                    "guardian.keys.kek / guardian.keys.kek-file",
                    "the audit key " + publicKey.keyId() + " in the database cannot be opened with this"
                            + " instance's key-encryption key: every instance of a deployment needs the key its"
                            + " database's keys were sealed with",
                    e);
        }
        if (created[0]) {
            log.info("created the audit key {}; checkpoints of the audit log are signed with it", publicKey.keyId());
        }
        return new AuditKeys(jdbc, signer, publicKey);
    }

    /**
     * Re-seals, in the caller's transaction, every audit key (the active one and any retired one) that
     * {@code previous} opens under the vault's own key-encryption key, and leaves those that already open
     * with it. Returns how many are stored and how many were re-sealed. The public keys stay as they are,
     * so every checkpoint still verifies.
     *
     * @throws KeyUnsealException naming the key, when a key opens with neither; nothing is changed then
     *                            if the caller rolls back
     */
    public static Resealed resealAll(JdbcClient jdbc, KeyVault vault, KeyEncryptionKey previous) {
        record Row(String keyId, SealedAuditKey key) {}
        List<Row> rows = jdbc.sql(
                        "select key_id, public_key, sealed_key from audit_keys order by created_at, key_id for update")
                .query((rs, n) -> new Row(
                        rs.getString("key_id"),
                        new SealedAuditKey(rs.getBytes("public_key"), rs.getBytes("sealed_key"))))
                .list();
        int resealed = 0;
        for (Row row : rows) {
            if (vault.opens(row.key())) {
                continue;
            }
            SealedAuditKey fresh;
            try {
                fresh = vault.reseal(row.key(), previous);
            } catch (KeyUnsealException e) {
                throw new KeyUnsealException("the audit key " + row.keyId() + ": " + e.getMessage(), e);
            }
            jdbc.sql("update audit_keys set sealed_key = :sealed where key_id = :id")
                    .param("sealed", fresh.sealed())
                    .param("id", row.keyId())
                    .update();
            resealed++;
        }
        return new Resealed(rows.size(), resealed);
    }

    /** What {@link #resealAll} found: how many audit keys are stored, and how many it re-sealed. */
    public record Resealed(int stored, int resealed) {}

    private static Optional<SealedAuditKey> active(JdbcClient jdbc) {
        return jdbc.sql("select public_key, sealed_key from audit_keys where retired_at is null")
                .query((rs, n) -> new SealedAuditKey(rs.getBytes("public_key"), rs.getBytes("sealed_key")))
                .optional();
    }

    /** The active key's id, e.g. {@code ed25519:3f0c…}. */
    public String activeKeyId() {
        return publicKey.keyId();
    }

    public AuditPublicKey activePublicKey() {
        return publicKey;
    }

    /** Signs the head of the chain: record {@code headSeq}, whose hash is {@code headHash}. */
    public Checkpoint sign(long headSeq, String headHash) {
        byte[] signature = signer.sign(Checkpoint.signedMessage(headSeq, headHash, publicKey.keyId()));
        return new Checkpoint(headSeq, headHash, publicKey.keyId(), signature);
    }

    /** Every audit key the deployment has used, oldest first: checkpoints verify against these. */
    public List<PublishedKey> published() {
        return jdbc.sql("select key_id, public_key, created_at, retired_at from audit_keys order by created_at, key_id")
                .query((rs, n) -> new PublishedKey(
                        rs.getString("key_id"),
                        AuditPublicKey.ofRaw(rs.getBytes("public_key")),
                        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                        Optional.ofNullable(rs.getObject("retired_at", OffsetDateTime.class))
                                .map(OffsetDateTime::toInstant)))
                .list();
    }

    public List<AuditPublicKey> publicKeys() {
        return published().stream().map(PublishedKey::publicKey).toList();
    }

    @Override
    public String toString() {
        return "AuditKeys[" + publicKey.keyId() + "]";
    }
}
