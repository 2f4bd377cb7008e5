package dev.guardian.service.treasury;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.identity.Role;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.PersonSpec;
import dev.guardian.service.testsupport.Treasury;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.web3j.crypto.Credentials;

/**
 * The treasury team runs agents through the API, without a restart: creates an agent with its policy
 * and wallet, freezes and unfreezes it, rotates and revokes its token, retires it, and stops every agent
 * at once with the kill switch. Real HTTP, a real PostgreSQL and a real Anvil; money checked on chain.
 */
class TreasuryApiTest {
    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final PersonSpec TREASURER = PersonSpec.person("treasurer", Role.TREASURY);
    private static final PersonSpec APPROVER = PersonSpec.person("approver", Role.APPROVER);

    private static GuardianInstance guardian;
    private static DevChain chain;
    private static Address usdc;
    private static Address merchant;
    private static Treasury desk;
    private static AgentClient treasury;

    @BeforeAll
    static void start() {
        chain = CHAIN.devChain();
        usdc = chain.deployTestUsdc();
        merchant = chain.devAccounts().get(5);
        guardian = GuardianInstance.builder(CHAIN.anvil().rpcUrl(), usdc)
                .person(TREASURER)
                .person(APPROVER)
                .start();
        desk = new Treasury(guardian, TREASURER, chain);
        treasury = desk.client();
    }

    @AfterAll
    static void stop() {
        guardian.close();
    }

    @Test
    void anAgentCreatedThroughTheApiPaysWithTheTokenShownOnceFromTheWalletGuardianGenerated() {
        AgentClient.Response created = createAgent("ops-bot");
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        String token = created.text("token");
        assertThat(token).startsWith("grd_");
        assertThat(created.body().get("agent").get("policyVersion").asInt()).isEqualTo(1);

        Address wallet = createWallet("ops-bot", "ops-wallet");
        chain.mintUsdc(usdc, wallet, usdcAmount("100"));

        AgentClient agent = new AgentClient(guardian.baseUrl(), token);
        AgentClient.Response paid = agent.pay(merchant.toString(), "12.5");
        assertThat(paid.status()).as(paid.raw().body()).isEqualTo(202);
        agent.awaitStatus(paid.text("id"), Duration.ofSeconds(20), "CONFIRMED");
        assertThat(chain.usdcBalance(usdc, wallet)).isEqualTo(usdcAmount("87.5"));
        assertThat(agent.request(paid.text("id")).text("policyVersion")).isEqualTo("1");

        AgentClient.Response listed = treasury.get("/v1/agents/ops-bot/wallets");
        assertThat(listed.status()).isEqualTo(200);
        Map<String, BigDecimal> balances = new HashMap<>();
        listed.body()
                .get(0)
                .get("balances")
                .forEach(b -> balances.put(
                        b.get("asset").asString(),
                        new BigDecimal(b.get("amount").asString())));
        assertThat(balances.get("USDC")).isEqualByComparingTo("87.5");
        assertThat(balances.get("ETH"))
                .as("1 ETH less the gas of one payment")
                .isLessThan(BigDecimal.ONE)
                .isGreaterThan(new BigDecimal("0.99"));
        assertThat(treasury.get("/v1/agents").raw().body()).contains("ops-bot").doesNotContain(token);
        assertThat(treasury.get("/v1/wallets").raw().body()).contains(wallet.toString());
        assertThat(auditEvents("ops-bot"))
                .contains("agent-created", "policy-version-created", "policy-activated", "wallet-created");
        for (String event : List.of("agent-created", "policy-activated", "wallet-created")) {
            assertThat(actorsOf(event, "ops-bot")).as(event).containsOnly("person:treasurer");
        }
    }

    @Test
    void anAgentSeesNeitherAnotherAgentsRequestsNorItsWallets() {
        AgentClient payer = fundedAgent("nosy-target");
        String id = payer.pay(merchant.toString(), "1").text("id");
        AgentClient nosy = fundedAgent("nosy-bot");

        assertThat(nosy.request(id).status())
                .as("another agent's request is not found, not forbidden")
                .isEqualTo(404);
        assertThat(nosy.get("/v1/wallet?walletId=nosy-target-wallet").status()).isEqualTo(404);
        assertThat(payer.request(id).status()).isEqualTo(200);
    }

    @Test
    void anImportedKeyIsSealedOnceAndNeverShownAgain() {
        createAgent("importer");
        String privateKey = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318";
        Address expected = Address.parseLenient(Credentials.create(privateKey).getAddress());

        AgentClient.Response imported = treasury.post(
                "/v1/agents/importer/wallets",
                "{\"walletId\":\"imported-wallet\",\"privateKey\":\"0x" + privateKey + "\"}",
                Optional.empty());

        assertThat(imported.status()).as(imported.raw().body()).isEqualTo(201);
        assertThat(imported.text("address")).isEqualTo(expected.toString());
        assertThat(imported.raw().body()).doesNotContainIgnoringCase(privateKey);
        assertThat(actorsOf("wallet-imported", "importer")).containsOnly("person:treasurer");
        AgentClient.Response again = treasury.post(
                "/v1/agents/importer/wallets",
                "{\"walletId\":\"imported-again\",\"privateKey\":\"" + privateKey + "\"}",
                Optional.empty());
        assertThat(again.status()).as("one key, one wallet").isEqualTo(409);
        assertThat(again.text("type")).endsWith("conflict/wallet-exists");
        assertThat(treasury.get("/v1/agents/importer").raw().body()).doesNotContainIgnoringCase(privateKey);
        assertThat(jdbc().sql("select count(*) from wallets where encode(sealed_key, 'hex') like :key")
                        .param("key", "%" + privateKey + "%")
                        .query(Long.class)
                        .single())
                .as("stored only sealed")
                .isZero();
    }

    @Test
    void anAgentWithTwoWalletsNamesTheOneItPaysFromAndItsBudgetCountsBoth() {
        AgentClient agent = fundedAgent("two-wallets");
        Address second = createWallet("two-wallets", "two-wallets-second");
        chain.mintUsdc(usdc, second, usdcAmount("100"));

        AgentClient.Response unnamed = agent.pay(merchant.toString(), "1");
        assertThat(unnamed.status()).as(unnamed.raw().body()).isEqualTo(400);
        assertThat(unnamed.body().get("errors").get(0).get("pointer").asString())
                .isEqualTo("/walletId");
        AgentClient.Response fromSecond = agent.post("/v1/payments", """
                {"recipient": "%s", "amount": "40", "walletId": "two-wallets-second"}""".formatted(merchant), Optional.empty());
        assertThat(fromSecond.status()).as(fromSecond.raw().body()).isEqualTo(202);
        agent.awaitStatus(fromSecond.text("id"), Duration.ofSeconds(20), "CONFIRMED");
        assertThat(chain.usdcBalance(usdc, second)).isEqualTo(usdcAmount("60"));
        AgentClient.Response fromFirst = agent.post("/v1/payments", """
                {"recipient": "%s", "amount": "45", "walletId": "two-wallets-wallet"}""".formatted(merchant), Optional.empty());
        assertThat(fromFirst.status()).as(fromFirst.raw().body()).isEqualTo(202);

        AgentClient.Response overBudget = agent.post("/v1/payments", """
                {"recipient": "%s", "amount": "20", "walletId": "two-wallets-second"}""".formatted(merchant), Optional.empty());
        assertThat(overBudget.status())
                .as("40 + 45 + 20 > 100, whichever wallet pays")
                .isEqualTo(403);
        assertThat(overBudget.raw().body()).contains("budget.window");
        AgentClient.Response notItsOwn = agent.post("/v1/payments", """
                {"recipient": "%s", "amount": "1", "walletId": "ops-wallet"}""".formatted(merchant), Optional.empty());
        assertThat(notItsOwn.status()).as("another agent's wallet").isEqualTo(400);
        assertThat(agent.get("/v1/wallet?walletId=two-wallets-second").text("address"))
                .isEqualTo(second.toString());
    }

    @Test
    void aFreezeStopsTheNextRequestAndAnUnfreezeLetsTheFollowingOneThrough() {
        AgentClient agent = fundedAgent("freezable");

        AgentClient.Response frozen =
                treasury.post("/v1/agents/freezable/freeze", "{\"comment\":\"odd pattern\"}", Optional.empty());
        assertThat(frozen.status()).as(frozen.raw().body()).isEqualTo(200);
        AgentClient.Response refused = agent.pay(merchant.toString(), "1");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.raw().body()).contains("agent.frozen");

        treasury.post("/v1/agents/freezable/unfreeze", "{\"comment\":\"checked\"}", Optional.empty());
        AgentClient.Response allowed = agent.pay(merchant.toString(), "1");
        assertThat(allowed.status()).as(allowed.raw().body()).isEqualTo(202);
        assertThat(auditEvents("freezable")).contains("agent-frozen", "agent-unfrozen");
        assertThat(actorsOf("agent-frozen", "freezable")).containsOnly("person:treasurer");
    }

    @Test
    void aRotatedTokenFailsOnTheVeryNextCallAndARevokedOneToo() {
        AgentClient old = fundedAgent("rotating");
        assertThat(old.wallet().status()).isEqualTo(200);

        AgentClient.Response rotated = treasury.post("/v1/agents/rotating/credentials", "", Optional.empty());
        assertThat(rotated.status()).as(rotated.raw().body()).isEqualTo(200);
        AgentClient fresh = new AgentClient(guardian.baseUrl(), rotated.text("token"));

        assertThat(old.wallet().status()).isEqualTo(401);
        assertThat(fresh.wallet().status()).isEqualTo(200);
        assertThat(treasury.send("DELETE", "/v1/agents/rotating/credentials", null)
                        .status())
                .isEqualTo(200);
        assertThat(fresh.wallet().status()).isEqualTo(401);
    }

    @Test
    void aRetiredAgentLosesItsTokensAndCannotBeUnfrozen() {
        AgentClient agent = fundedAgent("retiring");

        AgentClient.Response retired =
                treasury.post("/v1/agents/retiring/retire", "{\"comment\":\"project over\"}", Optional.empty());

        assertThat(retired.status()).as(retired.raw().body()).isEqualTo(200);
        assertThat(retired.text("status")).isEqualTo("RETIRED");
        assertThat(agent.wallet().status()).isEqualTo(401);
        AgentClient.Response unfreeze = treasury.post("/v1/agents/retiring/unfreeze", "{}", Optional.empty());
        assertThat(unfreeze.status()).isEqualTo(409);
        assertThat(treasury.post("/v1/agents/retiring/credentials", "", Optional.empty())
                        .status())
                .isEqualTo(409);
        assertThat(actorsOf("agent-retired", "retiring")).containsOnly("person:treasurer");
    }

    @Test
    void theKillSwitchStopsEveryAgentAndItsPendingApprovalsUntilReleasedAndLeavesSingleFreezesAlone() {
        AgentClient first = fundedAgent("switch-one");
        AgentClient second = fundedAgent("switch-two");
        fundedAgent("switch-frozen");
        treasury.post("/v1/agents/switch-frozen/freeze", "{\"comment\":\"on its own\"}", Optional.empty());
        String pending = first.pay(merchant.toString(), "60").text("id");
        assertThat(first.request(pending).text("status")).isEqualTo("PENDING_APPROVAL");

        assertThat(treasury.post("/v1/kill-switch/engage", "{}", Optional.empty())
                        .status())
                .as("a comment is required")
                .isEqualTo(400);
        AgentClient.Response engaged =
                treasury.post("/v1/kill-switch/engage", "{\"comment\":\"incident 42\"}", Optional.empty());
        assertThat(engaged.status()).as(engaged.raw().body()).isEqualTo(200);
        for (AgentClient agent : List.of(first, second)) {
            AgentClient.Response refused = agent.pay(merchant.toString(), "1");
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.raw().body()).contains("guardian.all-agents-frozen");
        }
        AgentClient.Response approval = guardian.client(APPROVER)
                .post("/v1/approvals/" + pending + "/approve", "{\"comment\":\"ok\"}", Optional.empty());
        assertThat(approval.text("outcome")).isEqualTo("RECHECK_FAILED");
        assertThat(approval.body().get("request").get("txHash"))
                .as("nothing signed")
                .isNull();

        treasury.post("/v1/kill-switch/release", "{\"comment\":\"incident closed\"}", Optional.empty());
        assertThat(first.pay(merchant.toString(), "1").status()).isEqualTo(202);
        assertThat(treasury.get("/v1/agents/switch-frozen").body().get("frozen").asBoolean())
                .as("its own freeze stays")
                .isTrue();
        assertThat(jdbc().sql(
                                "select actor from audit_log where event in ('all-agents-frozen', 'all-agents-unfrozen') order by seq")
                        .query(String.class)
                        .list())
                .containsExactly("person:treasurer", "person:treasurer");
    }

    @Test
    void anInvalidPolicyPointsAtTheFieldAndCreatesNothing() {
        AgentClient.Response refused = treasury.post("/v1/agents", """
                {"id": "invalid-bot", "policy": {"budgets": [{"asset": "USDC", "limit": "1.0000001", "window": "24h"}]}}
                """, Optional.empty());

        assertThat(refused.status()).as(refused.raw().body()).isEqualTo(422);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.body().get("errors").get(0).get("pointer").asString())
                .isEqualTo("/policy/budgets/0/limit");
        assertThat(treasury.get("/v1/agents/invalid-bot").status()).isEqualTo(404);
        AgentClient.Response unknownTeam = treasury.post("/v1/agents", """
                {"id": "teamless-bot", "team": "nobody", "policy": {}}
                """, Optional.empty());
        assertThat(unknownTeam.status()).isEqualTo(400);
        assertThat(unknownTeam.body().get("errors").get(0).get("pointer").asString())
                .isEqualTo("/team");
        assertThat(treasury.get("/v1/agents/teamless-bot").status()).isEqualTo(404);
    }

    @Test
    void anAgentIdIsNeverReused() {
        createAgent("once-only");
        AgentClient.Response again = createAgent("once-only");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.text("type")).endsWith("conflict/agent-exists");
    }

    @Test
    void anAgentWithoutAWalletIsToldSo() {
        AgentClient agent =
                new AgentClient(guardian.baseUrl(), createAgent("walletless").text("token"));
        AgentClient.Response refused = agent.pay(merchant.toString(), "1");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.text("type")).endsWith("conflict/agent-has-no-wallet");
    }

    private static String policy() {
        return """
                {"perTransaction": {"USDC": {"escalateAbove": "50"}},
                 "budgets": [{"asset": "USDC", "limit": "100", "window": "24h"}],
                 "allowlist": [{"address": "%s", "label": "Merchant"}]}
                """.formatted(merchant);
    }

    private static AgentClient.Response createAgent(String id) {
        return desk.postAgent(id, Optional.empty(), policy());
    }

    private static Address createWallet(String agentId, String walletId) {
        return desk.createWallet(agentId, walletId);
    }

    /** An agent with a wallet holding 100 USDC (and ETH for gas). */
    private static AgentClient fundedAgent(String id) {
        AgentClient agent = desk.createAgent(id, policy());
        chain.mintUsdc(usdc, createWallet(id, id + "-wallet"), usdcAmount("100"));
        return agent;
    }

    private static TokenAmount usdcAmount(String amount) {
        return TokenAmount.parse(DevChain.usdcAsset(usdc), amount);
    }

    private static JdbcClient jdbc() {
        return guardian.bean(JdbcClient.class);
    }

    private static List<String> auditEvents(String agent) {
        return jdbc().sql("select event from audit_log where payload->>'agent' = :agent order by seq")
                .param("agent", agent)
                .query(String.class)
                .list();
    }

    private static List<String> actorsOf(String event, String agent) {
        return jdbc().sql("select actor from audit_log where event = :event and payload->>'agent' = :agent")
                .param("event", event)
                .param("agent", agent)
                .query(String.class)
                .list();
    }
}
