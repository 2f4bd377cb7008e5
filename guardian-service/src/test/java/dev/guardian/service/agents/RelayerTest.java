package dev.guardian.service.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.ChainId;
import dev.guardian.service.audit.AuditLog;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.chain.ChainResilienceSettings;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.Concurrently;
import dev.guardian.service.testsupport.TestDatabase;
import dev.guardian.signer.KeyEncryptionKey;
import dev.guardian.signer.KeyVault;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The relayer account on a real PostgreSQL: instances that start together on an empty database each generate
 * a key, but one is stored and every instance uses that one, recorded once; a later start finds it; its sealed
 * key opens with the deployment's key-encryption key, belongs to its address, and is never in its text.
 */
class RelayerTest {
    private static final int INSTANCES = 4;

    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static TestDatabase database;
    private static KeyEncryptionKey kek;

    @BeforeAll
    static void start() {
        database = TestDatabase.start();
        kek = KeyEncryptionKey.generate();
    }

    @AfterAll
    static void stop() throws Exception {
        kek.close();
        database.close();
    }

    @Test
    void instancesStartingTogetherOnAnEmptyDatabaseShareOneRelayerRecordedOnce() {
        AuditLog audit = database.auditLog(1_000);
        List<Relayer> started = Concurrently.run(INSTANCES, i -> relayer(audit));

        Set<Address> addresses = started.stream().map(Relayer::address).collect(Collectors.toSet());
        assertThat(addresses).hasSize(1);
        Address address = addresses.iterator().next();
        JdbcClient jdbc = database.jdbc();
        assertThat(jdbc.sql("select count(*) from relayer_accounts")
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from audit_log where event = 'relayer-created'")
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
        assertThat(jdbc.sql("select payload::text from audit_log where event = 'relayer-created'")
                        .query(String.class)
                        .single())
                .contains(address.toString())
                .contains("\"key\": \"generated\"");

        Relayer later = relayer(audit);
        RelayerAccount account = later.account();
        assertThat(later.address()).isEqualTo(address);
        assertThat(account.id()).isEqualTo(Relayer.DEFAULT);
        assertThat(account.sealedKey().address()).isEqualTo(address);
        assertThat(new KeyVault(kek).opens(account.sealedKey())).isTrue();
        assertThat(account.toString()).isEqualTo("RelayerAccount[id=default, address=" + address + "]");
    }

    private static Relayer relayer(AuditLog audit) {
        ChainAdapter chain = new ChainAdapter(
                CHAIN.web3j(),
                new ChainId(31337),
                new AssetRegistry(Asset.ether(), List.of()),
                ChainResilienceSettings.defaults());
        return new Relayer(
                database.jdbc(),
                database.transactions(),
                new KeyVault(kek),
                audit,
                Clock.systemUTC(),
                chain,
                new AssetRegistry(Asset.ether(), List.of()));
    }
}
