package dev.guardian.service.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.identity.Role;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.HeldBudget;
import dev.guardian.service.testsupport.MutableClock;
import dev.guardian.service.testsupport.PersonSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The approval workflow on a real Guardian over real HTTP, against a real Anvil: quorum, rejection,
 * deadlines on a clock the test moves, the re-check at the final approval, and agents waiting for the
 * outcome. Every test uses its own agent, so budgets and balances do not interfere.
 */
class ApprovalWorkflowTest {
    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final PersonSpec ALICE = PersonSpec.person("alice", Role.APPROVER);
    private static final PersonSpec BOB = PersonSpec.person("bob", Role.APPROVER);
    private static final PersonSpec AUDITOR = PersonSpec.person("audrey", Role.AUDITOR);
    private static final MutableClock CLOCK = MutableClock.startingNow();

    private static final AgentSpec QUORUM = agent("quorum-agent").quorumAbove("1000", 2);
    private static final AgentSpec SINGLE = agent("single-agent");
    private static final AgentSpec REVIEWED = agent("reviewed-agent");
    private static final AgentSpec AFTER = agent("after-agent");
    private static final AgentSpec RESTAMPED = agent("restamped-agent");
    private static final AgentSpec TWICE = agent("twice-agent").quorumAbove("100", 2);
    private static final AgentSpec REJECTED = agent("rejected-agent");
    private static final AgentSpec LATE = agent("late-agent").approvalDeadline("1h");
    private static final AgentSpec BLACKLISTED = agent("blacklisted-agent");
    private static final AgentSpec BUDGETED = agent("budgeted-agent").budget("250", Duration.ofHours(24));
    private static final AgentSpec WAITING = agent("waiting-agent");
    private static final AgentSpec DENIED = agent("denied-agent");

    private static GuardianInstance guardian;
    private static DevChain chain;
    private static Address usdc;
    private static Address merchant;

    private static AgentSpec agent(String id) {
        return AgentSpec.agent(id).perTransactionCap("100").budget("5000", Duration.ofHours(24));
    }

    @BeforeAll
    static void start() {
        chain = CHAIN.devChain();
        usdc = chain.deployTestUsdc();
        merchant = chain.devAccounts().get(3);
        GuardianInstance.Builder builder = GuardianInstance.builder(
                        CHAIN.anvil().rpcUrl(), usdc)
                .clock(CLOCK)
                .person(ALICE)
                .person(BOB)
                .person(AUDITOR)
                .property("guardian.approvals.expiry-sweep-interval", "200ms");
        for (AgentSpec agent : new AgentSpec[] {
            QUORUM, SINGLE, REVIEWED, AFTER, RESTAMPED, TWICE, REJECTED, LATE, BLACKLISTED, BUDGETED, WAITING, DENIED
        }) {
            builder.agent(agent.allow(merchant));
        }
        guardian = builder.start();
        for (AgentSpec agent : new AgentSpec[] {
            QUORUM, SINGLE, REVIEWED, AFTER, RESTAMPED, TWICE, REJECTED, LATE, BLACKLISTED, BUDGETED, WAITING, DENIED
        }) {
            Address wallet = guardian.walletOf(agent);
            chain.mintUsdc(usdc, wallet, usdc("3000"));
            chain.setEthBalance(wallet, TokenAmount.parse(Asset.ether(), "1"));
        }
    }

    @AfterAll
    static void stop() {
        guardian.close();
    }

    @Test
    void escalatesAndConfirmsOnChainOnlyAfterAQuorumOfTwo() {
        Address wallet = guardian.walletOf(QUORUM);
        TokenAmount merchantBefore = chain.usdcBalance(usdc, merchant);
        String id = escalate(QUORUM, "1500");
        assertThat(guardian.client(ALICE)
                        .get("/v1/approvals/" + id)
                        .body()
                        .get("approvalsRequired")
                        .asInt())
                .isEqualTo(2);

        AgentClient.Response first = approve(ALICE, id);
        assertThat(first.status()).isEqualTo(200);
        assertThat(first.text("outcome")).isEqualTo("RECORDED");
        assertThat(first.body().get("approvals").asInt()).isEqualTo(1);
        assertThat(guardian.client(QUORUM).request(id).text("status")).isEqualTo("PENDING_APPROVAL");
        assertThat(chain.usdcBalance(usdc, merchant)).isEqualTo(merchantBefore);

        AgentClient.Response second = approve(BOB, id);
        assertThat(second.text("outcome")).isEqualTo("APPROVED");
        guardian.client(QUORUM).awaitStatus(id, Duration.ofSeconds(20), "CONFIRMED");
        assertThat(chain.usdcBalance(usdc, merchant)).isEqualTo(merchantBefore.plus(usdc("1500")));
        assertThat(chain.usdcBalance(usdc, wallet)).isEqualTo(usdc("1500"));
        assertThat(reservation(id)).isEqualTo("POSTED");
    }

    @Test
    void showsApproversWhatTheRequestWouldDoAndTheBudgetBeforeAndAfter() {
        String id = escalate(REVIEWED, "150");

        AgentClient.Response review = guardian.client(ALICE).get("/v1/approvals/" + id);

        assertThat(review.status()).isEqualTo(200);
        var request = review.body().get("request");
        assertThat(request.get("asked").get("recipient").asString()).isEqualTo(merchant.toString());
        assertThat(request.get("asked").get("amount").asString()).isEqualTo("150");
        assertThat(request.get("effects").get(0).get("asset").asString()).isEqualTo("USDC");
        assertThat(request.get("effects").get(0).get("amount").asString()).isEqualTo("150");
        assertThat(request.get("effects").get(0).get("to").asString()).isEqualTo(merchant.toString());
        assertThat(request.get("reasons").findValuesAsString("ruleId")).containsExactly("cap.per-transaction");
        assertThat(review.text("deadline")).isNotNull();
        var budget = review.body().get("budget").get(0);
        assertThat(budget.get("remainingBefore").asString()).isEqualTo("5000");
        assertThat(budget.get("thisRequest").asString()).isEqualTo("150");
        assertThat(budget.get("remainingAfter").asString()).isEqualTo("4850");
        assertThat(guardian.client(ALICE).get("/v1/approvals").body().findValuesAsString("id"))
                .contains(id);
    }

    @Test
    void anApprovedRequestsBudgetCountsFromItsApprovalNotItsEscalation() {
        String id = escalate(RESTAMPED, "150");
        CLOCK.advance(Duration.ofHours(2));
        Instant approvedAt = CLOCK.instant();

        assertThat(approve(ALICE, id).text("outcome")).isEqualTo("APPROVED");

        Instant reservedAt = HeldBudget.current(guardian, id).getFirst().reservedAt();
        // PostgreSQL keeps microseconds; the escalation was two hours earlier.
        assertThat(Duration.between(approvedAt, reservedAt).abs()).isLessThan(Duration.ofMillis(1));
    }

    @Test
    void anApproverCountsOnce() {
        String id = escalate(TWICE, "150");

        assertThat(approve(ALICE, id).text("outcome")).isEqualTo("RECORDED");
        AgentClient.Response again = approve(ALICE, id);

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.text("type")).isEqualTo("https://guardian.dev/problems/approval-not-possible");
        assertThat(again.text("reason")).isEqualTo("already-decided");
        assertThat(guardian.client(TWICE).request(id).text("status")).isEqualTo("PENDING_APPROVAL");
    }

    @Test
    void aRejectionEndsTheRequestReleasesItsBudgetAndCannotBeApprovedAfter() {
        TokenAmount before = chain.usdcBalance(usdc, guardian.walletOf(REJECTED));
        String id = escalate(REJECTED, "150");

        AgentClient.Response rejected = guardian.client(ALICE)
                .post(
                        "/v1/approvals/" + id + "/reject",
                        "{\"comment\":\"not in this quarter's plan\"}",
                        Optional.empty());
        AgentClient.Response approveAfter = approve(BOB, id);

        assertThat(rejected.text("outcome")).isEqualTo("REJECTED");
        assertThat(guardian.client(REJECTED).request(id).text("status")).isEqualTo("REJECTED");
        assertThat(guardian.client(REJECTED).request(id).text("failure")).contains("not in this quarter's plan");
        assertThat(approveAfter.status()).isEqualTo(409);
        assertThat(approveAfter.text("requestStatus")).isEqualTo("REJECTED");
        assertThat(reservation(id)).isEqualTo("VOIDED");
        assertThat(chain.usdcBalance(usdc, guardian.walletOf(REJECTED))).isEqualTo(before);
    }

    @Test
    void aRejectionAfterTheFinalApprovalIsRefusedAndChangesNothing() {
        String id = escalate(AFTER, "140");
        assertThat(approve(ALICE, id).text("outcome")).isEqualTo("APPROVED");

        AgentClient.Response lateRejection = guardian.client(BOB)
                .post("/v1/approvals/" + id + "/reject", "{\"comment\":\"too late\"}", Optional.empty());

        assertThat(lateRejection.status()).isEqualTo(409);
        assertThat(lateRejection.text("type")).isEqualTo("https://guardian.dev/problems/approval-not-possible");
        assertThat(lateRejection.text("requestStatus")).isIn("APPROVED", "SUBMITTED", "CONFIRMED");
        guardian.client(AFTER).awaitStatus(id, Duration.ofSeconds(20), "CONFIRMED");
    }

    @Test
    void anApprovalAfterTheDeadlineIsRefusedAndTheRequestExpires() {
        String id = escalate(LATE, "150");

        CLOCK.advance(Duration.ofMinutes(61));
        AgentClient.Response late = approve(ALICE, id);

        assertThat(late.status()).isEqualTo(409);
        // Either the vote found it past the deadline, or the sweep had already expired it: refused both ways.
        assertThat(late.text("detail")).containsIgnoringCase("expired");
        assertThat(late.text("requestStatus")).isEqualTo("EXPIRED");
        AgentClient.Response request = guardian.client(LATE).request(id);
        assertThat(request.text("status")).isEqualTo("EXPIRED");
        assertThat(request.text("txHash")).isNull();
        assertThat(reservation(id)).isEqualTo("VOIDED");
    }

    @Test
    void pendingRequestsExpireAtTheirDeadlineEvenIfNobodyLooks() {
        String id = escalate(LATE, "120");

        CLOCK.advance(Duration.ofMinutes(61));

        AgentClient.Response expired = guardian.client(LATE).awaitStatus(id, Duration.ofSeconds(10), "EXPIRED");
        assertThat(expired.text("failure")).contains("deadline");
        assertThat(reservation(id)).isEqualTo("VOIDED");
    }

    @Test
    void theFinalApprovalFailsWhenTheRecipientWasBlacklistedMeanwhile() {
        Address payee = chain.devAccounts().get(4);
        AgentSpec agent = BLACKLISTED;
        // Pay an allowlisted merchant more than the cap, then blacklist the merchant... of this test only.
        String id = escalate(agent, "150", payee);
        chain.blacklist(usdc, payee);
        try {
            AgentClient.Response approval = approve(ALICE, id);

            assertThat(approval.text("outcome")).isEqualTo("RECHECK_FAILED");
            AgentClient.Response request = guardian.client(agent).request(id);
            assertThat(request.text("status")).isEqualTo("FAILED");
            assertThat(request.text("failure")).contains("simulation.reverted").contains("Blacklistable");
            assertThat(request.text("txHash")).isNull();
            assertThat(reservation(id)).isEqualTo("VOIDED");
            assertThat(chain.usdcBalance(usdc, payee)).isEqualTo(usdc("0"));
        } finally {
            chain.unBlacklist(usdc, payee);
        }
    }

    @Test
    void pendingReservationsCountSoApprovingEverythingPendingNeverExceedsTheBudget() {
        String first = escalate(BUDGETED, "110");
        String second = escalate(BUDGETED, "110");
        AgentClient.Response third = guardian.client(BUDGETED).pay(merchant.toString(), "110");
        assertThat(third.status()).isEqualTo(403);
        assertThat(third.body().get("reasons").findValuesAsString("ruleId")).contains("budget.window");

        assertThat(approve(ALICE, first).text("outcome")).isEqualTo("APPROVED");
        assertThat(approve(ALICE, second).text("outcome")).isEqualTo("APPROVED");
        guardian.client(BUDGETED).awaitStatus(first, Duration.ofSeconds(20), "CONFIRMED");
        guardian.client(BUDGETED).awaitStatus(second, Duration.ofSeconds(20), "CONFIRMED");

        assertThat(chain.usdcBalance(usdc, guardian.walletOf(BUDGETED))).isEqualTo(usdc("2780"));
    }

    @Test
    void anAgentCanWaitForTheDecisionWithoutPolling() throws Exception {
        String id = escalate(WAITING, "130");
        CompletableFuture<AgentClient.Response> waiting = CompletableFuture.supplyAsync(() ->
                guardian.client(WAITING).get("/v1/requests/" + id + "?waitWhile=PENDING_APPROVAL&waitSeconds=30"));
        // Until someone decides, the agent's call is held open.
        assertThat(waiting).isNotCompleted();
        Thread.sleep(300);
        assertThat(waiting).isNotCompleted();

        approve(ALICE, id);

        AgentClient.Response answer = waiting.get();
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.text("status")).isIn("APPROVED", "SIGNED", "SUBMITTED", "CONFIRMED");
    }

    @Test
    void aDeniedRequestCannotBeApproved() {
        AgentClient.Response denied = guardian.client(DENIED).pay("0x04DBA1194ee10112fE6C3207C0687DEf0e78baCf", "1");
        String id = denied.text("requestId");

        AgentClient.Response approval = approve(ALICE, id);

        assertThat(approval.status()).isEqualTo(409);
        assertThat(approval.text("requestStatus")).isEqualTo("DENIED");
        assertThat(guardian.client(DENIED).request(id).text("status")).isEqualTo("DENIED");
    }

    @Test
    void onlyApproversMayApprove() {
        String id = escalate(SINGLE, "101");

        AgentClient.Response byTheAgent = guardian.client(SINGLE)
                .post("/v1/approvals/" + id + "/approve", "{\"comment\":\"approving myself\"}", Optional.empty());
        AgentClient.Response byAnAuditor = approve(AUDITOR, id);

        assertThat(byTheAgent.status()).isEqualTo(403);
        assertThat(byTheAgent.text("type")).isEqualTo("https://guardian.dev/problems/forbidden");
        assertThat(byAnAuditor.status()).isEqualTo(403);
        assertThat(guardian.client(SINGLE).request(id).text("status")).isEqualTo("PENDING_APPROVAL");
    }

    @Test
    void aVoteNeedsAComment() {
        String id = escalate(SINGLE, "102");

        AgentClient.Response response =
                guardian.client(ALICE).post("/v1/approvals/" + id + "/approve", "{}", Optional.empty());

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().get("errors").findValuesAsString("pointer")).contains("/comment");
    }

    private static String escalate(AgentSpec agent, String amount) {
        return escalate(agent, amount, merchant);
    }

    private static String escalate(AgentSpec agent, String amount, Address recipient) {
        AgentClient.Response response = guardian.client(agent).pay(recipient.toString(), amount);
        assertThat(response.status()).as(response.raw().body()).isEqualTo(202);
        assertThat(response.text("status")).isEqualTo("PENDING_APPROVAL");
        return response.text("id");
    }

    private static AgentClient.Response approve(PersonSpec person, String id) {
        return guardian.client(person)
                .post("/v1/approvals/" + id + "/approve", "{\"comment\":\"checked the invoice\"}", Optional.empty());
    }

    private static TokenAmount usdc(String amount) {
        return TokenAmount.parse(DevChain.usdcAsset(usdc), amount);
    }

    private static String reservation(String id) {
        return HeldBudget.state(guardian, id);
    }
}
