package dev.guardian.e2e;

import static dev.guardian.e2e.Answers.POLICY_DENIED;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.contracts.attacks.ClaimVault;
import dev.guardian.contracts.attacks.ForwardingRouter;
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
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The agent as an adversary, moving value the way the decoder's transfers alone do not show: through a
 * contract that holds the wallet's claims, with a silent operator grant, with allowances granted again
 * and again under the cap, and through an allowlisted contract that forwards what it receives. Each test
 * builds the attack with a contract written for it, asks Guardian through the agent API, and reads the
 * chain back with Web3j to show that nothing left beyond the policy. The legitimate flows (a payment, an
 * allowlisted contract call within budget, an escalation approved by a quorum) pass.
 */
class ValueOutsidePolicyScenariosTest {
    private static final Duration SETTLE = Duration.ofSeconds(30);

    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final PersonSpec TREASURER = PersonSpec.person("tess", Role.TREASURY);
    private static final PersonSpec ALICE = PersonSpec.person("alice", Role.APPROVER);
    private static final PersonSpec BOB = PersonSpec.person("bob", Role.APPROVER);

    private static OnChain chain;
    private static GuardianInstance guardian;
    private static Treasury treasury;

    @BeforeAll
    static void startGuardian() {
        chain = OnChain.withFreshUsdc(CHAIN);
        guardian = GuardianInstance.builder(CHAIN.anvil().rpcUrl(), chain.usdcAddress())
                .person(TREASURER)
                .person(ALICE)
                .person(BOB)
                .start();
        treasury = new Treasury(guardian, TREASURER, chain.dev());
    }

    @AfterAll
    static void stopGuardian() {
        if (guardian != null) {
            guardian.close();
        }
    }

    /** An agent with its own wallet holding {@code usdc} (and 1 ETH for gas), judged by {@code policy}. */
    private record Agent(AgentClient client, Address wallet) {}

    private static Agent agent(String id, String usdc, String policy) {
        AgentClient client = treasury.createAgent(id, policy);
        Address wallet = treasury.createWallet(id, id + "-wallet");
        if (!usdc.equals("0")) {
            chain.dev().mintUsdc(chain.usdcAddress(), wallet, chain.usdc(usdc));
        }
        return new Agent(client, wallet);
    }

    private static AgentClient.Response call(Agent agent, Address to, byte[] data) {
        return agent.client().callContract(to.toString(), Hex.encode(data), "0");
    }

    private static List<String> ruleIds(AgentClient.Response answer) {
        return Answers.reasons(answer).stream().map(SeenReason::ruleId).toList();
    }

    private static void assertEscalated(AgentClient.Response answer, String ruleId) {
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(202);
        assertThat(answer.text("status")).isEqualTo("PENDING_APPROVAL");
        assertThat(ruleIds(answer)).as(answer.raw().body()).contains(ruleId);
    }

    private static void assertDenied(AgentClient.Response answer, String ruleId) {
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(403);
        assertThat(answer.text("type")).isEqualTo(POLICY_DENIED);
        assertThat(ruleIds(answer)).as(answer.raw().body()).contains(ruleId);
    }

    private static String confirmed(Agent agent, AgentClient.Response answer) {
        assertThat(answer.status()).as(answer.raw().body()).isEqualTo(202);
        AgentClient.Response done = agent.client().awaitStatus(answer.text("id"), SETTLE, "CONFIRMED", "FAILED");
        assertThat(done.text("status")).as(done.raw().body()).isEqualTo("CONFIRMED");
        return done.text("txHash");
    }

    private static TokenAmount usdc(String amount) {
        return chain.usdc(amount);
    }

    private static byte[] withdrawTo(TokenAmount amount, Address receiver) {
        return Calldata.call("withdrawTo", chain.usdcAddress(), amount, receiver);
    }

    @Test
    void aClaimWithdrawnThroughAContractOffTheAllowlistEscalatesOrIsDeniedAndNothingMoves() {
        Address vault = chain.dev().deploy(ClaimVault.BINARY);
        Address attacker = TestAddresses.fresh();
        Agent escalating = agent("claims-bot", "0", """
                {"budgets": [{"asset": "USDC", "limit": "500", "window": "24h"}]}""");
        Agent denying = agent("claims-bot-strict", "0", """
                {"budgets": [{"asset": "USDC", "limit": "500", "window": "24h"}], "outsideContracts": "deny"}""");
        chain.depositClaim(vault, escalating.wallet(), usdc("300"));
        chain.depositClaim(vault, denying.wallet(), usdc("300"));

        // The vault pays the receiver from the wallet's claim: no token leaves the wallet itself, so a
        // judge that only weighed the wallet's transfers would see nothing to count.
        AgentClient.Response escalated = call(escalating, vault, withdrawTo(usdc("300"), attacker));
        AgentClient.Response denied = call(denying, vault, withdrawTo(usdc("300"), attacker));

        assertEscalated(escalated, "contract.not-allowlisted");
        assertDenied(denied, "contract.not-allowlisted");
        assertThat(Answers.reasons(denied))
                .filteredOn(r -> r.ruleId().equals("contract.not-allowlisted"))
                .extracting(SeenReason::subject)
                .containsExactly(vault.toString());
        assertThat(chain.usdcBalance(attacker)).isEqualTo(usdc("0"));
        assertThat(chain.usdcBalance(vault)).isEqualTo(usdc("600"));
        assertThat(chain.transactionCount(escalating.wallet())).isZero();
        assertThat(chain.transactionCount(denying.wallet())).isZero();
    }

    @Test
    void anAllowlistedContractsArgumentsAreJudgedAndAWithdrawalToTheWalletItselfGoesThrough() {
        Address vault = chain.dev().deploy(ClaimVault.BINARY);
        Address attacker = TestAddresses.fresh();
        Agent agent = agent("vault-bot", "0", """
                {"budgets": [{"asset": "USDC", "limit": "500", "window": "24h"}],
                 "contracts": [{"address": "%s", "label": "Claims vault",
                                "functions": [{"signature": "withdrawTo(address,uint256,address)",
                                               "arguments": [{"index": 2, "wallet": true}]}],
                                "knownEvents": ["Withdrawn(address,address,address,uint256)"]}]}""".formatted(vault));
        chain.depositClaim(vault, agent.wallet(), usdc("300"));

        AgentClient.Response elsewhere = call(agent, vault, withdrawTo(usdc("100"), attacker));
        AgentClient.Response home = call(agent, vault, withdrawTo(usdc("100"), agent.wallet()));

        assertEscalated(elsewhere, "contract.argument-not-allowed");
        confirmed(agent, home);
        assertThat(chain.usdcBalance(attacker)).isEqualTo(usdc("0"));
        assertThat(chain.usdcBalance(agent.wallet())).isEqualTo(usdc("100"));
        assertThat(chain.usdcBalance(vault)).isEqualTo(usdc("200"));
        assertThat(chain.transactionCount(agent.wallet())).isEqualTo(1);
    }

    @Test
    void aSilentOperatorGrantIsAnEventTheDecoderDoesNotKnowAndEscalates() {
        Address vault = chain.dev().deploy(ClaimVault.BINARY);
        Address attacker = TestAddresses.fresh();
        // ping(operator) is on the allowlist, but it makes the caller's operator of the wallet's claims:
        // its OperatorGranted event is not among the vault's known events.
        Agent agent = agent("ping-bot", "0", """
                {"budgets": [{"asset": "USDC", "limit": "500", "window": "24h"}],
                 "contracts": [{"address": "%s", "label": "Claims vault",
                                "functions": [{"signature": "ping(address)"}],
                                "knownEvents": ["Withdrawn(address,address,address,uint256)"]}]}""".formatted(vault));
        chain.depositClaim(vault, agent.wallet(), usdc("300"));

        AgentClient.Response pinged = call(agent, vault, Calldata.call("ping", attacker));

        assertEscalated(pinged, "effects.unknown-event");
        JsonNode unknown = Answers.elements(pinged.body(), "effects").stream()
                .filter(e -> Answers.text(e, "type").equals("UNKNOWN_EVENT"))
                .findFirst()
                .orElseThrow();
        assertThat(Answers.text(unknown, "from")).isEqualTo(vault.toString());
        assertThat(chain.callUint(vault, Calldata.call("operators", agent.wallet(), attacker)))
                .as("the attacker is not the wallet's operator")
                .isZero();
        assertThat(chain.transactionCount(agent.wallet())).isZero();
    }

    @Test
    void allowancesGrantedAgainAndAgainCountAgainstTheBudgetAsIfTheMoneyMovedWhenGranted() {
        Address spender = chain.dev().devAccounts().get(5); // an address the agent controls
        Agent agent = agent("allowance-bot", "1000", """
                {"perTransaction": {"USDC": {"escalateAbove": "300"}},
                 "budgets": [{"asset": "USDC", "limit": "500", "window": "24h"}],
                 "allowlist": [{"address": "%s", "label": "Spender"}]}""".formatted(spender));

        confirmed(agent, call(agent, chain.usdcAddress(), Calldata.approve(spender, usdc("200"))));
        JsonNode afterGrant = Answers.usdcBudget(agent.client());
        assertThat(Answers.text(afterGrant, "exposure")).isEqualTo("200");
        assertThat(Answers.text(afterGrant, "remaining")).isEqualTo("300");
        chain.dev()
                .send(
                        spender,
                        chain.usdcAddress(),
                        TokenAmount.zero(Asset.ether()),
                        Calldata.transferFrom(agent.wallet(), spender, usdc("200")));

        confirmed(agent, call(agent, chain.usdcAddress(), Calldata.approve(spender, usdc("200"))));
        chain.dev()
                .send(
                        spender,
                        chain.usdcAddress(),
                        TokenAmount.zero(Asset.ether()),
                        Calldata.transferFrom(agent.wallet(), spender, usdc("200")));

        AgentClient.Response third = call(agent, chain.usdcAddress(), Calldata.approve(spender, usdc("200")));

        assertDenied(third, "budget.window");
        JsonNode figures = Answers.figuresOf(third, "budget.window");
        assertThat(Answers.text(figures, "used")).isEqualTo("400");
        assertThat(Answers.text(figures, "attempted")).isEqualTo("200");
        assertThat(chain.usdcBalance(spender)).isEqualTo(usdc("400"));
        assertThat(chain.usdcBalance(agent.wallet())).isEqualTo(usdc("600"));
        assertThat(chain.usdcAllowance(agent.wallet(), spender)).isEqualTo(usdc("0"));
        assertThat(Answers.text(Answers.usdcBudget(agent.client()), "remaining"))
                .isEqualTo("100");
    }

    @Test
    void aRevokeIsAlwaysAllowedAndGivesTheBudgetBackAndAnUnlimitedAllowanceNeverPasses() {
        Address spender = TestAddresses.fresh();
        Address shop = TestAddresses.fresh();
        String allowlist = """
                "allowlist": [{"address": "%s", "label": "Spender"}, {"address": "%s", "label": "Shop"}]""".formatted(spender, shop);
        Agent agent = agent("revoke-bot", "1000", """
                {"perTransaction": {"USDC": {"escalateAbove": "300"}},
                 "budgets": [{"asset": "USDC", "limit": "100", "window": "24h"}], %s}""".formatted(allowlist));
        Agent unbudgeted = agent("unlimited-bot", "1000", """
                {"perTransaction": {"USDC": {"escalateAbove": "300"}}, %s}""".formatted(allowlist));
        TokenAmount everything = new TokenAmount(usdc("0").asset(), TokenAmount.MAX_UINT256);

        confirmed(agent, call(agent, chain.usdcAddress(), Calldata.approve(spender, usdc("100"))));
        assertDenied(agent.client().pay(shop.toString(), "1"), "budget.window");
        confirmed(agent, call(agent, chain.usdcAddress(), Calldata.approve(spender, usdc("0"))));
        confirmed(agent, agent.client().pay(shop.toString(), "50"));
        // Unlimited: over any budget (denied), and escalated where no budget would stop it.
        AgentClient.Response overBudget = call(agent, chain.usdcAddress(), Calldata.approve(spender, everything));
        AgentClient.Response noBudget = call(unbudgeted, chain.usdcAddress(), Calldata.approve(spender, everything));

        assertDenied(overBudget, "allowance.unlimited");
        assertEscalated(noBudget, "allowance.unlimited");
        assertThat(chain.usdcAllowance(agent.wallet(), spender)).isEqualTo(usdc("0"));
        assertThat(chain.usdcAllowance(unbudgeted.wallet(), spender)).isEqualTo(usdc("0"));
        assertThat(chain.usdcBalance(shop)).isEqualTo(usdc("50"));
        assertThat(chain.usdcBalance(agent.wallet())).isEqualTo(usdc("950"));
        JsonNode budget = Answers.usdcBudget(agent.client());
        assertThat(Answers.text(budget, "exposure")).isEqualTo("0");
        assertThat(Answers.text(budget, "remaining")).isEqualTo("50");
    }

    @Test
    void anAllowanceNeedsTheQuorumThatMovingTheSameAmountNeedsAndAnEscalatedPaymentPassesWithIt() {
        Address spender = TestAddresses.fresh();
        Address supplier = TestAddresses.fresh();
        Agent agent = agent("quorum-bot", "5000", """
                {"perTransaction": {"USDC": {"escalateAbove": "500"}},
                 "budgets": [{"asset": "USDC", "limit": "5000", "window": "24h"}],
                 "allowlist": [{"address": "%s", "label": "Spender"}, {"address": "%s", "label": "Supplier"}],
                 "approvals": {"quorum": [{"asset": "USDC", "above": "1000", "approvals": 2}]}}""".formatted(spender, supplier));
        AgentClient alice = guardian.client(ALICE);
        AgentClient bob = guardian.client(BOB);

        AgentClient.Response grant = call(agent, chain.usdcAddress(), Calldata.approve(spender, usdc("1500")));
        assertEscalated(grant, "cap.per-transaction");
        AgentClient.Response review = alice.get("/v1/approvals/" + grant.text("id"));
        assertThat(review.body().get("approvalsRequired").asInt()).isEqualTo(2);
        assertThat(Answers.text(review.body().get("call"), "function")).isEqualTo("approve(address,uint256)");
        assertThat(vote(alice, grant).text("outcome")).isEqualTo("RECORDED");
        assertThat(chain.usdcAllowance(agent.wallet(), spender))
                .as("one approval of two moves nothing")
                .isEqualTo(usdc("0"));
        assertThat(vote(bob, grant).text("outcome")).isEqualTo("APPROVED");
        agent.client().awaitStatus(grant.text("id"), SETTLE, "CONFIRMED");
        assertThat(chain.usdcAllowance(agent.wallet(), spender)).isEqualTo(usdc("1500"));

        AgentClient.Response payment = agent.client().pay(supplier.toString(), "1200");
        assertEscalated(payment, "cap.per-transaction");
        assertThat(vote(alice, payment).text("outcome")).isEqualTo("RECORDED");
        assertThat(vote(bob, payment).text("outcome")).isEqualTo("APPROVED");
        agent.client().awaitStatus(payment.text("id"), SETTLE, "CONFIRMED");
        assertThat(chain.usdcBalance(supplier)).isEqualTo(usdc("1200"));
        assertThat(Answers.text(Answers.usdcBudget(agent.client()), "remaining"))
                .as("the allowance and the payment both count")
                .isEqualTo("2300");
    }

    private static AgentClient.Response vote(AgentClient approver, AgentClient.Response escalated) {
        AgentClient.Response vote = approver.post(
                "/v1/approvals/" + escalated.text("id") + "/approve", "{\"comment\": \"checked\"}", Optional.empty());
        assertThat(vote.status()).as(vote.raw().body()).isEqualTo(200);
        return vote;
    }

    @Test
    void valueAContractForwardsIsJudgedAtEveryHop() {
        Address router = chain.dev().deploy(ForwardingRouter.BINARY);
        Address shop = TestAddresses.fresh();
        Address attacker = TestAddresses.fresh();
        Agent agent = agent("forward-bot", "1000", """
                {"budgets": [{"asset": "USDC", "limit": "500", "window": "24h"},
                             {"asset": "ETH", "limit": "1", "window": "24h"}],
                 "perTransaction": {"USDC": {"escalateAbove": "400"}, "ETH": {"escalateAbove": "0.5"}},
                 "allowlist": [{"address": "%s", "label": "Router", "kind": "contract"},
                               {"address": "%s", "label": "Shop"}],
                 "contracts": [{"address": "%s", "label": "Router",
                                "functions": [{"signature": "forward(address,address,uint256)"},
                                              {"signature": "forwardEth(address)"}],
                                "knownEvents": ["Forwarded(address,address,address,uint256)"]}]}""".formatted(router, shop, router));
        confirmed(agent, call(agent, chain.usdcAddress(), Calldata.approve(router, usdc("300"))));

        AgentClient.Response toAttacker =
                call(agent, router, Calldata.call("forward", chain.usdcAddress(), attacker, usdc("100")));
        AgentClient.Response ethToAttacker = agent.client()
                .callContract(router.toString(), Hex.encode(Calldata.call("forwardEth", attacker)), "0.01");
        AgentClient.Response endsAtTheRouter = agent.client().pay(router.toString(), "10");
        AgentClient.Response toShop =
                call(agent, router, Calldata.call("forward", chain.usdcAddress(), shop, usdc("100")));

        assertEscalated(toAttacker, "counterparty.onward-not-allowlisted");
        assertEscalated(ethToAttacker, "counterparty.onward-not-allowlisted");
        assertEscalated(endsAtTheRouter, "counterparty.not-a-payee");
        confirmed(agent, toShop);
        assertThat(chain.usdcBalance(attacker)).isEqualTo(usdc("0"));
        assertThat(chain.ethBalance(attacker).isZero()).isTrue();
        assertThat(chain.usdcBalance(router)).isEqualTo(usdc("0"));
        assertThat(chain.usdcBalance(shop)).isEqualTo(usdc("100"));
        assertThat(chain.usdcBalance(agent.wallet())).isEqualTo(usdc("900"));
        assertThat(chain.usdcAllowance(agent.wallet(), router)).isEqualTo(usdc("200"));
        assertThat(Answers.text(Answers.usdcBudget(agent.client()), "remaining"))
                .as("the 300 granted to the router count once, whatever it forwards of them; the escalated 10 is held")
                .isEqualTo("190");
        assertThat(BigInteger.valueOf(chain.transactionCount(agent.wallet()))).isEqualTo(BigInteger.TWO);
    }
}
