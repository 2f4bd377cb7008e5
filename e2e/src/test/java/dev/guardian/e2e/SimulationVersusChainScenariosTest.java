package dev.guardian.e2e;

import static dev.guardian.e2e.Answers.POLICY_DENIED;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.guardian.contracts.attacks.SimulationDetector;
import dev.guardian.e2e.Answers.SeenReason;
import dev.guardian.policy.Address;
import dev.guardian.policy.Hex;
import dev.guardian.service.identity.Role;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.Calldata;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.PersonSpec;
import dev.guardian.service.testsupport.ShippedSanctionsList;
import dev.guardian.service.testsupport.TestAddresses;
import dev.guardian.service.testsupport.Treasury;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A contract that behaves one way under a simulation and another on chain (SimulationDetector): it pays
 * the named payee when it believes it is simulated, and a thief (an address on the shipped OFAC list)
 * when it believes it runs for real. It tells the two apart by the gas price, the gas left, the block
 * number, the base fee, or a switch flipped between the simulation and the block. Guardian simulates
 * with the fields it signs and against the next block, so the first four are judged by what they really
 * do; the switch cannot be foreseen, so the receipt's reconciliation catches it: the request ends
 * DIVERGED, the agent is frozen, the budget is charged what really left, the audit log holds both effect
 * sets, and a webhook tells the treasury.
 */
class SimulationVersusChainScenariosTest {
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
    private static Address thief;

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
        thief = ShippedSanctionsList.addresses().get(0);
        guardian = GuardianInstance.builder(CHAIN.anvil().rpcUrl(), chain.usdcAddress())
                .person(TREASURER)
                .person(AUDITOR)
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

    /** How the detector tells a simulation from the chain: SimulationDetector.Tell, in its order. */
    private enum Tell {
        GAS_PRICE,
        GAS_LEFT,
        BLOCK_NUMBER,
        BASE_FEE,
        SWITCH
    }

    /** An agent whose policy lets it pay {@code payee} through the detector, with 1000 USDC and 1 ETH. */
    private record Agent(String id, AgentClient client, Address wallet, Address detector, Address payee) {}

    private static Agent agent(String id) {
        Address detector = chain.dev().deploy(SimulationDetector.BINARY + Calldata.constructorArguments(thief));
        Address payee = TestAddresses.fresh();
        AgentClient client = treasury.createAgent(id, """
                {"budgets": [{"asset": "USDC", "limit": "500", "window": "24h"},
                             {"asset": "ETH", "limit": "1", "window": "24h"}],
                 "perTransaction": {"USDC": {"escalateAbove": "400"}, "ETH": {"escalateAbove": "0.5"}},
                 "allowlist": [{"address": "%s", "label": "Detector", "kind": "contract"},
                               {"address": "%s", "label": "Shop"}],
                 "contracts": [{"address": "%s", "label": "Detector",
                                "functions": [{"signature": "pay(address,address,uint256,uint8)"}],
                                "knownEvents": ["Paid(address,uint256)"]}]}""".formatted(detector, payee, detector));
        Address wallet = treasury.createWallet(id, id + "-wallet");
        chain.dev().mintUsdc(chain.usdcAddress(), wallet, chain.usdc("1000"));
        Agent agent = new Agent(id, client, wallet, detector, payee);
        AgentClient.Response approve = agent.client()
                .callContract(
                        chain.usdcAddress().toString(), Hex.encode(Calldata.approve(detector, chain.usdc("100"))), "0");
        assertThat(agent.client()
                        .awaitStatus(approve.text("id"), SETTLE, "CONFIRMED", "FAILED")
                        .text("status"))
                .isEqualTo("CONFIRMED");
        return agent;
    }

    private static AgentClient.Response pay(Agent agent, String usdc, Tell tell, String eth) {
        byte[] data = Calldata.call("pay", chain.usdcAddress(), agent.payee(), chain.usdc(usdc), (byte) tell.ordinal());
        return agent.client().callContract(agent.detector().toString(), Hex.encode(data), eth);
    }

    @Test
    void aContractThatReadsTheGasPriceGasLeftBlockNumberOrBaseFeeIsJudgedByWhatItReallyDoes() {
        Agent agent = agent("detector-bot");
        chain.dev().sendFromDevAccount(agent.detector(), Calldata.call("setBaseFeeAtLeast", BigInteger.TEN.pow(10)));
        // Armed for any block after the one this transaction is mined in, which is then the latest: a
        // simulation on the latest block sees the harmless branch, one on the next block the real one.
        // (The requests below are denied, so no block is mined between them.)
        chain.dev().sendFromDevAccount(agent.detector(), Calldata.call("setArmedAfterBlock", chain.blockNumber() + 1));
        // The next block's base fee jumps to 10 gwei; the latest block's is far below.
        chain.dev().setNextBlockBaseFee(BigInteger.TEN.pow(10));

        for (Tell tell : List.of(Tell.BASE_FEE, Tell.GAS_PRICE, Tell.GAS_LEFT, Tell.BLOCK_NUMBER)) {
            AgentClient.Response answer = pay(agent, "10", tell, "0");

            assertThat(answer.status()).as(tell + ": " + answer.raw().body()).isEqualTo(403);
            assertThat(answer.text("type")).isEqualTo(POLICY_DENIED);
            assertThat(Answers.reasons(answer))
                    .as(tell + ": the simulation saw the money go to the thief")
                    .contains(new SeenReason("sanctions.hit", "DENY", thief.toString()));
        }
        assertThat(chain.usdcBalance(thief)).isEqualTo(chain.usdc("0"));
        assertThat(chain.usdcBalance(agent.payee())).isEqualTo(chain.usdc("0"));
        assertThat(chain.usdcBalance(agent.wallet())).isEqualTo(chain.usdc("1000"));
    }

    @Test
    void aSwitchFlippedBetweenSimulationAndBlockIsCaughtByTheReceiptAndFreezesTheAgent() throws Exception {
        Agent agent = agent("switch-bot");
        chain.dev().setAutomine(false);
        AgentClient.Response answer;
        try {
            answer = pay(agent, "10", Tell.SWITCH, "0.01");
            assertThat(answer.status()).as(answer.raw().body()).isEqualTo(202);
            agent.client().awaitStatus(answer.text("id"), SETTLE, "SUBMITTED");
            // Flipped after Guardian simulated and sent, and mined ahead of its transaction (a higher tip).
            chain.dev()
                    .sendWithoutWaiting(
                            chain.dev().owner(), agent.detector(), Calldata.call("flip", true), BigInteger.TEN.pow(11));
            chain.dev().mine();
        } finally {
            chain.dev().setAutomine(true);
        }

        AgentClient.Response settled = agent.client().awaitStatus(answer.text("id"), SETTLE, "DIVERGED", "CONFIRMED");
        assertThat(settled.text("status")).as(settled.raw().body()).isEqualTo("DIVERGED");
        JsonNode divergence = settled.body().get("divergence");
        assertThat(divergence.toString()).contains("to " + thief, "no such movement was judged", "sanctions list");
        // What happened on chain: the thief was paid (detection after the fact), the payee was not.
        assertThat(chain.usdcBalance(thief)).isEqualTo(chain.usdc("10"));
        assertThat(chain.ethBalance(thief).units()).isEqualTo(BigInteger.TEN.pow(16));
        assertThat(chain.usdcBalance(agent.payee())).isEqualTo(chain.usdc("0"));

        // The agent is frozen at once: its next payment is refused.
        assertThat(treasury.client()
                        .get("/v1/agents/" + agent.id())
                        .body()
                        .get("frozen")
                        .asBoolean())
                .isTrue();
        AgentClient.Response next = agent.client().pay(agent.payee().toString(), "1");
        assertThat(next.status()).as(next.raw().body()).isEqualTo(403);
        assertThat(Answers.reasons(next)).extracting(SeenReason::ruleId).contains("agent.frozen");

        // The budget counts what really left: the 10 USDC the detector pulled (to the thief) used 10 of the
        // 100 allowance held as exposure, and 90 of it is still the detector's to take.
        JsonNode budget = Answers.usdcBudget(agent.client());
        assertThat(Answers.text(budget, "remaining")).isEqualTo("400");
        assertThat(chain.usdcAllowance(agent.wallet(), agent.detector())).isEqualTo(chain.usdc("90"));

        // The audit log holds both versions.
        JsonNode story = guardian.client(AUDITOR)
                .get("/v1/audit/requests/" + answer.text("id"))
                .body();
        JsonNode diverged = null;
        for (JsonNode record : story.get("records")) {
            if (record.toString().contains("\"diverged\"")) {
                diverged = record;
            }
        }
        assertThat(diverged).as(story.toString()).isNotNull();
        assertThat(diverged.toString().toLowerCase(Locale.ROOT))
                .as("the judged effects (to the payee) and the executed ones (to the thief)")
                .contains(agent.payee().toLowerHex(), thief.toLowerHex());

        // And the treasury was told.
        Instant deadline = Instant.now().plus(SETTLE);
        while (webhooks.stream().noneMatch(w -> isDivergedNotice(w, answer.text("id")))
                && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(webhooks).anyMatch(w -> isDivergedNotice(w, answer.text("id")));
    }

    private static boolean isDivergedNotice(JsonNode webhook, String requestId) {
        return webhook.get("event").asString().equals("request.diverged")
                && webhook.get("request").get("id").asString().equals(requestId);
    }
}
