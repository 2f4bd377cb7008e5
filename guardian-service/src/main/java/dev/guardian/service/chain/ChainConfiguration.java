package dev.guardian.service.chain;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.ChainId;
import dev.guardian.service.startup.StartupRefusal;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.web3j.protocol.Web3j;

/**
 * Wires the chain from {@code guardian.chain}: the endpoint (configured, or the development mode's
 * through {@link ChainEndpointOverride}), the asset registry, the Web3j client and the adapter, which
 * checks the node's chain id before Guardian takes a request, and the chain's readiness indicator.
 */
@Configuration(proxyBeanMethods = false)
class ChainConfiguration {

    @Bean
    ChainEndpoint chainEndpoint(ChainProperties chain, ObjectProvider<ChainEndpointOverride> override) {
        ChainEndpointOverride supplied = override.getIfAvailable();
        if (supplied != null) {
            return supplied.endpoint();
        }
        if (chain.rpcUrl() == null) {
            throw new IllegalStateException(
                    "guardian.chain.rpc-url is not set (env GUARDIAN_CHAIN_RPC_URL); for a local"
                            + " chain, run the development mode (see README)");
        }
        if (chain.usdc().address() == null) {
            throw new IllegalStateException(
                    "guardian.chain.usdc.address is not set: the profiles base and base-sepolia"
                            + " set it (--spring.profiles.active=base); for any other chain set it, and guardian.chain.chain-id");
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

    @Bean
    TokenDomainProfile usdcDomainProfile(ChainProperties chain) {
        return new TokenDomainProfile(chain.usdc().eip712Name(), chain.usdc().eip712Version());
    }

    @Bean
    ChainContracts chainContracts(ChainProperties chain) {
        return new ChainContracts(
                optionalAddress("guardian.chain.l1-fee-oracle", chain.l1FeeOracle()),
                optionalAddress("guardian.chain.permit2", chain.permit2()));
    }

    private static Optional<Address> optionalAddress(String property, String value) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Address.parse(value.strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(property + ": " + e.getMessage());
        }
    }

    @Bean
    ConfirmationDepth confirmationDepth(ChainProperties chain) {
        return new ConfirmationDepth(chain.confirmationDepth());
    }

    @Bean(destroyMethod = "shutdown")
    Web3j web3j(ChainEndpoint endpoint, ChainProperties chain) {
        return ChainAdapter.connect(endpoint.rpcUrl(), chain.resilience().callTimeout());
    }

    @Bean
    ChainAdapter chainAdapter(
            Web3j web3j, ChainProperties chain, AssetRegistry assets, ChainContracts contracts, Clock clock) {
        ChainProperties.Resilience r = chain.resilience();
        ChainAdapter adapter = new ChainAdapter(
                web3j,
                new ChainId(chain.chainId()),
                assets,
                contracts,
                new ChainResilienceSettings(
                        r.callTimeout(),
                        r.readAttempts(),
                        r.readBackoff(),
                        r.failureRateThreshold(),
                        r.slidingWindowSize(),
                        r.minimumNumberOfCalls(),
                        r.openStateWait(),
                        r.maxConcurrentCalls()),
                clock);
        try {
            adapter.verifyChainId();
        } catch (ChainException e) {
            throw new StartupRefusal(
                    "guardian.chain.rpc-url",
                    "the chain cannot be used: " + e.getMessage()
                            + "; Guardian checks the node's chain id at start and does not start without it");
        } catch (IllegalStateException e) {
            throw new StartupRefusal("guardian.chain.chain-id / guardian.chain.rpc-url", e.getMessage());
        }
        return adapter;
    }

    /** {@code chain} in readiness (application.yml puts it in the group): named by Actuator after this method. */
    @Bean
    HealthIndicator chainHealthIndicator(
            Web3j web3j, ChainEndpoint endpoint, ChainProperties chain, ChainAdapter adapter, Clock clock) {
        ChainId chainId = new ChainId(chain.chainId());
        return new ChainHealthIndicator(
                new ChainProbe(web3j, chainId, endpoint.rpcUrl()),
                adapter.circuitBreaker(),
                chainId,
                chain.readiness().cacheFor(),
                chain.readiness().timeout(),
                clock);
    }
}
