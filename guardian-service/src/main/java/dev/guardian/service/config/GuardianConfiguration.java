package dev.guardian.service.config;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.ChainId;
import dev.guardian.policy.rules.PolicyEngine;
import dev.guardian.service.agents.AgentDefinition;
import dev.guardian.service.agents.AgentDefinitions;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.agents.KillSwitch;
import dev.guardian.service.agents.Teams;
import dev.guardian.service.audit.AuditLog;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.chain.ChainResilienceSettings;
import dev.guardian.service.identity.Credentials;
import dev.guardian.service.notifications.WebhookOutbox;
import dev.guardian.service.policies.PolicyDocuments;
import dev.guardian.service.policies.PolicyVersions;
import dev.guardian.service.requests.BudgetReport;
import dev.guardian.service.requests.ReceiptWorker;
import dev.guardian.service.requests.RequestJudge;
import dev.guardian.service.requests.RequestPipeline;
import dev.guardian.service.requests.RequestStore;
import dev.guardian.service.requests.RequestTransitions;
import dev.guardian.service.requests.Reservations;
import dev.guardian.service.requests.TransactionSubmitter;
import dev.guardian.service.sanctions.AddressScreen;
import dev.guardian.signer.KeyEncryptionKey;
import dev.guardian.signer.KeyVault;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.web3j.protocol.Web3j;
import tools.jackson.databind.json.JsonMapper;

/** Wires the plain objects of policy, signer and the service's packages from validated configuration. */
@Configuration(proxyBeanMethods = false)
class GuardianConfiguration {

    /** The system clock; tests may supply their own to move time without sleeping. */
    @Bean
    @ConditionalOnMissingBean(Clock.class)
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    PolicyEngine policyEngine() {
        return new PolicyEngine();
    }

    /** The key-encryption key: configured base64, or a file; the development mode supplies its own. */
    @Bean(destroyMethod = "close")
    KeyEncryptionKey keyEncryptionKey(KeyProperties keys, ObjectProvider<DevelopmentEnvironment> development) {
        if (keys.kek() != null && !keys.kek().isBlank()) {
            return KeyEncryptionKey.fromBase64(keys.kek().strip());
        }
        if (keys.kekFile() != null) {
            if (!Files.exists(keys.kekFile())) {
                throw new IllegalStateException("guardian.keys.kek-file: " + keys.kekFile() + " does not exist");
            }
            return KeyEncryptionKey.fromFile(keys.kekFile());
        }
        DevelopmentEnvironment dev = development.getIfAvailable();
        if (dev != null) {
            return dev.keyEncryptionKey();
        }
        throw new IllegalStateException("no key-encryption key: set guardian.keys.kek (env GUARDIAN_KEYS_KEK, base64 of"
                + " 32 bytes) or guardian.keys.kek-file. Wallet keys are never stored without one.");
    }

    @Bean
    KeyVault keyVault(KeyEncryptionKey kek) {
        return new KeyVault(kek);
    }

    @Bean
    ChainEndpoint chainEndpoint(ChainProperties chain, ObjectProvider<DevelopmentEnvironment> development) {
        DevelopmentEnvironment dev = development.getIfAvailable();
        if (dev != null) {
            return dev.endpoint();
        }
        if (chain.rpcUrl() == null) {
            throw new IllegalStateException(
                    "guardian.chain.rpc-url is not set (env GUARDIAN_CHAIN_RPC_URL); for a local"
                            + " chain, run the development mode (see README)");
        }
        if (chain.usdc().address() == null) {
            throw new IllegalStateException("guardian.chain.usdc.address is not set");
        }
        Address usdc;
        try {
            usdc = Address.parse(chain.usdc().address());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("guardian.chain.usdc.address: " + e.getMessage());
        }
        return new ChainEndpoint(chain.rpcUrl(), usdc);
    }

    @Bean
    AssetRegistry assetRegistry(ChainProperties chain, ChainEndpoint endpoint) {
        return new AssetRegistry(
                Asset.ether(),
                List.of(new Asset.Erc20(
                        endpoint.usdcContract(),
                        chain.usdc().symbol(),
                        chain.usdc().decimals())));
    }

    @Bean(destroyMethod = "shutdown")
    Web3j web3j(ChainEndpoint endpoint, ChainProperties chain) {
        return ChainAdapter.connect(endpoint.rpcUrl(), chain.resilience().callTimeout());
    }

    @Bean
    ChainAdapter chainAdapter(Web3j web3j, ChainProperties chain, AssetRegistry assets) {
        ChainProperties.Resilience r = chain.resilience();
        ChainAdapter adapter = new ChainAdapter(
                web3j,
                new ChainId(chain.chainId()),
                assets,
                new ChainResilienceSettings(
                        r.callTimeout(),
                        r.readAttempts(),
                        r.readBackoff(),
                        r.failureRateThreshold(),
                        r.slidingWindowSize(),
                        r.minimumNumberOfCalls(),
                        r.openStateWait(),
                        r.maxConcurrentCalls()));
        adapter.verifyChainId();
        return adapter;
    }

    @Bean
    PolicyDocuments policyDocuments(AssetRegistry assets) {
        return new PolicyDocuments(assets);
    }

    @Bean
    PolicyVersions policyVersions(
            JdbcClient jdbc, TransactionTemplate transactions, AuditLog audit, PolicyDocuments documents, Clock clock) {
        return new PolicyVersions(jdbc, transactions, audit, documents, clock);
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
            ObjectProvider<DevelopmentEnvironment> development) {
        AgentDirectory directory =
                new AgentDirectory(jdbc, transactions, vault, credentials, policies, documents, audit, clock);
        List<AgentDefinition> definitions = new ArrayList<>(AgentDefinitions.parse(configured.agents(), assets));
        Optional.ofNullable(development.getIfAvailable()).ifPresent(dev -> definitions.addAll(dev.agents(assets)));
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

    @Bean
    RequestStore requestStore(JdbcClient jdbc, JsonMapper json) {
        return new RequestStore(jdbc, json);
    }

    @Bean
    Reservations reservations(JdbcClient jdbc, AssetRegistry assets) {
        return new Reservations(jdbc, assets);
    }

    @Bean
    RequestTransitions requestTransitions(
            JdbcClient jdbc,
            JsonMapper json,
            RequestStore store,
            Reservations reservations,
            AuditLog audit,
            WebhookOutbox notifications) {
        return new RequestTransitions(jdbc, json, store, reservations, audit, notifications);
    }

    @Bean
    TransactionSubmitter transactionSubmitter(
            ChainAdapter chain,
            AgentDirectory agents,
            KeyVault vault,
            RequestStore store,
            RequestTransitions transitions,
            TransactionTemplate transactions,
            Clock clock,
            KillSwitch killSwitch) {
        return new TransactionSubmitter(chain, agents, vault, store, transitions, transactions, clock, killSwitch);
    }

    @Bean
    RequestJudge requestJudge(
            AddressScreen sanctions,
            PolicyEngine engine,
            RequestStore store,
            Reservations reservations,
            PolicyVersions policies,
            Teams teams,
            KillSwitch killSwitch,
            AssetRegistry assets) {
        return new RequestJudge(
                new RequestJudge.DatabaseFacts(policies, teams, killSwitch, sanctions, reservations, store),
                engine,
                assets);
    }

    @Bean
    RequestPipeline requestPipeline(
            AgentDirectory agents,
            ChainAdapter chain,
            AssetRegistry assets,
            RequestJudge judge,
            RequestStore store,
            RequestTransitions transitions,
            TransactionSubmitter submitter,
            TransactionTemplate transactions,
            Clock clock) {
        return new RequestPipeline(agents, chain, assets, judge, store, transitions, submitter, transactions, clock);
    }

    @Bean
    BudgetReport budgetReport(
            AgentDirectory agents, PolicyVersions policies, Teams teams, Reservations reservations, Clock clock) {
        return new BudgetReport(agents, policies, teams, reservations, clock);
    }

    @Bean
    ReceiptWorker receiptWorker(
            ChainAdapter chain,
            RequestStore store,
            RequestTransitions transitions,
            TransactionTemplate transactions,
            Clock clock,
            WorkerProperties worker) {
        return new ReceiptWorker(
                chain, store, transitions, transactions, clock, worker.rebroadcastAfter(), worker.batchSize());
    }
}
