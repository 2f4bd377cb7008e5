package dev.guardian.service.devmode;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.WalletId;
import dev.guardian.service.agents.AdditionalAgents;
import dev.guardian.service.agents.AgentDefinition;
import dev.guardian.service.agents.AgentDefinitions;
import dev.guardian.service.agents.FallbackKeyEncryptionKey;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.chain.ChainEndpoint;
import dev.guardian.service.chain.ChainEndpointOverride;
import dev.guardian.service.devchain.AnvilProcess;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.identity.AdditionalPeople;
import dev.guardian.service.identity.ApiKeys;
import dev.guardian.service.identity.PeopleProperties;
import dev.guardian.service.identity.Role;
import dev.guardian.service.policies.ConfiguredPolicy;
import dev.guardian.service.safe.SafeContracts;
import dev.guardian.service.safe.SafeContractsOverride;
import dev.guardian.signer.KeyEncryptionKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;

/**
 * The local world of the development mode: Anvil with the test USDC, the payment router and the Safe 1.4.1
 * contracts of co-signed wallets deployed by Anvil's unlocked dev account (no private key in our code), the
 * development KEK, and one demo agent whose API key is generated at each start and printed once. It supplies
 * them through the small interfaces the features that use them own (the chain endpoint, the Safe contracts,
 * the fallback KEK, additional agents and people), so no feature knows the development mode.
 */
class LocalDevelopment
        implements ChainEndpointOverride,
                FallbackKeyEncryptionKey,
                AdditionalAgents,
                AdditionalPeople,
                SafeContractsOverride {
    private static final Logger log = LoggerFactory.getLogger(LocalDevelopment.class);
    static final AgentId DEMO_AGENT = new AgentId("demo-agent");
    static final WalletId DEMO_WALLET = new WalletId("demo-wallet");

    private final AnvilProcess anvil;
    private final Web3j web3j;
    private final DevChain chain;
    private final Address usdc;
    private final Address router;
    private final SafeContracts safeContracts;
    private final Path kekFile;
    private final String demoApiKey = ApiKeys.generate();
    private final String demoApproverToken = ApiKeys.generate();

    LocalDevelopment(AnvilProcess anvil, Path kekFile) {
        this.anvil = anvil;
        this.kekFile = kekFile;
        this.web3j = ChainAdapter.connect(anvil.rpcUrl(), Duration.ofSeconds(10));
        this.chain = DevChain.attach(web3j);
        this.usdc = chain.deployTestUsdc();
        this.router = chain.deployPaymentRouter();
        this.safeContracts = chain.deploySafeContracts();
        log.warn(
                "DEVELOPMENT MODE: local Anvil at {} (chain {}), test USDC at {}, payment router at {}, Safe 1.4.1"
                        + " singleton at {}",
                anvil.rpcUrl(),
                anvil.chainId(),
                usdc,
                router,
                safeContracts.singleton());
    }

    @Override
    public ChainEndpoint endpoint() {
        return new ChainEndpoint(anvil.rpcUrl(), usdc);
    }

    @Override
    public SafeContracts safeContracts() {
        return safeContracts;
    }

    @Override
    public KeyEncryptionKey keyEncryptionKey() {
        if (!Files.exists(kekFile)) {
            try {
                Files.createDirectories(kekFile.toAbsolutePath().getParent());
            } catch (IOException e) {
                throw new IllegalStateException("cannot create " + kekFile.getParent() + ": " + e.getMessage());
            }
            try (KeyEncryptionKey fresh = KeyEncryptionKey.generate()) {
                fresh.writeTo(kekFile);
            }
            log.warn("""

                    ************************************************************************
                    DEVELOPMENT MODE created a NEW key-encryption key in {}
                    It protects wallet keys at rest. Fine for a laptop, never for real money:
                    in production set guardian.keys.kek or guardian.keys.kek-file.
                    ************************************************************************""", kekFile.toAbsolutePath());
        } else {
            log.warn("DEVELOPMENT MODE uses the development key-encryption key in {}", kekFile.toAbsolutePath());
        }
        return KeyEncryptionKey.fromFile(kekFile);
    }

    @Override
    public List<AgentDefinition> agents(AssetRegistry assets) {
        // Written as an operator would configure it, so the demo policy becomes version 1 the same way.
        ConfiguredPolicy policy = new ConfiguredPolicy(
                null,
                Map.of("USDC", "100", assets.nativeAsset().symbol(), "0.05"),
                List.of(
                        new ConfiguredPolicy.Budget("USDC", "500", Duration.ofHours(24)),
                        new ConfiguredPolicy.Budget(assets.nativeAsset().symbol(), "0.5", Duration.ofHours(24))),
                List.of(
                        new ConfiguredPolicy.AllowlistEntry(
                                demoMerchant().toString(), "Demo merchant (Anvil account 1)", null),
                        new ConfiguredPolicy.AllowlistEntry(router.toString(), "Payment router", null)),
                new ConfiguredPolicy.Approvals(
                        Duration.ofHours(24), List.of(new ConfiguredPolicy.QuorumStep("USDC", "250", 2))),
                new ConfiguredPolicy.Fees(null, null, null, null));
        return List.of(new AgentDefinition(
                DEMO_AGENT,
                "Demo agent",
                ApiKeys.sha256(demoApiKey),
                false,
                DEMO_WALLET,
                Optional.empty(),
                policy,
                AgentDefinitions.parsePolicy("development mode's demo policy", policy, assets)));
    }

    @Override
    public List<PeopleProperties.Person> people() {
        return List.of(new PeopleProperties.Person(
                "demo-approver",
                "Demo approver",
                HexFormat.of().formatHex(ApiKeys.sha256(demoApproverToken)),
                List.of(Role.APPROVER, Role.AUDITOR)));
    }

    String demoApproverToken() {
        return demoApproverToken;
    }

    Address demoMerchant() {
        return chain.devAccounts().get(1);
    }

    Address usdc() {
        return usdc;
    }

    Address router() {
        return router;
    }

    DevChain chain() {
        return chain;
    }

    String demoApiKey() {
        return demoApiKey;
    }

    void close() {
        web3j.shutdown();
    }
}
