package dev.guardian.service.agents;

import dev.guardian.policy.AssetRegistry;
import dev.guardian.service.audit.AuditLog;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.identity.Credentials;
import dev.guardian.service.policies.PolicyDocuments;
import dev.guardian.service.policies.PolicyVersions;
import dev.guardian.service.startup.StartupRefusal;
import dev.guardian.signer.KeyEncryptionKey;
import dev.guardian.signer.KeyVault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires agents, their wallets and the keys that seal them: the key-encryption key (configured, or the
 * development mode's through {@link FallbackKeyEncryptionKey}) and the vault, the directory loaded with
 * the configured agents (and {@link AdditionalAgents}), teams and the kill switch; and, while the KEK is
 * rotated, the previous one and the {@link KeyRotation} that re-seals the stored keys with it; and the
 * deployment's {@link Relayer} account.
 */
@Configuration(proxyBeanMethods = false)
class AgentsConfiguration {
    private static final String KEK = "guardian.keys.kek";
    private static final String KEK_FILE = "guardian.keys.kek-file";
    private static final String PREVIOUS_KEK = "guardian.keys.previous-kek";
    private static final String PREVIOUS_KEK_FILE = "guardian.keys.previous-kek-file";

    /** The key-encryption key: configured base64, or a file; the development mode supplies its own. */
    @Bean(destroyMethod = "close")
    KeyEncryptionKey keyEncryptionKey(KeyProperties keys, ObjectProvider<FallbackKeyEncryptionKey> fallback) {
        Optional<KeyEncryptionKey> configured =
                configured("the key-encryption key", keys.kek(), KEK, keys.kekFile(), KEK_FILE);
        if (configured.isPresent()) {
            return configured.get();
        }
        FallbackKeyEncryptionKey supplied = fallback.getIfAvailable();
        if (supplied != null) {
            return supplied.keyEncryptionKey();
        }
        throw new StartupRefusal(
                KEK + " (env GUARDIAN_KEYS_KEK) or " + KEK_FILE,
                "no key-encryption key is configured (base64 of 32 random bytes: openssl rand -base64 32);"
                        + " wallet keys are never stored without one");
    }

    @Bean
    KeyVault keyVault(KeyEncryptionKey kek) {
        return new KeyVault(kek);
    }

    /**
     * The rotation of the key-encryption key, when the previous one is configured: the audit
     * configuration runs it before the audit key is loaded. The previous key is read here, so a missing
     * or malformed one stops the start before anything else happens.
     */
    @Bean(destroyMethod = "close")
    KeyRotation keyRotation(KeyProperties keys, KeyVault vault, JdbcClient jdbc) {
        boolean base64 = keys.previousKek() != null && !keys.previousKek().isBlank();
        Optional<KeyEncryptionKey> previous = configured(
                "the previous key-encryption key",
                keys.previousKek(),
                PREVIOUS_KEK,
                keys.previousKekFile(),
                PREVIOUS_KEK_FILE);
        return previous.map(kek -> new KeyRotation(jdbc, vault, kek, base64 ? PREVIOUS_KEK : PREVIOUS_KEK_FILE))
                .orElseGet(() -> KeyRotation.none(jdbc, vault));
    }

    /** A key configured as base64 (preferred, as for the current key) or as a file; empty when neither is set. */
    private static Optional<KeyEncryptionKey> configured(
            String what, String base64, String base64Setting, Path file, String fileSetting) {
        if (base64 != null && !base64.isBlank()) {
            try {
                return Optional.of(KeyEncryptionKey.fromBase64(base64.strip()));
            } catch (IllegalArgumentException e) {
                throw new StartupRefusal(base64Setting, what + " is not usable: " + e.getMessage(), e);
            }
        }
        if (file != null) {
            if (!Files.exists(file)) {
                throw new StartupRefusal(fileSetting, what + " file " + file + " does not exist");
            }
            try {
                return Optional.of(KeyEncryptionKey.fromFile(file));
            } catch (IllegalArgumentException e) {
                throw new StartupRefusal(fileSetting, what + " file is not usable: " + e.getMessage(), e);
            }
        }
        return Optional.empty();
    }

    @Bean
    @DependsOnDatabaseInitialization
    AgentDirectory agentDirectory(
            JdbcClient jdbc,
            TransactionTemplate transactions,
            KeyVault vault,
            Credentials credentials,
            PolicyVersions policies,
            PolicyDocuments documents,
            AuditLog audit,
            Clock clock,
            AgentsProperties configured,
            AssetRegistry assets,
            ChainAdapter chain,
            ObjectProvider<AdditionalAgents> additional) {
        AgentDirectory directory = new AgentDirectory(
                jdbc,
                transactions,
                vault,
                credentials,
                policies,
                documents,
                audit,
                clock,
                address -> chain.code(address).length > 0);
        List<AgentDefinition> definitions = new ArrayList<>(AgentDefinitions.parse(configured.agents(), assets));
        additional.orderedStream().forEach(more -> definitions.addAll(more.agents(assets)));
        directory.load(definitions);
        return directory;
    }

    /** The deployment's relayer account, created at the first start (its key sealed like the wallets'). */
    @Bean
    @DependsOnDatabaseInitialization
    Relayer relayer(
            JdbcClient jdbc,
            TransactionTemplate transactions,
            KeyVault vault,
            AuditLog audit,
            Clock clock,
            ChainAdapter chain,
            AssetRegistry assets) {
        return new Relayer(jdbc, transactions, vault, audit, clock, chain, assets);
    }

    @Bean
    Teams teams(
            JdbcClient jdbc,
            TransactionTemplate transactions,
            PolicyDocuments documents,
            JsonMapper json,
            AuditLog audit,
            Clock clock) {
        return new Teams(jdbc, transactions, documents, json, audit, clock);
    }

    @Bean
    KillSwitch killSwitch(JdbcClient jdbc, TransactionTemplate transactions, AuditLog audit, Clock clock) {
        return new KillSwitch(jdbc, transactions, audit, clock);
    }
}
