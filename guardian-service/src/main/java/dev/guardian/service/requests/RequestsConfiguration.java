package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.rules.PolicyEngine;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.agents.KillSwitch;
import dev.guardian.service.agents.Relayer;
import dev.guardian.service.agents.Teams;
import dev.guardian.service.audit.AuditLog;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.chain.ChainContracts;
import dev.guardian.service.chain.ChainEndpoint;
import dev.guardian.service.chain.ConfirmationDepth;
import dev.guardian.service.chain.TokenDomainProfile;
import dev.guardian.service.policies.PolicyVersions;
import dev.guardian.service.safe.SafeDeployment;
import dev.guardian.service.safe.SafeGuardContracts;
import dev.guardian.service.sanctions.AddressScreen;
import dev.guardian.service.signatures.TokenDomains;
import dev.guardian.signer.KeyVault;
import java.time.Clock;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires the request path: the store and reservations, the judge (screening, facts, the policy engine),
 * the pipeline, the submitter and the receipt worker, the budget report and the policy dry run. Who hears
 * of status changes is whoever provides a {@link RequestTransitions.StatusListener} bean (the webhook
 * outbox): this package does not know it.
 */
@Configuration(proxyBeanMethods = false)
class RequestsConfiguration {

    @Bean
    PolicyEngine policyEngine() {
        return new PolicyEngine();
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
            AssetRegistry assets,
            ObjectProvider<RequestTransitions.StatusListener> listener) {
        return new RequestTransitions(
                jdbc,
                json,
                store,
                reservations,
                audit,
                assets,
                listener.getIfAvailable(() -> RequestTransitions.StatusListener.NONE));
    }

    @Bean
    FeeQuotes feeQuotes(ChainAdapter chain, ChainContracts contracts) {
        return new FeeQuotes(chain, contracts);
    }

    @Bean
    ExactSimulation exactSimulation(ChainAdapter chain, FeeQuotes fees, RequestStore store) {
        return new ExactSimulation(chain, fees, store);
    }

    @Bean
    ExposureTracker exposureTracker(
            ChainAdapter chain,
            ChainContracts contracts,
            Reservations reservations,
            RequestStore store,
            AuditLog audit,
            TransactionTemplate transactions,
            Clock clock) {
        return new ExposureTracker(chain, contracts, reservations, store, audit, transactions, clock);
    }

    @Bean
    TransactionSubmitter transactionSubmitter(
            ChainAdapter chain,
            AgentDirectory agents,
            KeyVault vault,
            RequestStore store,
            RequestTransitions transitions,
            FeeQuotes fees,
            TransactionTemplate transactions,
            Clock clock,
            KillSwitch killSwitch,
            ExactSimulation simulations,
            RequestJudge judge,
            WorkerProperties worker,
            SignatureRequests signatures,
            Relayer relayer) {
        return new TransactionSubmitter(
                chain,
                agents,
                vault,
                store,
                transitions,
                fees,
                transactions,
                clock,
                killSwitch,
                simulations,
                judge,
                TransactionSubmitter.Resumption.of(worker),
                signatures,
                relayer);
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
            ExactSimulation simulations,
            AssetRegistry assets,
            RequestJudge judge,
            RequestStore store,
            RequestTransitions transitions,
            ExposureTracker exposure,
            TransactionSubmitter submitter,
            TransactionTemplate transactions,
            Clock clock,
            SignatureRequests signatures,
            JsonMapper json,
            SafeRequests safes) {
        return new RequestPipeline(
                agents,
                simulations,
                assets,
                judge,
                store,
                transitions,
                exposure,
                submitter,
                transactions,
                clock,
                signatures,
                json,
                safes);
    }

    @Bean
    SafeWalletCreation safeWalletCreation(
            AgentDirectory agents,
            SafeDeployment deployment,
            SafeGuardContracts.Deployment guard,
            AssetRegistry assets,
            ChainAdapter chain,
            AddressScreen sanctions,
            ExactSimulation simulations,
            RequestTransitions transitions,
            RequestStore store,
            TransactionSubmitter submitter,
            TransactionTemplate transactions,
            Clock clock,
            Relayer relayer) {
        return new SafeWalletCreation(
                agents,
                deployment,
                guard,
                assets,
                chain,
                sanctions,
                simulations,
                transitions,
                store,
                submitter,
                transactions,
                clock,
                relayer::address);
    }

    @Bean
    SafeRequests safeRequests(
            ChainAdapter chain,
            KeyVault vault,
            AssetRegistry assets,
            ExactSimulation simulations,
            JsonMapper json,
            Relayer relayer,
            RequestStore store,
            JdbcClient jdbc,
            WorkerProperties worker) {
        return new SafeRequests(
                store, jdbc, chain, vault, assets, simulations, json, relayer::address, worker.safeCoverLifetime());
    }

    @Bean
    AuthorizationWatcher authorizationWatcher(
            ChainAdapter chain,
            AgentDirectory agents,
            RequestStore store,
            RequestTransitions transitions,
            SignatureRequests signatures,
            TokenDomains domains,
            TreasuryActions treasury,
            KillSwitch killSwitch,
            AddressScreen sanctions,
            TransactionTemplate transactions,
            Clock clock,
            WorkerProperties worker,
            ConfirmationDepth depth) {
        return new AuthorizationWatcher(
                chain,
                agents,
                store,
                transitions,
                signatures,
                domains,
                treasury,
                killSwitch,
                sanctions,
                transactions,
                clock,
                worker.batchSize(),
                depth,
                worker.backoff());
    }

    @Bean
    X402Requests x402Requests(ChainAdapter chain, ChainEndpoint endpoint, AssetRegistry assets, Clock clock) {
        return new X402Requests(chain.chainId().value(), endpoint.usdcContract(), assets, clock);
    }

    @Bean
    TokenDomains tokenDomains(
            ChainAdapter chain, AssetRegistry assets, TokenDomainProfile profile, ChainEndpoint endpoint) {
        Asset.Erc20 usdc = (Asset.Erc20) assets.token(endpoint.usdcContract());
        return new TokenDomains(chain, usdc, profile, chain.chainId().value());
    }

    @Bean
    SignatureRequests signatureRequests(
            TokenDomains domains, ChainContracts contracts, AssetRegistry assets, JsonMapper json) {
        return new SignatureRequests(domains, contracts.permit2(), assets, json);
    }

    @Bean
    BudgetReport budgetReport(
            AgentDirectory agents, PolicyVersions policies, Teams teams, Reservations reservations, Clock clock) {
        return new BudgetReport(agents, policies, teams, reservations, clock);
    }

    @Bean
    ReceiptWorker receiptWorker(
            ChainAdapter chain,
            AssetRegistry assets,
            AddressScreen sanctions,
            AgentDirectory agents,
            RequestStore store,
            RequestTransitions transitions,
            TransactionSubmitter submitter,
            KillSwitch killSwitch,
            TransactionTemplate transactions,
            Clock clock,
            WorkerProperties worker) {
        return new ReceiptWorker(
                chain,
                new ReceiptReconciler(chain, assets, sanctions, store::safeGuard),
                agents,
                store,
                transitions,
                submitter,
                killSwitch,
                sanctions,
                transactions,
                clock,
                worker.rebroadcastAfter(),
                worker.replaceAfter(),
                worker.maxReplacements(),
                worker.batchSize());
    }

    @Bean
    TreasuryActions treasuryActions(
            ExactSimulation simulations,
            AssetRegistry assets,
            ChainAdapter chain,
            ChainContracts contracts,
            AddressScreen sanctions,
            RequestStore store,
            Reservations reservations,
            RequestTransitions transitions,
            ExposureTracker exposure,
            TransactionSubmitter submitter,
            TransactionTemplate transactions,
            Clock clock,
            TreasuryProperties treasury,
            KeyVault vault,
            Relayer relayer) {
        return new TreasuryActions(
                simulations,
                assets,
                chain,
                contracts,
                sanctions,
                store,
                reservations,
                transitions,
                exposure,
                submitter,
                transactions,
                clock,
                sweepAddress(treasury.sweepAddress()),
                vault,
                relayer);
    }

    /** The configured sweep address: absent when not set, a refusal to start when it is not an address. */
    static Optional<Address> sweepAddress(String configured) {
        if (configured == null || configured.isBlank()) {
            return Optional.empty();
        }
        Address address;
        try {
            address = Address.parse(configured.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("guardian.treasury.sweep-address: " + e.getMessage());
        }
        if (address.equals(Address.of(new byte[20]))) {
            throw new IllegalStateException(
                    "guardian.treasury.sweep-address is the zero address: what is swept there is burned");
        }
        return Optional.of(address);
    }

    @Bean
    PolicyDryRun policyDryRun(
            PolicyVersions versions,
            AgentDirectory agents,
            RequestJudge judge,
            RequestStore requests,
            ExactSimulation simulations,
            AssetRegistry assets,
            Clock clock,
            SignatureRequests signatures) {
        return new PolicyDryRun(versions, agents, judge, requests, simulations, assets, clock, signatures);
    }
}
