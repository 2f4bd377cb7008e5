package dev.guardian.e2e;

import static dev.guardian.e2e.Answers.PROBLEM_JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.contracts.attacks.RevokeTrap;
import dev.guardian.e2e.Answers.SeenReason;
import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.Hex;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.api.ProblemTypes;
import dev.guardian.service.identity.Role;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.Calldata;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.PersonSpec;
import dev.guardian.service.testsupport.TestAddresses;
import dev.guardian.service.testsupport.Treasury;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * An incident, end to end: an agent that granted an allowance and holds money goes wrong; the treasury
 * freezes it and engages the kill switch, then revokes the allowance and sweeps the wallet to the
 * configured treasury address through the API. Everything is read back from the chain with Web3j: the
 * spender can no longer pull, the sweep address holds the funds, the wallet only dust. Neither the agent
 * nor an approver can do it, and a "revocation" whose call would move value is refused unsigned.
 */
class TreasuryActionsScenariosTest {
    private static final Duration SETTLE = Duration.ofSeconds(30);

    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final PersonSpec TREASURER = PersonSpec.person("tess", Role.TREASURY);
    private static final PersonSpec ALICE = PersonSpec.person("alice", Role.APPROVER);
    private static final PersonSpec AUDITOR = PersonSpec.person("audrey", Role.AUDITOR);
    private static final Address TREASURY_SAFE = TestAddresses.fresh();

    private static OnChain chain;
    private static GuardianInstance guardian;
    private static Treasury desk;
    private static AgentClient treasury;

    @BeforeAll
    static void startGuardian() {
        chain = OnChain.withFreshUsdc(CHAIN);
        guardian = GuardianInstance.builder(CHAIN.anvil().rpcUrl(), chain.usdcAddress())
                .person(TREASURER)
                .person(ALICE)
                .person(AUDITOR)
                .property("guardian.treasury.sweep-address", TREASURY_SAFE)
                .start();
        desk = new Treasury(guardian, TREASURER, chain.dev());
        treasury = desk.client();
    }

    @AfterAll
    static void stopGuardian() {
        if (guardian != null) {
            guardian.close();
        }
    }

    @Test
    void anIncidentTheAllowanceIsRevokedAndTheWalletSweptWhileEverythingIsFrozen() {
        // A dev account stands in for the router the agent approved: it can send transactions to pull.
        Address router = chain.dev().devAccounts().get(6);
        Address supplier = TestAddresses.fresh();
        AgentClient agent = desk.createAgent("ops-bot", """
                {"perTransaction": {"USDC": {"escalateAbove": "500"}},
                 "budgets": [{"asset": "USDC", "limit": "1000", "window": "24h"}],
                 "allowlist": [{"address": "%s", "label": "Router"}, {"address": "%s", "label": "Supplier"}]}""".formatted(router, supplier));
        Address wallet = desk.createWallet("ops-bot", "ops-bot-wallet");
        chain.dev().mintUsdc(chain.usdcAddress(), wallet, chain.usdc("1000"));
        confirmed(
                agent,
                agent.callContract(
                        chain.usdcAddress().toString(), Hex.encode(Calldata.approve(router, chain.usdc("300"))), "0"));
        confirmed(agent, agent.pay(supplier.toString(), "50"));
        assertThat(chain.usdcAllowance(wallet, router)).isEqualTo(chain.usdc("300"));

        // The agent goes wrong: frozen, and every agent with it.
        send("/v1/agents/ops-bot/freeze", "{\"comment\": \"incident 7: odd calls\"}", 200);
        send("/v1/kill-switch/engage", "{\"comment\": \"incident 7\"}", 200);
        try {
            String wallets = "/v1/agents/ops-bot/wallets/ops-bot-wallet";
            String revocation = """
                    {"token": "USDC", "spender": "%s", "kind": "ERC20", "comment": "incident 7: cut the router off"}""".formatted(router);
            String sweep = "{\"assets\": [\"USDC\", \"ETH\"], \"comment\": \"incident 7: funds to the safe\"}";
            for (AgentClient notTreasury : List.of(agent, guardian.client(ALICE))) {
                for (String[] call : List.of(
                        new String[] {wallets + "/revocations", revocation},
                        new String[] {wallets + "/sweeps", sweep})) {
                    AgentClient.Response refused = notTreasury.post(call[0], call[1], Optional.empty());
                    assertThat(refused.status()).as(refused.raw().body()).isEqualTo(403);
                    assertThat(refused.contentType()).startsWith(PROBLEM_JSON);
                    assertThat(refused.text("type")).isEqualTo(ProblemTypes.FORBIDDEN.toString());
                }
            }

            AgentClient.Response revoked = send(wallets + "/revocations", revocation, 202);
            JsonNode revokedDone = settled(revoked.text("id"));
            assertThat(Answers.text(revokedDone, "status"))
                    .as(revokedDone.toString())
                    .isEqualTo("CONFIRMED");
            assertThat(chain.usdcAllowance(wallet, router)).isEqualTo(chain.usdc("0"));
            assertThatThrownBy(() -> chain.dev()
                            .send(
                                    router,
                                    chain.usdcAddress(),
                                    TokenAmount.zero(Asset.ether()),
                                    Calldata.transferFrom(wallet, router, chain.usdc("1"))))
                    .as("the router can no longer pull")
                    .hasMessageContaining("reverted");

            AgentClient.Response swept = send(wallets + "/sweeps", sweep, 202);
            List<JsonNode> requests = Answers.elements(swept.body(), "requests");
            assertThat(requests).hasSize(2);
            BigInteger dust = BigInteger.ZERO;
            BigInteger ethSwept = BigInteger.ZERO;
            for (JsonNode request : requests) {
                JsonNode done = settled(Answers.text(request, "id"));
                assertThat(Answers.text(done, "status")).as(done.toString()).isEqualTo("CONFIRMED");
                dust = dust.add(new BigInteger(Answers.text(done.get("fee"), "maxCostWei"))
                        .subtract(new BigInteger(Answers.text(done, "feePaidWei"))));
                if ("ETH".equals(Answers.text(done.get("asked"), "asset"))) {
                    ethSwept = new BigInteger(Answers.text(done, "valueWei"));
                }
            }

            assertThat(chain.usdcBalance(TREASURY_SAFE)).isEqualTo(chain.usdc("950"));
            assertThat(chain.usdcBalance(wallet)).isEqualTo(chain.usdc("0"));
            assertThat(chain.ethBalance(TREASURY_SAFE).units()).isEqualTo(ethSwept);
            assertThat(chain.ethBalance(wallet).units())
                    .as("only the unused part of the sweep's own fee caps is left behind")
                    .isEqualTo(dust);
            assertThat(chain.transactionCount(wallet))
                    .as("approve, payment, revocation, USDC sweep, ETH sweep")
                    .isEqualTo(5);

            List<JsonNode> story = Answers.elements(
                    guardian.client(AUDITOR)
                            .get("/v1/audit/requests/" + revoked.text("id"))
                            .body(),
                    "records");
            assertThat(Answers.text(story.getFirst(), "event")).isEqualTo("treasury-action-requested");
            assertThat(Answers.text(story.getFirst(), "actor")).isEqualTo("person:tess");
            assertThat(story.stream().map(r -> Answers.text(r, "event")).toList())
                    .contains("decision", "signed", "confirmed");
        } finally {
            send("/v1/kill-switch/release", "{\"comment\": \"incident 7 closed\"}", 200);
        }
    }

    @Test
    void aRevocationWhoseCallWouldMoveTheWalletsTokensIsRefusedAndNeverSigned() {
        Address spender = TestAddresses.fresh();
        desk.createAgent("trap-bot", "{}");
        Address wallet = desk.createWallet("trap-bot", "trap-bot-wallet");
        Address trap = chain.dev().deploy(RevokeTrap.BINARY);
        chain.dev().sendFromDevAccount(trap, Calldata.call("mint", wallet, BigInteger.valueOf(1_000)));
        chain.dev().sendFromDevAccount(trap, Calldata.call("grant", wallet, spender, BigInteger.valueOf(10)));

        AgentClient.Response refused =
                send("/v1/agents/trap-bot/wallets/trap-bot-wallet/revocations", """
                {"token": "%s", "spender": "%s", "comment": "revoke the trap's allowance"}""".formatted(trap, spender), 403);

        assertThat(refused.text("type")).isEqualTo(ProblemTypes.TREASURY_ACTION_REFUSED.toString());
        assertThat(Answers.reasons(refused)).extracting(SeenReason::ruleId).contains("treasury.revocation-effects");
        assertThat(Answers.text(treasury.request(refused.text("requestId")).body(), "status"))
                .isEqualTo("DENIED");
        assertThat(chain.callUint(trap, Calldata.call("balanceOf", wallet))).isEqualTo(BigInteger.valueOf(1_000));
        assertThat(chain.callUint(trap, Calldata.call("balanceOf", spender))).isZero();
        assertThat(chain.transactionCount(wallet)).isZero();
    }

    private static AgentClient.Response send(String path, String json, int expected) {
        AgentClient.Response answer = treasury.post(path, json, Optional.empty());
        assertThat(answer.status()).as("%s: %s", path, answer.raw().body()).isEqualTo(expected);
        return answer;
    }

    private static void confirmed(AgentClient agent, AgentClient.Response answer) {
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(202);
        AgentClient.Response done = agent.awaitStatus(answer.text("id"), SETTLE, "CONFIRMED", "FAILED");
        assertThat(done.text("status")).as(done.raw().body()).isEqualTo("CONFIRMED");
    }

    /** The request once final, read with the treasurer's token as the treasury follows what it asked for. */
    private static JsonNode settled(String id) {
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
}
