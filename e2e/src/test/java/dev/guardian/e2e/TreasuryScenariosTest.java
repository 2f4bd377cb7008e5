package dev.guardian.e2e;

import static dev.guardian.e2e.Answers.POLICY_DENIED;
import static dev.guardian.e2e.Answers.PROBLEM_JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.guardian.e2e.Answers.SeenReason;
import dev.guardian.policy.Address;
import dev.guardian.service.identity.Role;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.PersonSpec;
import dev.guardian.service.testsupport.TestAddresses;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A treasury team runs an agent through the API alone, on a Guardian that was started with no agents:
 * it creates the agent with a policy, gives it a wallet, lowers its budget with a new policy version,
 * and rolls back. Each payment after a change is judged by the version active at that moment, and
 * what the chain holds afterwards is read back with Web3j.
 */
class TreasuryScenariosTest {
    private static final Duration SETTLE = Duration.ofSeconds(20);
    private static final String AGENT = "invoice-bot";

    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final PersonSpec TREASURER = PersonSpec.person("tess", Role.TREASURY);
    private static final Address SUPPLIER = TestAddresses.fresh();

    private static OnChain chain;
    private static GuardianInstance guardian;
    private static AgentClient treasury;

    @BeforeAll
    static void startGuardianWithoutAgents() {
        chain = OnChain.withFreshUsdc(CHAIN);
        guardian = GuardianInstance.builder(CHAIN.anvil().rpcUrl(), chain.usdcAddress())
                .person(TREASURER)
                .start();
        treasury = new AgentClient(guardian.baseUrl(), TREASURER.token());
    }

    @AfterAll
    static void stopGuardian() {
        if (guardian != null) {
            guardian.close();
        }
    }

    @Test
    void aBudgetLoweredThroughTheApiJudgesTheNextPaymentAndRollingBackRestoresTheOldOne() {
        // (a) The agent, its policy (version 1) and its wallet, all through the API; funded as a treasury would.
        AgentClient.Response created =
                treasury.post("/v1/agents", """
                {"id": "%s", "name": "Invoice bot", "comment": "pays supplier invoices", "policy": %s}
                """.formatted(AGENT, policy("100")), Optional.empty());
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        assertThat(created.body().get("agent").get("policyVersion").asInt()).isEqualTo(1);
        AgentClient agent = new AgentClient(guardian.baseUrl(), created.text("token"));

        AgentClient.Response wallet = treasury.post("/v1/agents/" + AGENT + "/wallets", """
                {"walletId": "invoice-bot-wallet"}""", Optional.empty());
        assertThat(wallet.status()).as(wallet.raw().body()).isEqualTo(201);
        Address walletAddress = chain.fundWallet(agent, "1000");
        assertThat(wallet.text("address")).isEqualTo(walletAddress.toString());

        AgentClient.Response first = agent.pay(SUPPLIER.toString(), "60");
        assertThat(first.status()).as(first.raw().body()).isEqualTo(202);
        assertThat(confirmed(agent, first).text("policyVersion")).isEqualTo("1");

        // (b) Version 2 lowers the budget to 50; once active, the next payment is judged by it.
        AgentClient.Response version2 =
                treasury.post("/v1/agents/" + AGENT + "/policies", policy("50"), Optional.empty());
        assertThat(version2.status()).as(version2.raw().body()).isEqualTo(201);
        int lowered = version2.body().get("version").asInt();
        assertThat(lowered).isEqualTo(2);
        activate(lowered);

        AgentClient.Response refused = agent.pay(SUPPLIER.toString(), "10");

        assertThat(refused.status()).as(refused.raw().body()).isEqualTo(403);
        assertThat(refused.contentType()).startsWith(PROBLEM_JSON);
        assertThat(refused.text("type")).isEqualTo(POLICY_DENIED);
        assertThat(Answers.reasons(refused))
                .extracting(SeenReason::ruleId, SeenReason::verdict)
                .containsExactly(tuple("budget.window", "DENY"));
        JsonNode figures = Answers.figuresOf(refused, "budget.window");
        assertThat(Answers.text(figures, "limit")).isEqualTo("50");
        assertThat(Answers.text(figures, "used")).isEqualTo("60");
        assertThat(Answers.text(figures, "attempted")).isEqualTo("10");
        AgentClient.Response refusedRequest = agent.request(refused.text("requestId"));
        assertThat(refusedRequest.text("status")).isEqualTo("DENIED");
        assertThat(refusedRequest.text("policyVersion")).isEqualTo(Integer.toString(lowered));

        // (c) Rolling back is activating version 1 again: the same payment is allowed and lands on chain.
        activate(1);

        AgentClient.Response allowed = agent.pay(SUPPLIER.toString(), "10");

        assertThat(allowed.status()).as(allowed.raw().body()).isEqualTo(202);
        assertThat(confirmed(agent, allowed).text("policyVersion")).isEqualTo("1");
        assertThat(chain.usdcBalance(SUPPLIER)).isEqualTo(chain.usdc("70"));
        assertThat(chain.usdcBalance(walletAddress)).isEqualTo(chain.usdc("930"));
        assertThat(chain.transactionCount(walletAddress))
                .as("the refused payment was never sent")
                .isEqualTo(2);
        Answers.assertUsdcBudget(agent, "0", "70");
    }

    /** The agent's policy: {@code budget} USDC per 24 hours, escalation above 1,000 USDC, the supplier allowlisted. */
    private static String policy(String budget) {
        return """
                {"perTransaction": {"USDC": {"escalateAbove": "1000"}},
                 "budgets": [{"asset": "USDC", "limit": "%s", "window": "24h"}],
                 "allowlist": [{"address": "%s", "label": "Supplier"}]}
                """.formatted(budget, SUPPLIER);
    }

    private static void activate(int version) {
        AgentClient.Response activated = treasury.post(
                "/v1/agents/" + AGENT + "/policies/" + version + "/activate",
                "{\"comment\": \"e2e: activate version " + version + "\"}",
                Optional.empty());
        assertThat(activated.status()).as(activated.raw().body()).isEqualTo(200);
        AgentClient.Response agent = treasury.get("/v1/agents/" + AGENT);
        assertThat(agent.body().get("policyVersion").asInt())
                .as("the agent's active version")
                .isEqualTo(version);
    }

    private static AgentClient.Response confirmed(AgentClient agent, AgentClient.Response accepted) {
        AgentClient.Response settled = agent.awaitStatus(accepted.text("id"), SETTLE, "CONFIRMED", "FAILED");
        assertThat(settled.text("status")).as(settled.raw().body()).isEqualTo("CONFIRMED");
        assertThat(chain.receipt(settled.text("txHash")).isStatusOK()).isTrue();
        return settled;
    }
}
