package dev.guardian.e2e;

import static dev.guardian.e2e.Answers.POLICY_DENIED;
import static dev.guardian.e2e.Answers.PROBLEM_JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.guardian.e2e.Answers.SeenEffect;
import dev.guardian.e2e.Answers.SeenReason;
import dev.guardian.policy.Address;
import dev.guardian.policy.Hex;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.Calldata;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.ShippedSanctionsList;
import dev.guardian.service.testsupport.TestAddresses;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import tools.jackson.databind.JsonNode;

/**
 * One agent's payments through one Guardian: allowed, denied for sanctions, escalated over the cap,
 * denied over the window budget, and a payment hidden in a router call. Each test has its own agent
 * (own wallet, own budget) on the one Guardian of this class.
 */
class PaymentScenariosTest {
    private static final Duration SETTLE = Duration.ofSeconds(20);
    private static final Duration DAY = Duration.ofHours(24);

    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final Address SHOP = TestAddresses.fresh();
    private static final Address SUPPLIER = TestAddresses.fresh();
    private static final Address LANDLORD = TestAddresses.fresh();
    private static final Address SANCTIONED = ShippedSanctionsList.addresses().get(0);

    private static final AgentSpec PAYER =
            AgentSpec.agent("payer").perTransactionCap("100").budget("500", DAY).allow(SHOP);
    // The operator put a sanctioned address on the allowlist: screening must still refuse it.
    private static final AgentSpec CARELESS = AgentSpec.agent("careless")
            .perTransactionCap("100")
            .budget("500", DAY)
            .allow(SANCTIONED);
    private static final AgentSpec BIG_SPENDER = AgentSpec.agent("big-spender")
            .perTransactionCap("100")
            .budget("500", DAY)
            .allow(SUPPLIER);
    private static final AgentSpec TENANT = AgentSpec.agent("tenant")
            .perTransactionCap("100")
            .budget("250", DAY)
            .allow(LANDLORD);
    private static AgentSpec routerUser;

    private static OnChain chain;
    private static Address router;
    private static GuardianInstance guardian;

    @BeforeAll
    static void startGuardian() {
        chain = OnChain.withFreshUsdc(CHAIN);
        router = chain.dev().deployPaymentRouter();
        routerUser = AgentSpec.agent("router-user")
                .perTransactionCap("100")
                .budget("500", DAY)
                .allow(router);
        guardian = GuardianInstance.builder(CHAIN.anvil().rpcUrl(), chain.usdcAddress())
                .agent(PAYER)
                .agent(CARELESS)
                .agent(BIG_SPENDER)
                .agent(TENANT)
                .agent(routerUser)
                .start();
    }

    @AfterAll
    static void stopGuardian() {
        if (guardian != null) {
            guardian.close();
        }
    }

    @Test
    void confirmsAnAllowedPaymentAndMovesExactlyItsAmountOnChain() {
        AgentClient agent = guardian.client(PAYER);
        Address wallet = chain.fundWallet(agent, "1000");

        AgentClient.Response paid = agent.pay(SHOP.toString(), "25.5");

        assertThat(paid.status()).as(paid.raw().body()).isEqualTo(202);
        assertThat(paid.text("status"))
                .isIn("SUBMITTED", "CONFIRMED"); // the receipt worker may settle it before the answer is written
        assertThat(paid.header("Location")).endsWith("/v1/requests/" + paid.text("id"));
        AgentClient.Response confirmed = agent.awaitStatus(paid.text("id"), SETTLE, "CONFIRMED", "FAILED");
        assertThat(confirmed.text("status")).isEqualTo("CONFIRMED");

        TransactionReceipt receipt = chain.receipt(confirmed.text("txHash"));
        assertThat(receipt.isStatusOK()).isTrue();
        assertThat(Address.parseLenient(receipt.getFrom())).isEqualTo(wallet);
        assertThat(Address.parseLenient(receipt.getTo())).isEqualTo(chain.usdcAddress());
        assertThat(receipt.getBlockNumber().longValueExact())
                .isEqualTo(confirmed.body().get("blockNumber").asLong());
        assertThat(chain.usdcBalance(wallet)).isEqualTo(chain.usdc("974.5"));
        assertThat(chain.usdcBalance(SHOP)).isEqualTo(chain.usdc("25.5"));
        assertThat(chain.transactionCount(wallet)).isEqualTo(1);

        Answers.assertUsdcBudget(agent, "0", "25.5");
    }

    @Test
    void deniesPaymentToAnOfacListedAddressEvenWhenAllowlistedAndMovesNothing() {
        AgentClient agent = guardian.client(CARELESS);
        Address wallet = chain.fundWallet(agent, "1000");

        AgentClient.Response refused = agent.pay(SANCTIONED.toString(), "10");

        assertThat(refused.status()).as(refused.raw().body()).isEqualTo(403);
        assertThat(refused.contentType()).startsWith(PROBLEM_JSON);
        assertThat(refused.text("type")).isEqualTo(POLICY_DENIED);
        assertThat(Answers.reasons(refused))
                .containsExactly(new SeenReason("sanctions.hit", "DENY", SANCTIONED.toString()));
        assertThat(agent.request(refused.text("requestId")).text("status")).isEqualTo("DENIED");

        assertThat(chain.usdcBalance(wallet)).isEqualTo(chain.usdc("1000"));
        assertThat(chain.usdcBalance(SANCTIONED)).isEqualTo(chain.usdc("0"));
        assertThat(chain.transactionCount(wallet)).isZero();
        Answers.assertUsdcBudget(agent, "0", "0");
    }

    @Test
    void escalatesPaymentAboveThePerTransactionCapHoldsItsBudgetAndMovesNothing() {
        AgentClient agent = guardian.client(BIG_SPENDER);
        Address wallet = chain.fundWallet(agent, "1000");

        AgentClient.Response escalated = agent.pay(SUPPLIER.toString(), "150");

        assertThat(escalated.status()).as(escalated.raw().body()).isEqualTo(202);
        assertThat(escalated.text("status")).isEqualTo("PENDING_APPROVAL");
        assertThat(escalated.text("verdict")).isEqualTo("ESCALATE");
        assertThat(Answers.reasons(escalated))
                .extracting(SeenReason::ruleId, SeenReason::verdict)
                .containsExactly(tuple("cap.per-transaction", "ESCALATE"));
        JsonNode figures = Answers.figuresOf(escalated, "cap.per-transaction");
        assertThat(Answers.text(figures, "asset")).isEqualTo("USDC");
        assertThat(Answers.text(figures, "limit")).isEqualTo("100");
        assertThat(Answers.text(figures, "attempted")).isEqualTo("150");

        // An allowed payment after it, followed to its receipt, shows the worker has run past the
        // escalated one: if that were ever going to be signed, it would have been by now.
        AgentClient.Response small = agent.pay(SUPPLIER.toString(), "20");
        assertThat(small.status()).as(small.raw().body()).isEqualTo(202);
        assertThat(agent.awaitStatus(small.text("id"), SETTLE, "CONFIRMED", "FAILED")
                        .text("status"))
                .isEqualTo("CONFIRMED");

        assertThat(agent.request(escalated.text("id")).text("status")).isEqualTo("PENDING_APPROVAL");
        assertThat(chain.usdcBalance(SUPPLIER)).isEqualTo(chain.usdc("20"));
        assertThat(chain.usdcBalance(wallet)).isEqualTo(chain.usdc("980"));
        assertThat(chain.transactionCount(wallet)).isEqualTo(1);
        Answers.assertUsdcBudget(agent, "150", "20");
    }

    @Test
    void deniesThePaymentThatWouldCrossTheWindowBudgetAndConfirmsTheOnesBefore() {
        AgentClient agent = guardian.client(TENANT);
        Address wallet = chain.fundWallet(agent, "1000");

        AgentClient.Response first = agent.pay(LANDLORD.toString(), "100");
        AgentClient.Response second = agent.pay(LANDLORD.toString(), "100");
        AgentClient.Response crossing = agent.pay(LANDLORD.toString(), "80");

        assertThat(List.of(first.status(), second.status()))
                .as(first.raw().body() + second.raw().body())
                .containsOnly(202);
        assertThat(crossing.status()).as(crossing.raw().body()).isEqualTo(403);
        assertThat(crossing.text("type")).isEqualTo(POLICY_DENIED);
        assertThat(Answers.reasons(crossing))
                .extracting(SeenReason::ruleId, SeenReason::verdict)
                .containsExactly(tuple("budget.window", "DENY"));
        JsonNode figures = Answers.figuresOf(crossing, "budget.window");
        assertThat(Answers.text(figures, "limit")).isEqualTo("250");
        assertThat(Answers.text(figures, "attempted")).isEqualTo("80");
        assertThat(Answers.text(figures, "used")).isEqualTo("200");
        assertThat(Answers.text(figures, "remaining")).isEqualTo("50");
        assertThat(Answers.text(figures, "window")).isEqualTo("PT24H");
        assertThat(Answers.text(figures, "resetsAt")).isNotNull();

        assertThat(agent.awaitStatus(first.text("id"), SETTLE, "CONFIRMED", "FAILED")
                        .text("status"))
                .isEqualTo("CONFIRMED");
        assertThat(agent.awaitStatus(second.text("id"), SETTLE, "CONFIRMED", "FAILED")
                        .text("status"))
                .isEqualTo("CONFIRMED");
        assertThat(chain.usdcBalance(LANDLORD)).isEqualTo(chain.usdc("200"));
        assertThat(chain.usdcBalance(wallet)).isEqualTo(chain.usdc("800"));
        assertThat(chain.transactionCount(wallet)).isEqualTo(2);
    }

    @Test
    void deniesRouterCallThatWouldPaySanctionedAndUnlistedRecipientsFoundOnlyBySimulation() {
        AgentClient agent = guardian.client(routerUser);
        Address wallet = chain.fundWallet(agent, "1000");
        Address stranger = TestAddresses.fresh();
        Address sanctioned = ShippedSanctionsList.addresses().get(1);

        AgentClient.Response approval = agent.callContract(
                chain.usdcAddress().toString(), hex(Calldata.approve(router, chain.usdc("60"))), "0");
        assertThat(approval.status()).as(approval.raw().body()).isEqualTo(202);
        assertThat(agent.awaitStatus(approval.text("id"), SETTLE, "CONFIRMED", "FAILED")
                        .text("status"))
                .isEqualTo("CONFIRMED");
        assertThat(chain.usdcAllowance(wallet, router)).isEqualTo(chain.usdc("60"));

        // The call goes to the router and names no transfer; only the simulation sees the money leave the wallet.
        byte[] payMany = Calldata.payMany(
                chain.usdcAddress(), List.of(stranger, sanctioned), List.of(chain.usdc("10"), chain.usdc("20")));
        AgentClient.Response refused = agent.callContract(router.toString(), hex(payMany), "0");

        assertThat(refused.status()).as(refused.raw().body()).isEqualTo(403);
        assertThat(refused.text("type")).isEqualTo(POLICY_DENIED);
        assertThat(Answers.reasons(refused))
                .contains(
                        new SeenReason("sanctions.hit", "DENY", sanctioned.toString()),
                        new SeenReason("counterparty.not-allowlisted", "ESCALATE", stranger.toString()));
        assertThat(Answers.effects(refused))
                .filteredOn(e -> e.type().equals("TRANSFER"))
                .containsExactlyInAnyOrder(
                        new SeenEffect("TRANSFER", "USDC", "10", wallet.toString(), stranger.toString()),
                        new SeenEffect("TRANSFER", "USDC", "20", wallet.toString(), sanctioned.toString()));

        assertThat(chain.usdcBalance(wallet)).isEqualTo(chain.usdc("1000"));
        assertThat(chain.usdcBalance(stranger)).isEqualTo(chain.usdc("0"));
        assertThat(chain.usdcBalance(sanctioned)).isEqualTo(chain.usdc("0"));
        assertThat(chain.usdcAllowance(wallet, router)).isEqualTo(chain.usdc("60"));
        assertThat(chain.transactionCount(wallet))
                .as("only the approve was sent")
                .isEqualTo(1);
    }

    private static String hex(byte[] data) {
        return Hex.encode(data);
    }
}
