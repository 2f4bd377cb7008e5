package dev.guardian.service.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.Hex;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.WalletId;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.identity.Role;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.Calldata;
import dev.guardian.service.testsupport.Concurrently;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.PersonSpec;
import dev.guardian.service.testsupport.TcpProxy;
import dev.guardian.service.testsupport.TestAddresses;
import dev.guardian.service.testsupport.TestDatabase;
import dev.guardian.service.testsupport.Treasury;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.StreamSupport;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every wallet reconciled with the chain, against a real Anvil, a real PostgreSQL and a real Guardian over
 * HTTP: a wallet whose every outflow Guardian signed reconciles clean and moves its checkpoint on; an
 * allowance granted outside Guardian and used by its spender, and a key used elsewhere, are each recorded
 * once, charged against the agent's budget, freeze the agent, are audited, announced by webhook and shown
 * to the treasury; a spender's pull with an allowance Guardian judged is neither frozen nor counted twice,
 * and what it takes beyond that is charged; two instances on one database record an outflow once.
 *
 * <p>The schedule is left at the test default (start only); each test runs the passes itself.
 */
class WalletReconciliationTest {
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final PersonSpec TREASURER = PersonSpec.person("recon-treasurer", Role.TREASURY);
    private static final PersonSpec AUDITOR = PersonSpec.person("recon-auditor", Role.AUDITOR);

    private static final List<JsonNode> webhooks = new CopyOnWriteArrayList<>();
    private static HttpServer receiver;
    private static DevChain chain;
    private static Address usdc;
    private static Address merchant;
    private static GuardianInstance guardian;
    private static Treasury desk;

    @BeforeAll
    static void start() throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            webhooks.add(JSON.readTree(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        receiver.start();
        chain = CHAIN.devChain();
        usdc = chain.deployTestUsdc();
        merchant = TestAddresses.fresh();
        guardian = GuardianInstance.builder(CHAIN.anvil().rpcUrl(), usdc)
                .person(TREASURER)
                .person(AUDITOR)
                .property(
                        "guardian.webhooks.endpoints[0].url",
                        "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook")
                .property("guardian.webhooks.endpoints[0].secret", "a webhook secret of at least thirty-two chars")
                .property("guardian.webhooks.dispatch-interval", "100ms")
                .start();
        desk = new Treasury(guardian, TREASURER, chain);
    }

    @AfterAll
    static void stop() {
        if (guardian != null) {
            guardian.close();
        }
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    /** An agent with a wallet holding {@code usdc} (and 1 ETH), already reconciled once (its checkpoint set). */
    private record Agent(String id, AgentClient client, Address wallet) {
        String walletId() {
            return id + "-wallet";
        }
    }

    private static Agent agent(String id, String usdcAmount, String policy) {
        AgentClient client = desk.createAgent(id, policy);
        Address wallet = desk.createWallet(id, id + "-wallet");
        chain.mintUsdc(usdc, wallet, usdc(usdcAmount));
        Agent agent = new Agent(id, client, wallet);
        reconcile(guardian);
        assertThat(reconciliation(agent).get("reconciledToBlock").asLong())
                .as("the first pass sets the wallet's checkpoint")
                .isEqualTo(blockNumber());
        return agent;
    }

    private static String budgetPolicy(Address... allowed) {
        StringBuilder allowlist = new StringBuilder();
        for (Address a : allowed) {
            allowlist
                    .append(allowlist.isEmpty() ? "" : ", ")
                    .append("{\"address\": \"")
                    .append(a)
                    .append("\", \"label\": \"Known\"}");
        }
        return """
                {"perTransaction": {"USDC": {"escalateAbove": "400"}, "ETH": {"escalateAbove": "0.5"}},
                 "budgets": [{"asset": "USDC", "limit": "500", "window": "24h"},
                             {"asset": "ETH", "limit": "1", "window": "24h"}],
                 "allowlist": [%s]}""".formatted(allowlist);
    }

    private static WalletReconciler.Pass reconcile(GuardianInstance instance) {
        WalletReconciler.Pass pass = instance.bean(WalletReconciler.class).reconcileAll();
        assertThat(pass.interrupted()).as("the chain answered every read").isFalse();
        return pass;
    }

    private static JsonNode reconciliation(Agent agent) {
        AgentClient.Response answer =
                desk.client().get("/v1/agents/" + agent.id() + "/wallets/" + agent.walletId() + "/reconciliation");
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(200);
        return answer.body();
    }

    private static List<JsonNode> outflows(Agent agent) {
        return StreamSupport.stream(reconciliation(agent).get("outflows").spliterator(), false)
                .toList();
    }

    private static List<JsonNode> outflows(Agent agent, String kind) {
        return outflows(agent).stream()
                .filter(o -> o.get("kind").asString().equals(kind))
                .toList();
    }

    private static boolean frozen(Agent agent) {
        return desk.client()
                .get("/v1/agents/" + agent.id())
                .body()
                .get("frozen")
                .asBoolean();
    }

    private static JsonNode usdcBudget(Agent agent) {
        AgentClient.Response budget = agent.client().budget();
        assertThat(budget.status()).as(budget.raw().body()).isEqualTo(200);
        for (JsonNode window : budget.body().get("budgets")) {
            if (window.get("asset").asString().equals("USDC")) {
                return window;
            }
        }
        throw new AssertionError("no USDC budget in " + budget.raw().body());
    }

    private static String confirmed(Agent agent, AgentClient.Response answer) {
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(202);
        AgentClient.Response done = agent.client().awaitStatus(answer.text("id"), SETTLE, "CONFIRMED", "FAILED");
        assertThat(done.text("status")).as(done.raw().body()).isEqualTo("CONFIRMED");
        return done.text("txHash");
    }

    private static List<JsonNode> auditRecords(Agent agent, String event) {
        AgentClient.Response page =
                guardian.client(AUDITOR).get("/v1/audit/records?agent=" + agent.id() + "&event=" + event);
        assertThat(page.status()).as(page.raw().body()).isEqualTo(200);
        return StreamSupport.stream(page.body().get("records").spliterator(), false)
                .toList();
    }

    private static List<JsonNode> walletAlerts(Agent agent) {
        return webhooks.stream()
                .filter(w -> w.get("event").asString().equals("wallet.diverged")
                        && w.get("outflow").get("agentId").asString().equals(agent.id()))
                .toList();
    }

    private static void awaitWalletAlerts(Agent agent, int atLeast) throws InterruptedException {
        Instant deadline = Instant.now().plus(SETTLE);
        while (walletAlerts(agent).size() < atLeast && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(walletAlerts(agent)).hasSizeGreaterThanOrEqualTo(atLeast);
    }

    private static long blockNumber() {
        return guardian.bean(ChainAdapter.class).blockNumber();
    }

    private static TokenAmount usdc(String amount) {
        return TokenAmount.parse(DevChain.usdcAsset(usdc), amount);
    }

    @Test
    void aWalletWhoseOutflowsGuardianSignedReconcilesCleanAndMovesItsCheckpointOn() {
        Agent agent = agent("clean-bot", "100", budgetPolicy(merchant));
        long started = reconciliation(agent).get("startedAtBlock").asLong();

        confirmed(agent, agent.client().pay(merchant.toString(), "10"));
        confirmed(agent, agent.client().callContract(merchant.toString(), "0x", "0.01"));
        // A payment still on its way: reconciled while pending, and again as soon as it is mined (most likely
        // before the receipt worker has recorded it: its receipt then says it is Guardian's).
        chain.setAutomine(false);
        try {
            AgentClient.Response pending = agent.client().pay(merchant.toString(), "3");
            assertThat(pending.status()).as(pending.raw().body()).isEqualTo(202);
            agent.client().awaitStatus(pending.text("id"), SETTLE, "SUBMITTED");
            reconcile(guardian);
            chain.mine();
            reconcile(guardian);
            agent.client().awaitStatus(pending.text("id"), SETTLE, "CONFIRMED");
        } finally {
            chain.setAutomine(true);
        }
        // Money coming in is no outflow, whoever sends it.
        chain.mintUsdc(usdc, agent.wallet(), usdc("5"));
        chain.send(chain.devAccounts().get(3), agent.wallet(), TokenAmount.parse(Asset.ether(), "0.5"), new byte[0]);

        WalletReconciler.Pass pass = reconcile(guardian);

        JsonNode view = reconciliation(agent);
        assertThat(view.get("reconciledToBlock").asLong()).isEqualTo(blockNumber());
        assertThat(view.get("startedAtBlock").asLong()).isEqualTo(started);
        assertThat(view.get("unexplained").asInt()).isZero();
        assertThat(outflows(agent)).as(view.toString()).isEmpty();
        assertThat(view.get("agentFrozen").asBoolean()).isFalse();
        assertThat(frozen(agent)).isFalse();
        assertThat(pass.reconciled()).isGreaterThanOrEqualTo(1);
        // The agent still pays.
        confirmed(agent, agent.client().pay(merchant.toString(), "1"));
    }

    @Test
    void anAllowanceGrantedOutsideGuardianAndUsedIsRecordedOnceChargedFrozenAuditedAndAnnounced()
            throws InterruptedException {
        Agent agent = agent("outside-bot", "1000", budgetPolicy(merchant));
        Address spender = chain.devAccounts().get(6);

        // The wallet's key approves a spender directly (an allowance granted outside Guardian) ...
        chain.sendAs(agent.wallet(), usdc, Calldata.approve(spender, usdc("300")));
        // ... and the spender takes 120 with it.
        String pull = chain.send(
                        spender,
                        usdc,
                        TokenAmount.zero(Asset.ether()),
                        Calldata.transferFrom(agent.wallet(), spender, usdc("120")))
                .hash()
                .toString();

        WalletReconciler.Pass pass = reconcile(guardian);

        assertThat(pass.unexplained()).isGreaterThanOrEqualTo(2);
        List<JsonNode> transfers = outflows(agent, "TRANSFER");
        assertThat(transfers).hasSize(1);
        JsonNode taken = transfers.getFirst();
        assertThat(taken.get("txHash").asString()).isEqualTo(pull);
        assertThat(taken.get("amount").asString()).isEqualTo("120");
        assertThat(taken.get("charged").asString()).isEqualTo("120");
        assertThat(taken.get("covered").asString()).isEqualTo("0");
        assertThat(taken.get("explained").asBoolean()).isFalse();
        assertThat(Address.parse(taken.get("spender").asString())).isEqualTo(spender);
        assertThat(Address.parse(taken.get("to").asString())).isEqualTo(spender);
        // The approval itself was a transaction the wallet's key signed outside Guardian; it paid gas in ETH.
        assertThat(outflows(agent, "NONCE")).hasSize(1);
        assertThat(outflows(agent, "BALANCE"))
                .singleElement()
                .satisfies(o -> assertThat(o.get("asset").asString()).isEqualTo("ETH"));

        // Frozen, and its budget counts what left: 120 of 500.
        assertThat(frozen(agent)).isTrue();
        JsonNode budget = usdcBudget(agent);
        assertThat(budget.get("committed").asString()).isEqualTo("120");
        assertThat(budget.get("remaining").asString()).isEqualTo("380");
        AgentClient.Response next = agent.client().pay(merchant.toString(), "1");
        assertThat(next.status()).as(next.raw().body()).isEqualTo(403);
        assertThat(next.raw().body()).contains("agent.frozen");

        // Audited, with the transaction; the freeze too.
        List<JsonNode> audited = auditRecords(agent, "wallet-transfer-unexplained");
        assertThat(audited).hasSize(1);
        assertThat(audited.getFirst().toString()).contains(pull, "\"charged\":\"120\"");
        assertThat(auditRecords(agent, "wallet-nonce-unexplained")).hasSize(1);
        assertThat(auditRecords(agent, "agent-frozen")).hasSize(1);
        // And the treasury is told, as of a diverged request.
        awaitWalletAlerts(agent, 3);
        assertThat(walletAlerts(agent))
                .anySatisfy(w ->
                        assertThat(w.get("outflow").get("txHash").asString()).isEqualTo(pull));

        // Running the pass again records nothing more; nor does reading the same blocks again.
        reconcile(guardian);
        JdbcClient.create(guardian.bean(DataSource.class))
                .sql("update wallet_reconciliations set block_number = started_block where wallet_id = :wallet")
                .param("wallet", agent.walletId())
                .update();
        reconcile(guardian);
        assertThat(outflows(agent)).hasSize(3);
        assertThat(usdcBudget(agent).get("committed").asString()).isEqualTo("120");
        assertThat(auditRecords(agent, "wallet-transfer-unexplained")).hasSize(1);
        assertThat(reconciliation(agent).get("reconciledToBlock").asLong()).isEqualTo(blockNumber());
    }

    @Test
    void aKeyUsedElsewhereToPayDirectlyIsRecordedChargedAndFreezesTheAgent() {
        Agent agent = agent("leaked-bot", "200", budgetPolicy(merchant));
        Address thief = TestAddresses.fresh();

        String sent = chain.sendAs(agent.wallet(), usdc, Calldata.transfer(thief, usdc("75")))
                .hash()
                .toString();
        chain.sendAs(agent.wallet(), thief, TokenAmount.parse(Asset.ether(), "0.2"), new byte[0]);

        reconcile(guardian);

        JsonNode transfer = outflows(agent, "TRANSFER").getFirst();
        assertThat(transfer.get("txHash").asString()).isEqualTo(sent);
        assertThat(transfer.get("charged").asString()).isEqualTo("75");
        assertThat(transfer.has("spender")).as("the wallet itself sent it").isFalse();
        assertThat(transfer.get("description").asString()).contains("its key signed a transaction outside Guardian");
        assertThat(outflows(agent, "NONCE")).hasSize(2);
        JsonNode eth = outflows(agent, "BALANCE").getFirst();
        assertThat(eth.get("asset").asString()).isEqualTo("ETH");
        assertThat(new BigDecimal(eth.get("amount").asString()))
                .as("the 0.2 ETH sent and the gas of both transactions")
                .isGreaterThan(new BigDecimal("0.2"));
        assertThat(frozen(agent)).isTrue();
        assertThat(usdcBudget(agent).get("committed").asString()).isEqualTo("75");
        assertThat(chain.usdcBalance(usdc, thief)).isEqualTo(usdc("75"));
    }

    @Test
    void aPullWithAnAllowanceGuardianJudgedIsNeitherFrozenNorCountedTwiceAndWhatItTakesBeyondIsCharged() {
        Address spender = chain.devAccounts().get(7);
        Agent agent = agent("judged-bot", "1000", budgetPolicy(spender));

        confirmed(
                agent,
                agent.client().callContract(usdc.toString(), Hex.encode(Calldata.approve(spender, usdc("200"))), "0"));
        assertThat(usdcBudget(agent).get("remaining").asString()).isEqualTo("300");
        chain.send(
                spender,
                usdc,
                TokenAmount.zero(Asset.ether()),
                Calldata.transferFrom(agent.wallet(), spender, usdc("150")));

        reconcile(guardian);

        JsonNode pulled = outflows(agent, "TRANSFER").getFirst();
        assertThat(pulled.get("explained").asBoolean()).as(pulled.toString()).isTrue();
        assertThat(pulled.get("covered").asString()).isEqualTo("150");
        assertThat(pulled.get("charged").asString()).isEqualTo("0");
        assertThat(reconciliation(agent).get("unexplained").asInt()).isZero();
        assertThat(frozen(agent)).isFalse();
        // The allowance counted 200 when it was granted; the pull turned 150 of it into money moved, once.
        JsonNode budget = usdcBudget(agent);
        assertThat(budget.get("remaining").asString()).isEqualTo("300");
        assertThat(budget.get("committed").asString()).isEqualTo("150");
        assertThat(budget.get("exposure").asString()).isEqualTo("50");
        assertThat(walletAlerts(agent)).isEmpty();

        // The key raises the allowance outside Guardian; the spender takes 250, of which the 50 judged and left cover
        // 50.
        chain.sendAs(agent.wallet(), usdc, Calldata.approve(spender, usdc("250")));
        String beyond = chain.send(
                        spender,
                        usdc,
                        TokenAmount.zero(Asset.ether()),
                        Calldata.transferFrom(agent.wallet(), spender, usdc("250")))
                .hash()
                .toString();

        reconcile(guardian);

        JsonNode charged = outflows(agent, "TRANSFER").stream()
                .filter(o -> o.get("txHash").asString().equals(beyond))
                .findFirst()
                .orElseThrow();
        assertThat(charged.get("covered").asString()).isEqualTo("50");
        assertThat(charged.get("charged").asString()).isEqualTo("200");
        assertThat(charged.get("explained").asBoolean()).isFalse();
        assertThat(frozen(agent)).isTrue();
        // 150 + 250 left, and the budget counts exactly that (and nothing is held for the spender any more).
        JsonNode after = usdcBudget(agent);
        assertThat(after.get("remaining").asString()).isEqualTo("100");
        assertThat(chain.usdcBalance(usdc, agent.wallet())).isEqualTo(usdc("600"));
    }

    @Test
    void aChainOutageEndsThePassWithoutRecordingAnythingAndTheNextPassCatchesUp() throws InterruptedException {
        try (TcpProxy proxy = TcpProxy.to(CHAIN.anvil().port());
                GuardianInstance behind = GuardianInstance.builder(proxy.httpUri(), usdc)
                        .person(TREASURER)
                        .start()) {
            Treasury own = new Treasury(behind, TREASURER, chain);
            own.createAgent("cut-off-bot", budgetPolicy(merchant));
            Address wallet = own.createWallet("cut-off-bot", "cut-off-bot-wallet");
            chain.mintUsdc(usdc, wallet, usdc("100"));
            WalletReconciler reconciler = behind.bean(WalletReconciler.class);
            WalletId id = new WalletId("cut-off-bot-wallet");
            reconcile(behind);
            long checkpoint = reconciler.checkpoint(id).orElseThrow().block();
            chain.sendAs(wallet, usdc, Calldata.transfer(TestAddresses.fresh(), usdc("30")));

            proxy.cutOff();
            WalletReconciler.Pass cut = reconciler.reconcileAll();

            assertThat(cut.interrupted()).isTrue();
            assertThat(reconciler.checkpoint(id).orElseThrow().block()).isEqualTo(checkpoint);
            assertThat(reconciler.outflows(id, 10)).isEmpty();

            proxy.restore();
            Instant deadline = Instant.now().plus(SETTLE);
            WalletReconciler.Pass back = reconciler.reconcileAll();
            while (back.interrupted() && Instant.now().isBefore(deadline)) {
                Thread.sleep(200); // the circuit breaker lets calls through again after its open-state wait
                back = reconciler.reconcileAll();
            }
            assertThat(back.interrupted()).isFalse();
            assertThat(reconciler.outflows(id, 10))
                    .extracting(o -> o.kind().name())
                    .containsExactlyInAnyOrder("TRANSFER", "NONCE", "BALANCE");
            assertThat(reconciler.checkpoint(id).orElseThrow().block()).isEqualTo(blockNumber());
        }
    }

    @Test
    void twoInstancesOnOneDatabaseRecordAnOutflowOnce() throws IOException {
        try (TestDatabase database = TestDatabase.start()) {
            String kek = GuardianInstance.newKek();
            List<GuardianInstance> instances = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    instances.add(GuardianInstance.builder(CHAIN.anvil().rpcUrl(), usdc)
                            .database(database)
                            .kek(kek)
                            .person(TREASURER)
                            .start());
                }
                Treasury shared = new Treasury(instances.getFirst(), TREASURER, chain);
                AgentClient client = shared.createAgent("shared-bot", budgetPolicy(merchant));
                Address wallet = shared.createWallet("shared-bot", "shared-bot-wallet");
                chain.mintUsdc(usdc, wallet, usdc("100"));
                reconcile(instances.getFirst());
                chain.sendAs(wallet, usdc, Calldata.transfer(TestAddresses.fresh(), usdc("40")));

                Concurrently.run(4, i -> reconcile(instances.get(i % 2)));

                JdbcClient jdbc = database.jdbc();
                assertThat(jdbc.sql("select count(*) from external_outflows where wallet_id = 'shared-bot-wallet'")
                                .query(Integer.class)
                                .single())
                        .as("one transfer, one nonce, one range of the ETH balance (the gas)")
                        .isEqualTo(3);
                assertThat(jdbc.sql("""
                                select count(*) from reservations r join external_outflows o on o.id = r.external_outflow_id
                                where o.wallet_id = 'shared-bot-wallet'
                                """).query(Integer.class).single()).isEqualTo(2);
                JsonNode budget = client.budget().body().get("budgets").get(0);
                assertThat(budget.get("committed").asString()).isEqualTo("40");
            } finally {
                instances.forEach(GuardianInstance::close);
            }
        }
    }
}
