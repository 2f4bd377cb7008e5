package dev.guardian.service.treasury;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.contracts.Permit2Mock;
import dev.guardian.contracts.attacks.RevokeTrap;
import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.Hex;
import dev.guardian.policy.Keccak256;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.api.ProblemTypes;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.identity.Role;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.Calldata;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.PersonSpec;
import dev.guardian.service.testsupport.TestAddresses;
import dev.guardian.service.testsupport.Treasury;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Treasury actions on a real Anvil through a real Guardian: with the agent frozen and the kill switch
 * engaged, a treasury member revokes an allowance the agent granted and sweeps the wallet to the configured
 * sweep address; the chain is read back. Only the treasury may; a revocation whose call would do anything
 * else, a pointless one, a sweep to a sanctioned address, one while the wallet is busy and one without a
 * configured address are refused, each with its own problem, and nothing is signed.
 */
class TreasuryActionsTest {
    private static final Duration SETTLE = Duration.ofSeconds(20);

    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final PersonSpec TREASURER = PersonSpec.person("tess", Role.TREASURY);
    private static final PersonSpec APPROVER = PersonSpec.person("alice", Role.APPROVER);
    private static final PersonSpec AUDITOR = PersonSpec.person("audrey", Role.AUDITOR);
    private static final Address SWEEP = TestAddresses.fresh();

    private static DevChain chain;
    private static Address usdc;
    private static Address permit2;
    private static Address oracle;
    private static GuardianInstance guardian;
    private static Treasury desk;
    private static AgentClient treasury;
    private static ChainAdapter adapter;

    @BeforeAll
    static void start() {
        chain = CHAIN.devChain();
        usdc = chain.deployTestUsdc();
        permit2 = chain.deploy(Permit2Mock.BINARY);
        oracle = chain.deploySanctionsOracle();
        guardian = GuardianInstance.builder(CHAIN.anvil().rpcUrl(), usdc)
                .person(TREASURER)
                .person(APPROVER)
                .person(AUDITOR)
                .property("guardian.treasury.sweep-address", SWEEP)
                .property("guardian.chain.permit2", permit2)
                .property("guardian.sanctions.oracle.enabled", "true")
                .property("guardian.sanctions.oracle.addresses.31337", oracle)
                .start();
        desk = new Treasury(guardian, TREASURER, chain);
        treasury = desk.client();
        adapter = guardian.bean(ChainAdapter.class);
    }

    @AfterAll
    static void stop() {
        if (guardian != null) {
            guardian.close();
        }
    }

    /** An agent whose policy lets it grant {@code spender} an allowance, with a wallet of 1000 USDC and 1 ETH. */
    private record Bot(String id, AgentClient client, Address wallet) {
        String path() {
            return "/v1/agents/" + id + "/wallets/" + id + "-wallet";
        }
    }

    private static Bot bot(String id, Address spender) {
        AgentClient client = desk.createAgent(id, """
                {"perTransaction": {"USDC": {"escalateAbove": "1000"}},
                 "budgets": [{"asset": "USDC", "limit": "500", "window": "24h"}],
                 "allowlist": [{"address": "%s", "label": "Spender"}]}""".formatted(spender));
        Address wallet = desk.createWallet(id, id + "-wallet");
        chain.mintUsdc(usdc, wallet, usdc("1000"));
        return new Bot(id, client, wallet);
    }

    @Test
    void withTheAgentFrozenAndTheKillSwitchEngagedTheTreasuryRevokesAndSweepsAndTheChainShowsIt() {
        Address spender = TestAddresses.fresh();
        Bot bot = bot("incident-bot", spender);
        AgentClient.Response granted =
                bot.client().callContract(usdc.toString(), Hex.encode(Calldata.approve(spender, usdc("200"))), "0");
        assertThat(granted.status()).as(granted.raw().body()).isEqualTo(202);
        bot.client().awaitStatus(granted.text("id"), SETTLE, "CONFIRMED");
        assertThat(text(usdcBudget(bot), "exposure")).isEqualTo("200");
        post("/v1/agents/" + bot.id() + "/freeze", "{\"comment\": \"incident 42\"}", 200);
        post("/v1/kill-switch/engage", "{\"comment\": \"incident 42: suspected prompt injection\"}", 200);
        try {
            AgentClient.Response stopped = bot.client().pay(spender.toString(), "1");
            assertThat(stopped.status()).as(stopped.raw().body()).isEqualTo(403);

            // The revocation: accepted, signed although the agent is frozen and the switch engaged, confirmed.
            AgentClient.Response revoked = revoke(bot, "USDC", spender, "ERC20");
            assertThat(revoked.status()).as(revoked.raw().body()).isEqualTo(202);
            assertThat(revoked.header("Location")).isEqualTo("/v1/requests/" + revoked.text("id"));
            assertThat(revoked.text("kind")).isEqualTo("TREASURY_REVOKE");
            assertThat(revoked.text("policyVersion")).isEqualTo("treasury-check");
            JsonNode confirmed = awaitFinal(revoked.text("id"));
            assertThat(text(confirmed, "status")).as(confirmed.toString()).isEqualTo("CONFIRMED");
            assertThat(text(confirmed.get("asked"), "requestedBy")).isEqualTo("person:tess");
            assertThat(allowance(bot.wallet(), spender)).isZero();
            assertThat(text(usdcBudget(bot), "exposure"))
                    .as("the exposure held for the allowance is released once the revocation is mined")
                    .isEqualTo("0");
            String remainingBefore = text(usdcBudget(bot), "remaining");

            List<JsonNode> story = auditStory(revoked.text("id"));
            assertThat(story.getFirst().get("event").asString()).isEqualTo("treasury-action-requested");
            assertThat(story.getFirst().get("actor").asString()).isEqualTo("person:tess");
            assertThat(story.getFirst()
                            .get("payload")
                            .get("asked")
                            .get("comment")
                            .asString())
                    .isEqualTo("incident 42: revoke what the agent granted");
            assertThat(story.stream().map(r -> r.get("event").asString()).toList())
                    .containsSubsequence("treasury-action-requested", "simulation", "decision", "signed", "confirmed");

            // The sweep: all the USDC, then all the ETH but what the sweep's own two transactions can cost.
            TokenAmount ethBefore = chain.ethBalance(bot.wallet());
            AgentClient.Response swept = post(
                    bot.path() + "/sweeps",
                    "{\"assets\": [\"ETH\", \"USDC\"], \"comment\": \"incident 42: move the funds to safety\"}",
                    202);
            assertThat(swept.text("sweepAddress")).isEqualTo(SWEEP.toString());
            List<JsonNode> requests = List.copyOf(swept.body().get("requests").values());
            assertThat(requests)
                    .extracting(r -> text(r.get("asked"), "asset"))
                    .as("tokens first, so that the ETH sweep leaves what their fees can cost")
                    .containsExactly("USDC", "ETH");
            List<JsonNode> settled = new ArrayList<>();
            for (JsonNode request : requests) {
                JsonNode done = awaitFinal(text(request, "id"));
                assertThat(text(done, "status")).as(done.toString()).isEqualTo("CONFIRMED");
                settled.add(done);
            }

            assertThat(chain.usdcBalance(usdc, SWEEP)).isEqualTo(usdc("1000"));
            assertThat(chain.usdcBalance(usdc, bot.wallet())).isEqualTo(usdc("0"));
            BigInteger ethSwept = new BigInteger(text(settled.get(1), "valueWei"));
            assertThat(chain.ethBalance(SWEEP).units()).isEqualTo(ethSwept);
            BigInteger dust = BigInteger.ZERO;
            BigInteger paid = BigInteger.ZERO;
            for (JsonNode done : settled) {
                BigInteger maxCost = new BigInteger(text(done.get("fee"), "maxCostWei"));
                BigInteger feePaid = new BigInteger(text(done, "feePaidWei"));
                dust = dust.add(maxCost.subtract(feePaid));
                paid = paid.add(feePaid);
            }
            BigInteger left = chain.ethBalance(bot.wallet()).units();
            assertThat(left)
                    .as("the wallet keeps only what the sweep's fee caps held back beyond what the fees cost")
                    .isEqualTo(dust);
            assertThat(left)
                    .isLessThan(new BigInteger(text(settled.get(1).get("fee"), "maxCostWei"))
                            .add(new BigInteger(text(settled.get(0).get("fee"), "maxCostWei"))));
            assertThat(ethBefore.units()).isEqualTo(ethSwept.add(paid).add(left));
            assertThat(text(usdcBudget(bot), "remaining"))
                    .as("a sweep is not the agent's spending")
                    .isEqualTo(remainingBefore);
            assertThat(text(usdcBudget(bot), "exposure")).isEqualTo("0");
        } finally {
            post("/v1/kill-switch/release", "{\"comment\": \"incident 42 resolved\"}", 200);
        }
    }

    @Test
    void onlyTheTreasuryMayActNotTheAgentNorAnApproverNorAnAuditor() {
        Address spender = TestAddresses.fresh();
        Bot bot = bot("roles-bot", spender);
        String revocation = "{\"token\": \"USDC\", \"spender\": \"%s\", \"comment\": \"no\"}".formatted(spender);
        String sweep = "{\"assets\": [\"USDC\"], \"comment\": \"no\"}";
        for (AgentClient caller : List.of(bot.client(), guardian.client(APPROVER), guardian.client(AUDITOR))) {
            for (String[] call : List.of(
                    new String[] {bot.path() + "/revocations", revocation},
                    new String[] {bot.path() + "/sweeps", sweep})) {
                AgentClient.Response refused = caller.post(call[0], call[1], Optional.empty());
                assertThat(refused.status()).as(refused.raw().body()).isEqualTo(403);
                assertThat(refused.text("type")).isEqualTo(ProblemTypes.FORBIDDEN.toString());
            }
        }
        assertThat(chain.usdcBalance(usdc, bot.wallet())).isEqualTo(usdc("1000"));
        assertThat(adapter.pendingNonce(bot.wallet())).isZero();
    }

    @Test
    void revokingAnAllowanceThatIsZeroAlreadyIsAConflictAndNothingIsSent() {
        Address spender = TestAddresses.fresh();
        Bot bot = bot("zero-bot", spender);

        AgentClient.Response pointless = revoke(bot, "USDC", spender, null);

        assertThat(pointless.status()).as(pointless.raw().body()).isEqualTo(409);
        assertThat(pointless.contentType()).startsWith("application/problem+json");
        assertThat(pointless.text("type"))
                .isEqualTo(
                        ProblemTypes.CONFLICT.resolve("allowance-already-zero").toString());
        assertThat(adapter.pendingNonce(bot.wallet())).isZero();
    }

    @Test
    void aRevocationWhoseCallWouldMoveValueOrLowerNothingIsRefusedRecordedAndNeverSigned() {
        Address spender = TestAddresses.fresh();
        Bot bot = bot("trap-bot", spender);
        Address trap = chain.deploy(RevokeTrap.BINARY);
        chain.sendFromDevAccount(trap, Calldata.call("mint", bot.wallet(), BigInteger.valueOf(500)));
        chain.sendFromDevAccount(trap, Calldata.call("grant", bot.wallet(), spender, BigInteger.valueOf(100)));

        AgentClient.Response trapped = revoke(bot, trap.toString(), spender, "ERC20");
        AgentClient.Response notAToken = revoke(bot, TestAddresses.fresh().toString(), spender, "ERC20");

        for (AgentClient.Response refused : List.of(trapped, notAToken)) {
            assertThat(refused.status()).as(refused.raw().body()).isEqualTo(403);
            assertThat(refused.text("type")).isEqualTo(ProblemTypes.TREASURY_ACTION_REFUSED.toString());
            assertThat(ruleIds(refused.body())).as(refused.raw().body()).contains("treasury.revocation-effects");
            AgentClient.Response recorded = treasury.request(refused.text("requestId"));
            assertThat(recorded.text("status")).isEqualTo("DENIED");
            assertThat(recorded.text("kind")).isEqualTo("TREASURY_REVOKE");
        }
        assertThat(trapped.raw().body()).contains("would move");
        assertThat(adapter.balance(new Asset.UnknownToken(trap), bot.wallet()).units())
                .isEqualTo(BigInteger.valueOf(500));
        assertThat(adapter.pendingNonce(bot.wallet())).isZero();
    }

    @Test
    void aPermit2AllowanceIsLockedDownAndASanctionedSpendersAllowanceCanBeRevoked() {
        Address spender = TestAddresses.fresh();
        Bot bot = bot("permit2-bot", spender);
        // Granted outside Guardian (a key used elsewhere, or before Guardian held it): the wallet approves
        // Permit2 on the token, and gives the spender a Permit2 allowance and an ERC-20 one.
        chain.sendAs(bot.wallet(), usdc, Calldata.approve(permit2, usdc("1000")));
        chain.sendAs(bot.wallet(), permit2, permit2Approve(usdc, spender, usdc("300")));
        chain.sendAs(bot.wallet(), usdc, Calldata.approve(spender, usdc("50")));
        assertThat(adapter.permit2Allowance(permit2, bot.wallet(), usdc, spender))
                .isEqualTo(usdc("300").units());
        chain.addToSanctionsOracle(oracle, spender);
        try {
            AgentClient.Response lockdown = revoke(bot, usdc.toString(), spender, "PERMIT2");
            AgentClient.Response erc20 = revoke(bot, "USDC", spender, "ERC20");

            for (AgentClient.Response accepted : List.of(lockdown, erc20)) {
                assertThat(accepted.status()).as(accepted.raw().body()).isEqualTo(202);
                JsonNode done = awaitFinal(accepted.text("id"));
                assertThat(text(done, "status"))
                        .as("revoking a sanctioned spender's allowance is what revocations are for: %s", done)
                        .isEqualTo("CONFIRMED");
            }
            assertThat(text(awaitFinal(lockdown.text("id")), "to")).isEqualTo(permit2.toString());
        } finally {
            chain.removeFromSanctionsOracle(oracle, spender);
        }
        assertThat(adapter.permit2Allowance(permit2, bot.wallet(), usdc, spender))
                .isZero();
        assertThat(allowance(bot.wallet(), spender)).isZero();
        assertThat(post("/v1/agents/permit2-bot", null, 200)
                        .body()
                        .get("frozen")
                        .asBoolean())
                .as("nothing diverged")
                .isFalse();
    }

    @Test
    void aSweepToASanctionedAddressIsRefusedAndOneWhileTheWalletIsBusyIsAConflict() {
        Address spender = TestAddresses.fresh();
        Bot bot = bot("sanctioned-bot", spender);
        TokenAmount sweptBefore = chain.usdcBalance(usdc, SWEEP);
        chain.addToSanctionsOracle(oracle, SWEEP);
        AgentClient.Response refused;
        try {
            refused = post(bot.path() + "/sweeps", "{\"assets\": [\"USDC\"], \"comment\": \"move\"}", 403);
        } finally {
            chain.removeFromSanctionsOracle(oracle, SWEEP);
        }
        assertThat(refused.text("type")).isEqualTo(ProblemTypes.TREASURY_ACTION_REFUSED.toString());
        assertThat(ruleIds(refused.body())).containsExactly("sanctions.hit");

        // A payment on its way to the chain: a sweep now could not know what will be left.
        chain.setAutomine(false);
        try {
            AgentClient.Response paying = bot.client().pay(spender.toString(), "10");
            assertThat(paying.status()).as(paying.raw().body()).isEqualTo(202);
            AgentClient.Response busy =
                    post(bot.path() + "/sweeps", "{\"assets\": [\"USDC\"], \"comment\": \"move\"}", 409);
            assertThat(busy.text("type"))
                    .isEqualTo(ProblemTypes.CONFLICT.resolve("wallet-busy").toString());
            assertThat(busy.body().get("requests").values())
                    .extracting(JsonNode::asString)
                    .containsExactly(paying.text("id"));
        } finally {
            chain.setAutomine(true);
            chain.mine();
        }
        assertThat(chain.usdcBalance(usdc, SWEEP)).isEqualTo(sweptBefore);
        assertThat(chain.usdcBalance(usdc, bot.wallet())).isEqualTo(usdc("990"));
    }

    @Test
    void nothingToSweepIsAConflictAndAnUnknownAssetIsInvalid() {
        Bot bot = bot("empty-bot", TestAddresses.fresh());
        chain.sendAs(bot.wallet(), usdc, Calldata.transfer(chain.owner(), usdc("1000")));
        chain.setEthBalance(bot.wallet(), TokenAmount.zero(Asset.ether()));

        AgentClient.Response empty =
                post(bot.path() + "/sweeps", "{\"assets\": [\"USDC\", \"ETH\"], \"comment\": \"move\"}", 409);
        AgentClient.Response unknown =
                post(bot.path() + "/sweeps", "{\"assets\": [\"DAI\"], \"comment\": \"move\"}", 400);
        AgentClient.Response twice =
                post(bot.path() + "/sweeps", "{\"assets\": [\"ETH\", \"ETH\"], \"comment\": \"move\"}", 400);
        AgentClient.Response noWallet =
                post("/v1/agents/empty-bot/wallets/nope/sweeps", "{\"assets\": [\"ETH\"], \"comment\": \"x\"}", 404);

        assertThat(empty.text("type"))
                .isEqualTo(ProblemTypes.CONFLICT.resolve("nothing-to-sweep").toString());
        assertThat(unknown.raw().body()).contains("/assets/0");
        assertThat(twice.raw().body()).contains("/assets/1");
        assertThat(noWallet.text("type")).isEqualTo(ProblemTypes.NOT_FOUND.toString());
    }

    @Test
    void aSweepWithoutAConfiguredSweepAddressIsAClearConflict() {
        try (GuardianInstance unconfigured = GuardianInstance.builder(
                        CHAIN.anvil().rpcUrl(), usdc)
                .person(TREASURER)
                .start()) {
            Treasury other = new Treasury(unconfigured, TREASURER, chain);
            other.createAgent("unswept-bot", "{}");
            Address wallet = other.createWallet("unswept-bot", "unswept-bot-wallet");
            chain.mintUsdc(usdc, wallet, usdc("10"));

            AgentClient.Response refused = other.client()
                    .post(
                            "/v1/agents/unswept-bot/wallets/unswept-bot-wallet/sweeps",
                            "{\"assets\": [\"USDC\"], \"comment\": \"move\"}",
                            Optional.empty());

            assertThat(refused.status()).as(refused.raw().body()).isEqualTo(409);
            assertThat(refused.text("type"))
                    .isEqualTo(ProblemTypes.CONFLICT
                            .resolve("sweep-address-not-configured")
                            .toString());
            assertThat(refused.text("detail")).contains("guardian.treasury.sweep-address");
            assertThat(chain.usdcBalance(usdc, wallet)).isEqualTo(usdc("10"));
        }
    }

    private static AgentClient.Response revoke(Bot bot, String token, Address spender, String kind) {
        String kindField = kind == null ? "" : ", \"kind\": \"" + kind + "\"";
        return treasury.post(
                bot.path() + "/revocations",
                "{\"token\": \"%s\", \"spender\": \"%s\"%s, \"comment\": \"incident 42: revoke what the agent granted\"}"
                        .formatted(token, spender, kindField),
                Optional.empty());
    }

    private static AgentClient.Response post(String path, String json, int expected) {
        AgentClient.Response response = json == null ? treasury.get(path) : treasury.post(path, json, Optional.empty());
        assertThat(response.status()).as("%s: %s", path, response.raw().body()).isEqualTo(expected);
        return response;
    }

    /** Follows a request with the treasurer's token until it is final. */
    private static JsonNode awaitFinal(String id) {
        Instant deadline = Instant.now().plus(SETTLE);
        while (true) {
            AgentClient.Response read = treasury.request(id);
            assertThat(read.status()).as(read.raw().body()).isEqualTo(200);
            String status = read.text("status");
            if (List.of("CONFIRMED", "FAILED", "DIVERGED", "DENIED").contains(status)
                    || Instant.now().isAfter(deadline)) {
                return read.body();
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static List<JsonNode> auditStory(String requestId) {
        AgentClient.Response story = guardian.client(AUDITOR).get("/v1/audit/requests/" + requestId);
        assertThat(story.status()).as(story.raw().body()).isEqualTo(200);
        return List.copyOf(story.body().get("records").values());
    }

    private static JsonNode usdcBudget(Bot bot) {
        AgentClient.Response budget = bot.client().budget();
        assertThat(budget.status()).as(budget.raw().body()).isEqualTo(200);
        for (JsonNode window : budget.body().get("budgets").values()) {
            if ("USDC".equals(text(window, "asset"))) {
                return window;
            }
        }
        throw new AssertionError("no USDC budget in " + budget.raw().body());
    }

    private static List<String> ruleIds(JsonNode body) {
        return body.get("reasons").values().stream().map(r -> text(r, "ruleId")).toList();
    }

    private static BigInteger allowance(Address owner, Address spender) {
        return adapter.allowance(usdc, owner, spender);
    }

    /** Permit2's {@code approve(token, spender, uint160 amount, uint48 expiration)}, expiring in a day. */
    private static byte[] permit2Approve(Address token, Address spender, TokenAmount amount) {
        byte[] selector = Keccak256.hash("approve(address,address,uint160,uint48)".getBytes(StandardCharsets.US_ASCII));
        byte[] data = new byte[4 + 32 * 4];
        System.arraycopy(selector, 0, data, 0, 4);
        System.arraycopy(token.toBytes(), 0, data, 4 + 12, 20);
        System.arraycopy(spender.toBytes(), 0, data, 4 + 32 + 12, 20);
        word(data, 2, amount.units());
        word(data, 3, BigInteger.valueOf(Instant.now().getEpochSecond() + 86_400));
        return data;
    }

    private static void word(byte[] data, int index, BigInteger value) {
        byte[] bytes = value.toByteArray();
        int length = Math.min(bytes.length, 32);
        System.arraycopy(bytes, bytes.length - length, data, 4 + 32 * index + 32 - length, length);
    }

    private static TokenAmount usdc(String amount) {
        return TokenAmount.parse(DevChain.usdcAsset(usdc), amount);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() ? null : value.asString();
    }
}
