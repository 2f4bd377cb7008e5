package dev.guardian.service.approvals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.identity.Role;
import dev.guardian.service.requests.Reservations;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.PersonSpec;
import dev.guardian.service.testsupport.Treasury;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What happens at the final approval of a request escalated before a control-plane
 * change (a new policy version, a team change). The final approval re-judges "by today's rules"
 * (docs/policies.md), so today's quorum and today's team must be the ones that count.
 */
class ApprovalAfterControlPlaneChangeTest {
    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final PersonSpec TREASURER = PersonSpec.person("cp-treasurer", Role.TREASURY);
    private static final PersonSpec FIRST_APPROVER = PersonSpec.person("cp-approver-1", Role.APPROVER);
    private static final PersonSpec SECOND_APPROVER = PersonSpec.person("cp-approver-2", Role.APPROVER);

    private static GuardianInstance guardian;
    private static DevChain chain;
    private static Address usdc;
    private static Address merchant;
    private static Treasury desk;
    private static AgentClient treasury;

    @BeforeAll
    static void start() {
        chain = CHAIN.devChain();
        usdc = chain.deployTestUsdc();
        merchant = chain.devAccounts().get(5);
        guardian = GuardianInstance.builder(CHAIN.anvil().rpcUrl(), usdc)
                .person(TREASURER)
                .person(FIRST_APPROVER)
                .person(SECOND_APPROVER)
                .start();
        desk = new Treasury(guardian, TREASURER, chain);
        treasury = desk.client();
    }

    @AfterAll
    static void stop() {
        guardian.close();
    }

    @Test
    void aQuorumRaisedByTheNowActiveVersionIsRequiredAtTheFinalApproval() {
        AgentClient agent = fundedAgent("quorum-bot", Optional.empty(), "1000");
        String pending = agent.pay(merchant.toString(), "60").text("id");
        assertThat(agent.request(pending).text("status")).isEqualTo("PENDING_APPROVAL");

        // Version 2: above 50 USDC, two different approvers.
        AgentClient.Response created = treasury.post(
                "/v1/agents/quorum-bot/policies?comment=two-approvers",
                policy(
                        "1000",
                        ", \"approvals\": {\"quorum\": [{\"asset\": \"USDC\", \"above\": \"50\", \"approvals\": 2}]}"),
                Optional.empty());
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        AgentClient.Response activated = treasury.post(
                "/v1/agents/quorum-bot/policies/2/activate", "{\"comment\":\"four eyes\"}", Optional.empty());
        assertThat(activated.status()).as(activated.raw().body()).isEqualTo(200);

        AgentClient.Response vote = guardian.client(FIRST_APPROVER)
                .post("/v1/approvals/" + pending + "/approve", "{\"comment\":\"ok\"}", Optional.empty());

        assertThat(vote.status()).as(vote.raw().body()).isEqualTo(200);
        assertThat(vote.text("outcome"))
                .as(
                        "version 2 (active at the final approval, the version the re-check judges by) wants two approvers: %s",
                        vote.raw().body())
                .isEqualTo("RECORDED");
        assertThat(vote.body().get("approvalsRequired").asInt()).isEqualTo(2);

        AgentClient.Response second = guardian.client(SECOND_APPROVER)
                .post("/v1/approvals/" + pending + "/approve", "{\"comment\":\"ok too\"}", Optional.empty());
        assertThat(second.text("outcome")).as(second.raw().body()).isEqualTo("APPROVED");
        assertThat(agent.request(pending).text("policyVersion"))
                .as("the version that allowed it")
                .isEqualTo("2");
    }

    @Test
    void aRequestApprovedAfterItsAgentJoinedATeamCountsAgainstThatTeamsBudget() {
        AgentClient.Response team = treasury.send("PUT", "/v1/teams/payables", """
                {"name": "Payables", "budgets": [{"asset": "USDC", "limit": "100", "window": "24h"}]}
                """);
        assertThat(team.status()).as(team.raw().body()).isEqualTo(200);
        AgentClient joiner = fundedAgent("joiner-bot", Optional.empty(), "1000");
        AgentClient member = fundedAgent("member-bot", Optional.of("payables"), "1000");

        String pending = joiner.pay(merchant.toString(), "90").text("id");
        assertThat(joiner.request(pending).text("status")).isEqualTo("PENDING_APPROVAL");
        AgentClient.Response moved = treasury.send(
                "PUT", "/v1/agents/joiner-bot/team", "{\"team\": \"payables\", \"comment\": \"joins payables\"}");
        assertThat(moved.status()).as(moved.raw().body()).isEqualTo(200);

        // The final approval judges the 90 against the team's budget (100): it fits, it is approved.
        AgentClient.Response approved = guardian.client(FIRST_APPROVER)
                .post("/v1/approvals/" + pending + "/approve", "{\"comment\":\"ok\"}", Optional.empty());
        assertThat(approved.text("outcome")).as(approved.raw().body()).isEqualTo("APPROVED");
        BigDecimal teamSpentBefore = teamSpent("payables");

        // 90 of the team's 100 are now spent, so another member's 40 would take the team to 130.
        AgentClient.Response second = member.pay(merchant.toString(), "40");
        assertThat(second.status())
                .as(
                        "the team budget of 100 holds (team reservations before: %s units): %s",
                        teamSpentBefore, second.raw().body())
                .isEqualTo(403);
    }

    private static BigDecimal teamSpent(String team) {
        return guardian.bean(Reservations.class).teamReservationsSince(team, Instant.EPOCH, Optional.empty()).stream()
                .map(r -> new BigDecimal(r.counted().units()))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    private static String policy(String budget, String extra) {
        return """
                {"perTransaction": {"USDC": {"escalateAbove": "50"}},
                 "budgets": [{"asset": "USDC", "limit": "%s", "window": "24h"}],
                 "allowlist": [{"address": "%s", "label": "Merchant"}]%s}
                """.formatted(budget, merchant, extra);
    }

    private static AgentClient fundedAgent(String id, Optional<String> team, String budget) {
        AgentClient agent = desk.createAgent(id, team, policy(budget, ""));
        chain.mintUsdc(
                usdc, desk.createWallet(id, id + "-wallet"), TokenAmount.parse(DevChain.usdcAsset(usdc), "1000"));
        return agent;
    }
}
