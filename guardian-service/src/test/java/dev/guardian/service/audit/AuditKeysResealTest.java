package dev.guardian.service.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.service.testsupport.TestDatabase;
import dev.guardian.signer.KeyEncryptionKey;
import dev.guardian.signer.KeyUnsealException;
import dev.guardian.signer.KeyVault;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The audit key's part of a rotation of the key-encryption key, on a real database as the application's
 * restricted role: the key is re-sealed in place, keeps its id and public half, and only a KEK that opens
 * it can re-seal it.
 */
class AuditKeysResealTest {
    private TestDatabase database;
    private JdbcClient jdbc;
    private TransactionTemplate transactions;
    private final KeyEncryptionKey previous = KeyEncryptionKey.generate();
    private final KeyEncryptionKey current = KeyEncryptionKey.generate();

    @BeforeEach
    void startDatabase() {
        database = TestDatabase.start();
        jdbc = database.jdbc();
        transactions = database.transactions();
    }

    @AfterEach
    void stopDatabase() throws Exception {
        database.close();
    }

    @Test
    void reSealsTheAuditKeyUnderTheCurrentKekKeepingItsIdentity() {
        String keyId = AuditKeys.loadOrCreate(jdbc, transactions, new KeyVault(previous), Clock.systemUTC())
                .activeKeyId();
        KeyVault vault = new KeyVault(current);

        AuditKeys.Resealed first = transactions.execute(tx -> AuditKeys.resealAll(jdbc, vault, previous));
        AuditKeys.Resealed again = transactions.execute(tx -> AuditKeys.resealAll(jdbc, vault, previous));

        assertThat(first).isEqualTo(new AuditKeys.Resealed(1, 1));
        assertThat(again).as("already under the current KEK").isEqualTo(new AuditKeys.Resealed(1, 0));
        AuditKeys reloaded = AuditKeys.loadOrCreate(jdbc, transactions, vault, Clock.systemUTC());
        assertThat(reloaded.activeKeyId()).isEqualTo(keyId);
        assertThat(reloaded.published()).hasSize(1);
        assertThatThrownBy(() -> AuditKeys.loadOrCreate(jdbc, transactions, new KeyVault(previous), Clock.systemUTC()))
                .hasMessageContaining("cannot be opened with this instance's key-encryption key");
    }

    @Test
    void refusesAKeyThatOpensWithNeitherKekAndChangesNothing() {
        String keyId = AuditKeys.loadOrCreate(
                        jdbc, transactions, new KeyVault(KeyEncryptionKey.generate()), Clock.systemUTC())
                .activeKeyId();
        byte[] before = sealed();

        assertThatThrownBy(() -> transactions.execute(tx -> AuditKeys.resealAll(jdbc, new KeyVault(current), previous)))
                .isInstanceOf(KeyUnsealException.class)
                .hasMessageContaining("the audit key " + keyId)
                .hasMessageContaining("wrong key-encryption key");
        assertThat(sealed()).isEqualTo(before);
    }

    private byte[] sealed() {
        return jdbc.sql("select sealed_key from audit_keys").query(byte[].class).single();
    }
}
