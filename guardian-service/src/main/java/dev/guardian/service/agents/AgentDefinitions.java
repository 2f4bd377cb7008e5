package dev.guardian.service.agents;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.Hex;
import dev.guardian.policy.Sha256;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.WalletId;
import dev.guardian.policy.rules.Approvals;
import dev.guardian.policy.rules.Policy;
import dev.guardian.policy.rules.WindowBudget;
import dev.guardian.service.policies.ConfiguredPolicy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Turns configured agents into {@link AgentDefinition}s, checking what annotations cannot: ids, unknown
 * asset symbols, amounts with too many decimals, bad addresses, duplicates. Every error names the
 * property path, so a bad configuration stops start-up with a message the operator can act on.
 */
public final class AgentDefinitions {
    private AgentDefinitions() {}

    public static List<AgentDefinition> parse(List<AgentsProperties.Agent> agents, AssetRegistry assets) {
        List<AgentDefinition> definitions = new ArrayList<>();
        Set<String> agentIds = new HashSet<>();
        Set<String> walletIds = new HashSet<>();
        for (int i = 0; i < agents.size(); i++) {
            String path = "guardian.agents[" + i + "]";
            AgentsProperties.Agent agent = agents.get(i);
            AgentDefinition definition = parse(path, agent, assets);
            if (!agentIds.add(definition.id().value())) {
                throw new IllegalArgumentException(path + ".id: agent " + definition.id() + " is configured twice");
            }
            if (!walletIds.add(definition.walletId().value())) {
                throw new IllegalArgumentException(
                        path + ".wallet.id: wallet " + definition.walletId() + " is configured twice");
            }
            definitions.add(definition);
        }
        return definitions;
    }

    private static AgentDefinition parse(String path, AgentsProperties.Agent agent, AssetRegistry assets) {
        AgentId id = field(path + ".id", () -> new AgentId(agent.id()));
        WalletId walletId =
                field(path + ".wallet.id", () -> new WalletId(agent.wallet().id()));
        byte[] keyHash = field(path + ".api-key-sha256", () -> Hex.decode(agent.apiKeySha256()));
        Policy policy = parsePolicy(path + ".policy", agent.policy(), assets);
        return new AgentDefinition(
                id,
                agent.name(),
                keyHash,
                agent.frozen(),
                walletId,
                Optional.ofNullable(agent.wallet().importKeyFile()),
                agent.policy(),
                policy);
    }

    public static Policy parsePolicy(String path, ConfiguredPolicy policy, AssetRegistry assets) {
        Map<Asset, TokenAmount> caps = new LinkedHashMap<>();
        policy.perTransactionCap().forEach((symbol, amount) -> {
            Asset asset = asset(path + ".per-transaction-cap." + symbol, symbol, assets);
            caps.put(asset, field(path + ".per-transaction-cap." + symbol, () -> TokenAmount.parse(asset, amount)));
        });
        List<WindowBudget> budgets = new ArrayList<>();
        for (int b = 0; b < policy.budgets().size(); b++) {
            ConfiguredPolicy.Budget budget = policy.budgets().get(b);
            String budgetPath = path + ".budgets[" + b + "]";
            Asset asset = asset(budgetPath + ".asset", budget.asset(), assets);
            TokenAmount limit = field(budgetPath + ".limit", () -> TokenAmount.parse(asset, budget.limit()));
            budgets.add(field(budgetPath + ".window", () -> new WindowBudget(limit, budget.window())));
        }
        Map<Address, String> allowlist = new LinkedHashMap<>();
        for (int a = 0; a < policy.allowlist().size(); a++) {
            ConfiguredPolicy.AllowlistEntry entry = policy.allowlist().get(a);
            Address address = field(path + ".allowlist[" + a + "].address", () -> Address.parse(entry.address()));
            allowlist.put(address, entry.label());
        }
        List<Approvals.Step> steps = new ArrayList<>();
        for (int q = 0; q < policy.approvals().quorum().size(); q++) {
            ConfiguredPolicy.QuorumStep step = policy.approvals().quorum().get(q);
            String stepPath = path + ".approvals.quorum[" + q + "]";
            Asset asset = asset(stepPath + ".asset", step.asset(), assets);
            TokenAmount above = field(stepPath + ".above", () -> TokenAmount.parse(asset, step.above()));
            steps.add(field(stepPath + ".approvals", () -> new Approvals.Step(above, step.approvals())));
        }
        Approvals approvals = field(
                path + ".approvals.deadline",
                () -> new Approvals(policy.approvals().deadline(), steps));
        String version = policy.version() == null || policy.version().isBlank()
                ? "config-" + contentHash(caps, budgets, allowlist, approvals)
                : policy.version();
        return new Policy(version, caps, budgets, allowlist, approvals);
    }

    private static Asset asset(String path, String symbol, AssetRegistry assets) {
        return assets.bySymbol(symbol)
                .orElseThrow(() -> new IllegalArgumentException(
                        path + ": unknown asset '" + symbol + "'; known: " + knownSymbols(assets)));
    }

    private static String knownSymbols(AssetRegistry assets) {
        List<String> symbols = new ArrayList<>();
        symbols.add(assets.nativeAsset().symbol());
        assets.tokens().forEach(t -> symbols.add(t.symbol()));
        return String.join(", ", symbols);
    }

    /** A version that changes whenever the policy's content does, so decisions name what judged them. */
    private static String contentHash(Object... parts) {
        MessageDigest digest = Sha256.newDigest();
        for (Object part : parts) {
            digest.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
        }
        return Hex.encode(digest.digest()).substring(2, 14);
    }

    private static <T> T field(String path, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
    }
}
