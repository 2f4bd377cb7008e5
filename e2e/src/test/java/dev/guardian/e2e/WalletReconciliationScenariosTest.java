package dev.guardian.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.guardian.e2e.Answers.SeenReason;
import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.Hex;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.identity.Role;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.Calldata;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.PersonSpec;
import dev.guardian.service.testsupport.TestAddresses;
import dev.guardian.service.testsupport.Treasury;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Money that leaves a wallet without Guardian: the agent's key grants an allowance directly on the token
 * (never asking Guardian) and the spender it names takes the money. Guardian, reconciling every wallet on
 * its schedule, finds the outflow in the chain's logs, charges it against the agent's budget, freezes the
 * agent, records it in the audit log and tells the treasury by webhook; a spender using an allowance
 * Guardian judged is left alone and counted once. Everything is read back from the chain itself.
 */
class WalletReconciliationScenariosTest {
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final PersonSpec TREASURER = PersonSpec.person("tess", Role.TREASURY);
    private static final PersonSpec AUDITOR = PersonSpec.person("aude", Role.AUDITOR);

    private static final List<JsonNode> webhooks = new CopyOnWriteArrayList<>();
    private static HttpServer receiver;
    private static OnChain chain;
    private static GuardianInstance guardian;
    private static Treasury treasury;

    @BeforeAll
    static void startGuardian() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            webhooks.add(JSON.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        chain = OnChain.withFreshUsdc(CHAIN);
        guardian = GuardianInstance.builder(CHAIN.anvil().rpcUrl(), chain.usdcAddress())
                .person(TREASURER)
                .person(AUDITOR)
                // Every wallet reconciled every 300 ms, concurrently with everything else, as in production.
                .property("guardian.worker.wallet-reconcile-interval", "300ms")
                .property(
                        "guardian.webhooks.endpoints[0].url",
                        "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook")
                .property("guardian.webhooks.endpoints[0].secret", "a webhook secret of at least thirty-two chars")
                .property("guardian.webhooks.dispatch-interval", "100ms")
                .start();
        treasury = new Treasury(guardian, TREASURER, chain.dev());
    }

    @AfterAll
    static void stopGuardian() {
        if (guardian != null) {
            guardian.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    private static JsonNode reconciliation(String agentId, String walletId) {
        AgentClient.Response answer =
                treasury.client().get("/v1/agents/" + agentId + "/wallets/" + walletId + "/reconciliation");
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(200);
        return answer.body();
    }

    /** Polls the wallet's reconciliation until {@code done} holds; fails after {@link #SETTLE}. */
    private static JsonNode awaitReconciliation(String agentId, String walletId, Predicate<JsonNode> done)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(SETTLE);
        JsonNode view = reconciliation(agentId, walletId);
        while (!done.test(view) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
            view = reconciliation(agentId, walletId);
        }
        assertThat(done.test(view)).as(view.toString()).isTrue();
        return view;
    }

    private static boolean reconciledPast(JsonNode view, long block) {
        return view.hasNonNull("reconciledToBlock")
                && view.get("reconciledToBlock").asLong() >= block;
    }

    private static List<JsonNode> outflows(JsonNode view) {
        return Answers.elements(view, "outflows");
    }

    @Test
    void anAllowanceUsedOutsideGuardianIsFoundByWalletReconciliationChargedAndFreezesTheAgent() throws Exception {
        Address judgedSpender = chain.dev().devAccounts().get(5);
        Address attacker = chain.dev().devAccounts().get(6);
        Address shop = TestAddresses.fresh();
        String id = "outside-bot";
        String walletId = id + "-wallet";
        AgentClient agent = treasury.createAgent(id, """
                {"perTransaction": {"USDC": {"escalateAbove": "300"}},
                 "budgets": [{"asset": "USDC", "limit": "500", "window": "24h"}],
                 "allowlist": [{"address": "%s", "label": "Judged spender"}, {"address": "%s", "label": "Shop"}]}""".formatted(judgedSpender, shop));
        Address wallet = treasury.createWallet(id, walletId);
        chain.dev().mintUsdc(chain.usdcAddress(), wallet, chain.usdc("1000"));
        awaitReconciliation(id, walletId, view -> reconciledPast(view, chain.blockNumber()));

        // The legitimate flow: an allowance Guardian judged (counted as spent when granted), used by its spender.
        AgentClient.Response grant = agent.callContract(
                chain.usdcAddress().toString(), Hex.encode(Calldata.approve(judgedSpender, chain.usdc("200"))), "0");
        assertThat(grant.status()).as(grant.raw().body()).isEqualTo(202);
        assertThat(agent.awaitStatus(grant.text("id"), SETTLE, "CONFIRMED", "FAILED")
                        .text("status"))
                .isEqualTo("CONFIRMED");
        chain.dev()
                .send(
                        judgedSpender,
                        chain.usdcAddress(),
                        TokenAmount.zero(Asset.ether()),
                        Calldata.transferFrom(wallet, judgedSpender, chain.usdc("150")));
        JsonNode judged =
                awaitReconciliation(id, walletId, view -> !outflows(view).isEmpty());
        assertThat(outflows(judged)).singleElement().satisfies(o -> {
            assertThat(o.get("explained").asBoolean()).as(o.toString()).isTrue();
            assertThat(Address.parse(o.get("spender").asString())).isEqualTo(judgedSpender);
            assertThat(o.get("covered").asString()).isEqualTo("150");
        });
        assertThat(judged.get("agentFrozen").asBoolean()).isFalse();
        assertThat(Answers.text(Answers.usdcBudget(agent), "remaining"))
                .as("the 200 granted counted once; the 150 taken out of it is not counted again")
                .isEqualTo("300");

        // The attack: the wallet's key approves the attacker on the token directly, and the attacker takes 400.
        chain.dev().sendAs(wallet, chain.usdcAddress(), Calldata.approve(attacker, chain.usdc("400")));
        String taken = chain.dev()
                .send(
                        attacker,
                        chain.usdcAddress(),
                        TokenAmount.zero(Asset.ether()),
                        Calldata.transferFrom(wallet, attacker, chain.usdc("400")))
                .hash()
                .toString();

        JsonNode found = awaitReconciliation(
                id,
                walletId,
                view -> outflows(view).stream()
                        .anyMatch(o -> o.path("txHash").asString("").equals(taken)));
        JsonNode outflow = outflows(found).stream()
                .filter(o -> o.path("txHash").asString("").equals(taken))
                .findFirst()
                .orElseThrow();
        assertThat(outflow.get("kind").asString()).isEqualTo("TRANSFER");
        assertThat(outflow.get("explained").asBoolean()).isFalse();
        assertThat(outflow.get("charged").asString()).isEqualTo("400");
        assertThat(Address.parse(outflow.get("spender").asString())).isEqualTo(attacker);
        assertThat(outflows(found))
                .as("the approval was a transaction the wallet's key signed outside Guardian")
                .anySatisfy(o -> assertThat(o.get("kind").asString()).isEqualTo("NONCE"));
        assertThat(found.get("unexplained").asInt()).isGreaterThanOrEqualTo(2);

        // What the chain says happened: the attacker holds 400, the wallet 1000 - 150 - 400, no allowance left.
        assertThat(chain.usdcBalance(attacker)).isEqualTo(chain.usdc("400"));
        assertThat(chain.usdcBalance(wallet)).isEqualTo(chain.usdc("450"));
        assertThat(chain.usdcAllowance(wallet, attacker)).isEqualTo(chain.usdc("0"));

        // Frozen: the next payment is refused.
        assertThat(treasury.client()
                        .get("/v1/agents/" + id)
                        .body()
                        .get("frozen")
                        .asBoolean())
                .isTrue();
        AgentClient.Response next = agent.pay(shop.toString(), "1");
        assertThat(next.status()).as(next.raw().body()).isEqualTo(403);
        assertThat(Answers.reasons(next)).extracting(SeenReason::ruleId).contains("agent.frozen");

        // Charged against the budget: 150 used of the judged allowance (its 50 left still held), and the 400.
        JsonNode budget = Answers.usdcBudget(agent);
        assertThat(Answers.text(budget, "committed")).isEqualTo("550");
        assertThat(Answers.text(budget, "exposure")).isEqualTo("50");
        assertThat(Answers.text(budget, "remaining")).isEqualTo("0");

        // In the audit log, with the transaction.
        AgentClient.Response audited = guardian.client(AUDITOR).get("/v1/audit/records?txHash=" + taken);
        assertThat(audited.status()).as(audited.raw().body()).isEqualTo(200);
        assertThat(audited.raw().body()).contains("wallet-transfer-unexplained", "\"charged\":\"400\"");

        // And the treasury was told, as of a diverged request.
        Instant deadline = Instant.now().plus(SETTLE);
        while (webhooks.stream().noneMatch(w -> isAlertFor(w, taken))
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(webhooks).anyMatch(w -> isAlertFor(w, taken));
        assertThat(webhooks)
                .as("the judged spender's pull raised no alert")
                .noneMatch(w -> w.get("event").asString().equals("wallet.diverged")
                        && w.get("outflow").path("spender").asString("").equalsIgnoreCase(judgedSpender.toString()));
    }

    private static boolean isAlertFor(JsonNode webhook, String txHash) {
        return webhook.get("event").asString().equals("wallet.diverged")
                && webhook.get("outflow").path("txHash").asString("").equals(txHash)
                && webhook.get("outflow").get("agentFrozen").asBoolean();
    }
}
