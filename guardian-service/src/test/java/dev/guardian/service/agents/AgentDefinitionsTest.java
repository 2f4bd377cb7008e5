package dev.guardian.service.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.rules.BudgetPeriod;
import dev.guardian.service.policies.ConfiguredPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configured agents are parsed strictly, and every error names the property an operator must fix. */
class AgentDefinitionsTest {
    private static final Asset.Erc20 USDC =
            new Asset.Erc20(Address.parse("0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"), "USDC", 6);
    private static final AssetRegistry ASSETS = new AssetRegistry(Asset.ether(), List.of(USDC));
    private static final String HASH = "a".repeat(64);
    private static final String MERCHANT = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";

    @Test
    void parsesCapsBudgetsAndAllowlistIntoSmallestUnits() {
        AgentDefinition definition = AgentDefinitions.parse(
                        List.of(agent("bot", "wallet-1", policy(Map.of("USDC", "100.5"), "500", MERCHANT))), ASSETS)
                .getFirst();

        assertThat(definition.policy().perTransactionCaps())
                .containsEntry(USDC, TokenAmount.ofUnits(USDC, 100_500_000));
        assertThat(definition.policy().budgets().getFirst().limit()).isEqualTo(TokenAmount.ofUnits(USDC, 500_000_000));
        assertThat(definition.policy().budgets().getFirst().period())
                .isEqualTo(new BudgetPeriod.Rolling(Duration.ofHours(24)));
        assertThat(definition.policy().allowlist()).containsKey(Address.parse(MERCHANT));
        assertThat(definition.policy().version()).startsWith("config-");
    }

    @Test
    void theDerivedVersionChangesWithTheContent() {
        String first = AgentDefinitions.parse(
                        List.of(agent("bot", "w", policy(Map.of("USDC", "100"), "500", MERCHANT))), ASSETS)
                .getFirst()
                .policy()
                .version();
        String second = AgentDefinitions.parse(
                        List.of(agent("bot", "w", policy(Map.of("USDC", "100"), "600", MERCHANT))), ASSETS)
                .getFirst()
                .policy()
                .version();

        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void namesThePropertyOfAnOverPreciseCap() {
        assertThatThrownBy(() -> AgentDefinitions.parse(
                        List.of(agent("bot", "w", policy(Map.of("USDC", "0.0000001"), "500", MERCHANT))), ASSETS))
                .hasMessageStartingWith("guardian.agents[0].policy.per-transaction-cap.USDC:")
                .hasMessageContaining("6 decimal places");
    }

    @Test
    void namesThePropertyOfAnUnknownAsset() {
        assertThatThrownBy(() -> AgentDefinitions.parse(
                        List.of(agent("bot", "w", policy(Map.of("DOGE", "1"), "500", MERCHANT))), ASSETS))
                .hasMessageContaining(
                        "guardian.agents[0].policy.per-transaction-cap.DOGE: unknown asset 'DOGE'; known: ETH, USDC");
    }

    @Test
    void namesThePropertyOfABadAllowlistChecksum() {
        assertThatThrownBy(() -> AgentDefinitions.parse(
                        List.of(agent(
                                "bot", "w", policy(Map.of(), "500", "0x70997970c51812dC3A010C7d01b50e0d17dc79C8"))),
                        ASSETS))
                .hasMessageStartingWith("guardian.agents[0].policy.allowlist[0].address:")
                .hasMessageContaining("checksum");
    }

    @Test
    void refusesAnAgentOrWalletConfiguredTwice() {
        var policy = policy(Map.of(), "500", MERCHANT);
        assertThatThrownBy(() ->
                        AgentDefinitions.parse(List.of(agent("bot", "w1", policy), agent("bot", "w2", policy)), ASSETS))
                .hasMessageContaining("guardian.agents[1].id: agent bot is configured twice");
        assertThatThrownBy(() -> AgentDefinitions.parse(
                        List.of(agent("bot", "w1", policy), agent("other", "w1", policy)), ASSETS))
                .hasMessageContaining("guardian.agents[1].wallet.id: wallet w1 is configured twice");
    }

    @Test
    void refusesAnInvalidAgentId() {
        assertThatThrownBy(() ->
                        AgentDefinitions.parse(List.of(agent("Bad Id", "w", policy(Map.of(), "1", MERCHANT))), ASSETS))
                .hasMessageStartingWith("guardian.agents[0].id:");
    }

    private static AgentsProperties.Agent agent(String id, String wallet, ConfiguredPolicy policy) {
        return new AgentsProperties.Agent(id, null, HASH, false, new AgentsProperties.Wallet(wallet, null), policy);
    }

    private static ConfiguredPolicy policy(Map<String, String> caps, String budget, String allowed) {
        return new ConfiguredPolicy(
                null,
                caps,
                List.of(new ConfiguredPolicy.Budget("USDC", budget, Duration.ofHours(24))),
                List.of(new ConfiguredPolicy.AllowlistEntry(allowed, "merchant", null)),
                new ConfiguredPolicy.Approvals(Duration.ofHours(24), List.of()),
                null);
    }
}
