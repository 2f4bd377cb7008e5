package dev.guardian.e2e;

import static dev.guardian.e2e.Answers.POLICY_DENIED;
import static dev.guardian.e2e.Answers.PROBLEM_JSON;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.contracts.GasPriceOracleMock;
import dev.guardian.contracts.attacks.GasBurner;
import dev.guardian.contracts.attacks.MalformedLogEmitter;
import dev.guardian.e2e.Answers.SeenReason;
import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.Hex;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.TxHash;
import dev.guardian.service.identity.Role;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.Calldata;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.PersonSpec;
import dev.guardian.service.testsupport.TestAddresses;
import dev.guardian.service.testsupport.Treasury;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import tools.jackson.databind.JsonNode;

/**
 * Gas is money, a malformed trace is one request's problem, input is strict and Guardian signs only for
 * accounts without code. The chain plays Base here: Base's gas price oracle predeploy is a stand-in
 * whose L1 fee the tests set, and GasBurner's tripwire makes transactions that simulate well revert on
 * chain. Every test reads the chain back: what was never sent, what was paid, what reverted.
 */
class GasAndStrictInputScenariosTest {
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final Address L1_FEE_ORACLE = Address.parse("0x420000000000000000000000000000000000000F");
    private static final BigInteger HIGH_TIP = BigInteger.valueOf(50_000_000_000L);

    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final PersonSpec TREASURER = PersonSpec.person("tess", Role.TREASURY);

    private static OnChain chain;
    private static GuardianInstance guardian;
    private static Treasury treasury;
    private static final Address SHOP = TestAddresses.fresh();

    @BeforeAll
    static void startGuardianOnAChainWithAnL1Fee() {
        chain = OnChain.withFreshUsdc(CHAIN);
        Address deployed = chain.dev().deploy(GasPriceOracleMock.BINARY);
        chain.dev().setCode(L1_FEE_ORACLE, chain.dev().code(deployed));
        guardian = GuardianInstance.builder(CHAIN.anvil().rpcUrl(), chain.usdcAddress())
                .person(TREASURER)
                .property("guardian.chain.l1-fee-oracle", L1_FEE_ORACLE.toString())
                .start();
        treasury = new Treasury(guardian, TREASURER, chain.dev());
    }

    @AfterAll
    static void stopGuardian() {
        if (guardian != null) {
            guardian.close();
        }
    }

    private record Agent(AgentClient client, Address wallet) {}

    private static final String PAYS_THE_SHOP = """
            "perTransaction": {"USDC": {"escalateAbove": "100"}},
            "budgets": [{"asset": "USDC", "limit": "500", "window": "24h"}],
            "allowlist": [{"address": "%s", "label": "Shop"}]""";

    private static Agent agent(String id, String policyExtras) {
        String policy = "{" + PAYS_THE_SHOP.formatted(SHOP) + (policyExtras.isEmpty() ? "" : ", " + policyExtras) + "}";
        AgentClient client = treasury.createAgent(id, policy);
        Address wallet = treasury.createWallet(id, id + "-wallet");
        chain.dev().mintUsdc(chain.usdcAddress(), wallet, chain.usdc("1000"));
        return new Agent(client, wallet);
    }

    private static String contractEntry(Address contract, String label, String... functions) {
        return """
                {"address": "%s", "label": "%s", "functions": [%s]}""".formatted(
                        contract,
                        label,
                        String.join(
                                ", ",
                                List.of(functions).stream()
                                        .map(f -> "{\"signature\": \"" + f + "\"}")
                                        .toList()));
    }

    private static AgentClient.Response call(Agent agent, Address to, byte[] data) {
        return agent.client().callContract(to.toString(), Hex.encode(data), "0");
    }

    private static List<String> ruleIds(AgentClient.Response answer) {
        return Answers.reasons(answer).stream().map(SeenReason::ruleId).toList();
    }

    private static void assertDenied(AgentClient.Response answer, String ruleId) {
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(403);
        assertThat(answer.text("type")).isEqualTo(POLICY_DENIED);
        assertThat(ruleIds(answer)).as(answer.raw().body()).contains(ruleId);
    }

    private static AgentClient.Response settled(Agent agent, AgentClient.Response answer) {
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(202);
        return agent.client().awaitStatus(answer.text("id"), SETTLE, "CONFIRMED", "FAILED");
    }

    private static BigInteger wei(TokenAmount eth) {
        return eth.units();
    }

    private static String ether(BigInteger wei) {
        return new BigDecimal(wei).movePointLeft(18).stripTrailingZeros().toPlainString();
    }

    @Test
    void aTransactionOverTheGasCeilingIsDeniedAndNeverSent() {
        Address burner = chain.dev().deploy(GasBurner.BINARY);
        Agent agent = agent("burner-bot", "\"contracts\": [" + contractEntry(burner, "Burner", "burn(uint256)") + "]");

        AgentClient.Response burned = call(agent, burner, Calldata.call("burn", 200));

        assertDenied(burned, "fee.gas-limit");
        JsonNode gas = Answers.elements(burned.body(), "reasons").stream()
                .filter(r -> Answers.text(r, "ruleId").equals("fee.gas-limit"))
                .findFirst()
                .orElseThrow()
                .get("gas");
        assertThat(gas.get("limit").asLong()).isEqualTo(3_000_000L);
        assertThat(gas.get("attempted").asLong()).isGreaterThan(3_000_000L);
        assertThat(chain.transactionCount(agent.wallet())).isZero();
    }

    @Test
    void anL1DataFeeOverTheFeeCeilingIsDeniedAndThePaymentPassesOnceItFalls() {
        Agent agent = agent("l1-bot", "\"fees\": {\"maxPerTransaction\": \"0.001\"}");
        TokenAmount shopBefore = chain.usdcBalance(SHOP);
        // 1e13 wei per byte: a transfer's few hundred bytes cost about 0.003 ETH of L1 data, over the 0.001 ceiling.
        chain.dev().sendFromDevAccount(L1_FEE_ORACLE, Calldata.call("setL1FeePerByte", BigInteger.TEN.pow(13)));
        AgentClient.Response expensive;
        try {
            expensive = agent.client().pay(SHOP.toString(), "10");
        } finally {
            chain.dev().sendFromDevAccount(L1_FEE_ORACLE, Calldata.call("setL1FeePerByte", BigInteger.ZERO));
        }
        AgentClient.Response cheap = agent.client().pay(SHOP.toString(), "10");

        assertDenied(expensive, "fee.per-transaction");
        JsonNode figures = Answers.figuresOf(expensive, "fee.per-transaction");
        assertThat(Answers.text(figures, "limit")).isEqualTo("0.001");
        assertThat(new BigDecimal(Answers.text(figures, "attempted"))).isGreaterThan(new BigDecimal("0.001"));
        AgentClient.Response paid = settled(agent, cheap);
        assertThat(paid.text("status")).isEqualTo("CONFIRMED");
        assertThat(paid.body().get("fee").get("l1FeeWei").asString()).isEqualTo("0");
        assertThat(chain.usdcBalance(SHOP)).isEqualTo(shopBefore.plus(chain.usdc("10")));
        assertThat(chain.transactionCount(agent.wallet())).isEqualTo(1);
    }

    @Test
    void feesCountAgainstTheFeeBudgetAndStopAtIt() {
        Address burner = chain.dev().deploy(GasBurner.BINARY);
        String contracts = "\"contracts\": [" + contractEntry(burner, "Burner", "burn(uint256)") + "]";
        Agent agent = agent("fee-bot", contracts);
        // Learn what one call may cost, then allow about two and a half of them per day.
        AgentClient.Response first = settled(agent, call(agent, burner, Calldata.call("burn", 20)));
        BigInteger maxCost =
                new BigInteger(first.body().get("fee").get("maxCostWei").asString());
        BigInteger limit = maxCost.multiply(BigInteger.valueOf(5)).divide(BigInteger.TWO);
        treasury.activateNewVersion(
                "fee-bot",
                "{" + PAYS_THE_SHOP.formatted(SHOP) + ", " + contracts + ", \"fees\": {\"budgets\": [{\"limit\": \""
                        + ether(limit) + "\", \"window\": \"24h\"}]}}");
        BigInteger before = wei(chain.ethBalance(agent.wallet()));

        AgentClient.Response refused = null;
        int allowed = 0;
        for (int i = 0; i < 10 && refused == null; i++) {
            AgentClient.Response answer = call(agent, burner, Calldata.call("burn", 20));
            if (answer.status() == 403) {
                refused = answer;
            } else {
                assertThat(settled(agent, answer).text("status")).isEqualTo("CONFIRMED");
                allowed++;
            }
        }

        assertThat(refused).as("the fee budget stops the agent").isNotNull();
        assertDenied(refused, "budget.fee");
        assertThat(allowed).isBetween(1, 9);
        BigInteger paid = before.subtract(wei(chain.ethBalance(agent.wallet())));
        BigInteger firstPaid = new BigInteger(first.text("feePaidWei"));
        assertThat(paid.add(firstPaid))
                .as("what the wallet paid in gas, the first call included, stays within the budget")
                .isLessThanOrEqualTo(limit);
        assertThat(chain.transactionCount(agent.wallet())).isEqualTo(1 + allowed);
    }

    @Test
    void transactionsThatRevertOnChainCostTheirFeeAndRepeatedRevertsEscalate() {
        Address burner = chain.dev().deploy(GasBurner.BINARY);
        Agent agent =
                agent("tripwire-bot", "\"contracts\": [" + contractEntry(burner, "Burner", "tripwireCall()") + "]");
        BigInteger before = wei(chain.ethBalance(agent.wallet()));

        BigInteger feesPaid = BigInteger.ZERO;
        for (int round = 0; round < 3; round++) {
            AgentClient.Response reverted = revertingOnChain(agent, burner);
            assertThat(reverted.text("status")).isEqualTo("FAILED");
            assertThat(reverted.text("failure")).contains("reverted on chain");
            TransactionReceipt receipt = chain.receipt(reverted.text("txHash"));
            assertThat(receipt.isStatusOK()).isFalse();
            BigInteger fee = new BigInteger(reverted.text("feePaidWei"));
            assertThat(fee)
                    .isEqualTo(receipt.getGasUsed()
                            .multiply(new BigInteger(
                                    receipt.getEffectiveGasPrice().substring(2), 16)));
            feesPaid = feesPaid.add(fee);
        }
        chain.dev().sendFromDevAccount(burner, Calldata.call("disarm"));
        AgentClient.Response fourth = call(agent, burner, Calldata.call("tripwireCall"));

        assertThat(fourth.status()).as(fourth.raw().body()).isEqualTo(202);
        assertThat(fourth.text("status")).isEqualTo("PENDING_APPROVAL");
        assertThat(ruleIds(fourth)).containsExactly("transaction.repeated-reverts");
        assertThat(chain.transactionCount(agent.wallet())).isEqualTo(3);
        assertThat(before.subtract(wei(chain.ethBalance(agent.wallet()))))
                .as("the wallet paid exactly the recorded fees of its reverted transactions")
                .isEqualTo(feesPaid);
        JsonNode feeBudget =
                Answers.elements(agent.client().budget().body(), "feeBudgets").getFirst();
        assertThat(new BigDecimal(Answers.text(feeBudget, "committed")))
                .isEqualByComparingTo(new BigDecimal(feesPaid).movePointLeft(18));
    }

    /**
     * One round of the tripwire: the call simulates well (the burner is disarmed), Guardian signs and
     * broadcasts it, and before it is mined a transaction with a higher tip arms the burner, so the same
     * block runs arm() first and the agent's call reverts.
     */
    private static AgentClient.Response revertingOnChain(Agent agent, Address burner) {
        chain.dev().sendFromDevAccount(burner, Calldata.call("disarm"));
        chain.dev().setAutomine(false);
        AgentClient.Response submitted;
        try {
            submitted = call(agent, burner, Calldata.call("tripwireCall"));
            assertThat(submitted.status()).as(submitted.raw().body()).isEqualTo(202);
            assertThat(submitted.text("status")).isEqualTo("SUBMITTED");
            TxHash arm = chain.dev().sendWithoutWaiting(chain.dev().owner(), burner, Calldata.call("arm"), HIGH_TIP);
            chain.dev().mine();
            assertThat(chain.receipt(arm.toString()).isStatusOK()).isTrue();
        } finally {
            chain.dev().setAutomine(true);
        }
        return agent.client().awaitStatus(submitted.text("id"), SETTLE, "CONFIRMED", "FAILED");
    }

    @Test
    void aMalformedLogIsThatRequestsDenialNotAChainOutageAndSoIsAnOversizedTrace() {
        Address emitter = chain.dev().deploy(MalformedLogEmitter.BINARY);
        Agent agent = agent(
                "noisy-bot",
                "\"contracts\": [" + contractEntry(emitter, "Emitter", "emitMalformed()", "emitMany(uint256)") + "]");

        // More than enough to open the chain's circuit breaker, were these counted as chain failures.
        for (int i = 0; i < 12; i++) {
            AgentClient.Response malformed = call(agent, emitter, Calldata.call("emitMalformed"));
            assertDenied(malformed, "simulation.undecodable");
        }
        AgentClient.Response oversized = call(agent, emitter, Calldata.call("emitMany", 10_001));
        AgentClient.Response payment = agent.client().pay(SHOP.toString(), "5");

        assertDenied(oversized, "simulation.undecodable");
        assertThat(oversized.raw().body()).contains("logs");
        assertThat(settled(agent, payment).text("status"))
                .as("the breaker stayed closed: the next request is judged and paid")
                .isEqualTo("CONFIRMED");
        assertThat(chain.transactionCount(agent.wallet())).isEqualTo(1);
    }

    @Test
    void duplicateKeysAndOversizedChunkedBodiesAreRefusedAndChangeNothing() throws Exception {
        Agent agent = agent("strict-bot", "");
        String duplicated = """
                {"recipient": "%s", "amount": "1", "amount": "400"}""".formatted(SHOP);

        AgentClient.Response payment = agent.client().post("/v1/payments", duplicated, Optional.empty());
        AgentClient.Response treasuryCall = treasury.client().post("/v1/agents", """
                        {"id": "twice", "name": "Twice", "name": "Again", "policy": {}}""", Optional.empty());
        HttpResponse<String> chunked = chunkedPayment(agent, 100_000);

        assertThat(payment.status()).as(payment.raw().body()).isEqualTo(400);
        assertThat(payment.contentType()).startsWith(PROBLEM_JSON);
        assertThat(payment.raw().body()).contains("amount");
        assertThat(treasuryCall.status()).as(treasuryCall.raw().body()).isEqualTo(400);
        assertThat(treasury.client().get("/v1/agents/twice").status()).isEqualTo(404);
        assertThat(chunked.statusCode()).as(chunked.body()).isEqualTo(413);
        assertThat(chunked.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith(PROBLEM_JSON));
        assertThat(chain.usdcBalance(agent.wallet())).isEqualTo(chain.usdc("1000"));
        assertThat(chain.transactionCount(agent.wallet())).isZero();
    }

    /** A payment whose body has no length: sent in chunks, {@code size} bytes of JSON with padding. */
    private static HttpResponse<String> chunkedPayment(Agent agent, int size) throws IOException, InterruptedException {
        String body = "{\"recipient\": \"" + SHOP + "\", \"amount\": \"1\", \"memo\": \"" + "x".repeat(size) + "\"}";
        HttpRequest request = HttpRequest.newBuilder(guardian.baseUrl().resolve("/v1/payments"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + agent.client().token())
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body.getBytes())))
                .build();
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void guardianSignsOnlyForAccountsWithoutCode() {
        Address delegate = TestAddresses.fresh();
        byte[] delegation = Hex.decode("0xef0100" + delegate.toLowerHex().substring(2));
        // A key whose account delegates to code (EIP-7702): whoever controls that code controls the money.
        Credentials delegated = Credentials.create("0x" + "17".repeat(32));
        Address delegatedAddress = Address.parseLenient(delegated.getAddress());
        chain.dev().setCode(delegatedAddress, delegation);
        treasury.createAgent("importer-bot", "{" + PAYS_THE_SHOP.formatted(SHOP) + "}");

        AgentClient.Response imported = treasury.client()
                .post("/v1/agents/importer-bot/wallets", """
                        {"walletId": "delegated", "privateKey": "%s"}""".formatted("17".repeat(32)), Optional.empty());

        assertThat(imported.status()).as(imported.raw().body()).isEqualTo(409);
        assertThat(imported.raw().body()).contains("code");
        assertThat(treasury.client().get("/v1/agents/importer-bot").body().get("wallets"))
                .isEmpty();

        // A wallet that gains code after it was created: nothing is signed for it any more.
        Agent agent = agent("delegating-bot", "");
        chain.dev().setCode(agent.wallet(), delegation);
        AgentClient.Response payment = agent.client().pay(SHOP.toString(), "10");
        AgentClient.Response failed = payment.status() == 202
                ? agent.client().awaitStatus(payment.text("id"), SETTLE, "FAILED", "CONFIRMED")
                : payment;

        assertThat(failed.text("status")).as(failed.raw().body()).isEqualTo("FAILED");
        assertThat(failed.text("failure")).contains("has code on chain");
        assertThat(chain.transactionCount(agent.wallet())).isZero();
        assertThat(chain.usdcBalance(agent.wallet())).isEqualTo(chain.usdc("1000"));
        assertThat(chain.ethBalance(delegate)).isEqualTo(TokenAmount.zero(Asset.ether()));
    }
}
