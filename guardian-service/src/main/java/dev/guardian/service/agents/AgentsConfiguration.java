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
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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
 * the configured agents (and {@link AdditionalAgents}), teams and the kill switch.
 */
@Configuration(proxyBeanMethods = false)
class AgentsConfiguration {
    private static final String KEK = "guardian.keys.kek";
    private static final String KEK_FILE = "guardian.keys.kek-file";

    /** The key-encryption key: configured base64, or a file; the development mode supplies its own. */
    @Bean(destroyMethod = "close")
    KeyEncryptionKey keyEncryptionKey(KeyProperties keys, ObjectProvider<FallbackKeyEncryptionKey> fallback) {
        if (keys.kek() != null && !keys.kek().isBlank()) {
            try {
                return KeyEncryptionKey.fromBase64(keys.kek().strip());
            } catch (IllegalArgumentException e) {
                throw new StartupRefusal(KEK, "the key-encryption key is not usable: " + e.getMessage(), e);
            }
        }
        if (keys.kekFile() != null) {
            if (!Files.exists(keys.kekFile())) {
                throw new StartupRefusal(KEK_FILE, "the key-encryption key file " + keys.kekFile() + " does not exist");
            }
            try {
                return KeyEncryptionKey.fromFile(keys.kekFile());
            } catch (IllegalArgumentException e) {
                throw new StartupRefusal(KEK_FILE, "the key-encryption key file is not usable: " + e.getMessage(), e);
            }
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
