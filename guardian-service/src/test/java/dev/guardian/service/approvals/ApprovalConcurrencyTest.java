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
import dev.guardian.service.testsupport.Concurrently;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.HeldBudget;
import dev.guardian.service.testsupport.MutableClock;
import dev.guardian.service.testsupport.PersonSpec;
import dev.guardian.service.testsupport.TestDatabase;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.web3j.protocol.core.DefaultBlockParameterName;

/**
 * Two Guardian instances on one database: simultaneous votes sent to different instances lead to
 * exactly one signature and one transaction, and a deadline that passed while Guardian was stopped is
 * honoured by the next instance to start.
 */
class ApprovalConcurrencyTest {
    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final PersonSpec ALICE = PersonSpec.person("alice", Role.APPROVER);
    private static final PersonSpec BOB = PersonSpec.person("bob", Role.APPROVER);
    private static final PersonSpec TREASURER = PersonSpec.person("tessa", Role.TREASURY);
    private static final AgentSpec RACED =
            AgentSpec.agent("raced-agent").perTransactionCap("10").budget("1000", Duration.ofHours(24));
    private static final AgentSpec QUORUM = AgentSpec.agent("quorum-raced")
            .perTransactionCap("10")
            .budget("1000", Duration.ofHours(24))
            .quorumAbove("10", 2);
    private static final AgentSpec FROZEN_LATER =
            AgentSpec.agent("frozen-later").perTransactionCap("10").budget("1000", Duration.ofHours(24));
    private static final AgentSpec SLEEPER = AgentSpec.agent("sleeper")
            .perTransactionCap("10")
            .budget("1000", Duration.ofHours(24))
            .approvalDeadline("2h");

    private static TestDatabase database;
    private static String kek;
    private static GuardianInstance first;
    private static GuardianInstance second;
    private static DevChain chain;
    private static Address usdc;
    private static Address merchant;

    @BeforeAll
    static void start() {
        chain = CHAIN.devChain();
        usdc = chain.deployTestUsdc();
        merchant = chain.devAccounts().get(6);
        database = TestDatabase.start();
        kek = GuardianInstance.newKek();
        first = instance(null);
        second = instance(null);
        for (AgentSpec agent : List.of(RACED, QUORUM, SLEEPER, FROZEN_LATER)) {
            Address wallet = first.walletOf(agent);
            chain.mintUsdc(usdc, wallet, TokenAmount.parse(DevChain.usdcAsset(usdc), "500"));
            chain.setEthBalance(wallet, TokenAmount.parse(Asset.ether(), "1"));
        }
    }

    private static GuardianInstance instance(MutableClock clock) {
        GuardianInstance.Builder builder = GuardianInstance.builder(
                        CHAIN.anvil().rpcUrl(), usdc)
                .database(database.jdbcUrl(), "postgres", "postgres")
                .kek(kek)
                .agent(RACED.allow(merchant))
                .agent(QUORUM.allow(merchant))
                .agent(SLEEPER.allow(merchant))
                .agent(FROZEN_LATER.allow(merchant))
                .person(ALICE)
                .person(BOB)
                .person(TREASURER);
        if (clock != null) {
            builder.clock(clock);
        }
        return builder.start();
    }

    @AfterAll
    static void stop() throws Exception {
        second.close();
        first.close();
        database.close();
    }

    @Test
    void simultaneousVotesOnTwoInstancesSignExactlyOneTransaction() throws Exception {
        for (AgentSpec agent : List.of(RACED, QUORUM)) {
            for (int round = 0; round < 3; round++) {
                BigInteger nonceBefore = nonce(first.walletOf(agent));
                TokenAmount before = chain.usdcBalance(usdc, first.walletOf(agent));
                String id = first.client(agent).pay(merchant.toString(), "11").text("id");

                List<AgentClient.Response> votes = voteAtOnce(id);

                assertThat(votes).extracting(AgentClient.Response::status).containsAnyOf(200);
                assertThat(votes).allMatch(v -> v.status() == 200 || v.status() == 409);
                first.client(agent).awaitStatus(id, Duration.ofSeconds(20), "CONFIRMED");
                assertThat(nonce(first.walletOf(agent)))
                        .as("transactions sent")
                        .isEqualTo(nonceBefore.add(BigInteger.ONE));
                assertThat(chain.usdcBalance(usdc, first.walletOf(agent)))
                        .isEqualTo(before.minus(TokenAmount.parse(DevChain.usdcAsset(usdc), "11")));
            }
        }
    }

    @Test
    void aDeadlineThatPassedWhileGuardianWasStoppedIsHonouredAtTheNextStart() {
        MutableClock clock = MutableClock.startingNow();
        String id;
        try (GuardianInstance before = instance(clock)) {
            AgentClient.Response escalated = before.client(SLEEPER).pay(merchant.toString(), "50");
            assertThat(escalated.status()).as(escalated.raw().body()).isEqualTo(202);
            id = escalated.text("id");
            assertThat(before.client(SLEEPER).request(id).text("status")).isEqualTo("PENDING_APPROVAL");
        }
        // Guardian is down (on this clock) past the deadline; nobody looks at the request.
        clock.advance(Duration.ofHours(3));
        try (GuardianInstance after = instance(clock)) {
            AgentClient.Response expired = after.client(SLEEPER).awaitStatus(id, Duration.ofSeconds(10), "EXPIRED");
            assertThat(expired.text("txHash")).isNull();
            assertThat(HeldBudget.state(after, id)).isEqualTo("VOIDED");
        }
    }

    @Test
    void aFrozenAgentsPendingRequestCannotBeApproved() {
        String id = first.client(FROZEN_LATER).pay(merchant.toString(), "20").text("id");
        assertThat(first.client(FROZEN_LATER).request(id).text("status")).isEqualTo("PENDING_APPROVAL");

        // The treasury freezes the agent through the API on one instance; the vote arrives on the other.
        AgentClient.Response frozen = first.client(TREASURER)
                .post("/v1/agents/" + FROZEN_LATER.id() + "/freeze", "{\"comment\":\"suspicious\"}", Optional.empty());
        assertThat(frozen.status()).as(frozen.raw().body()).isEqualTo(200);
        AgentClient.Response approval = second.client(ALICE)
                .post("/v1/approvals/" + id + "/approve", "{\"comment\":\"fine\"}", Optional.empty());

        assertThat(approval.text("outcome")).isEqualTo("RECHECK_FAILED");
        assertThat(approval.body().get("request").get("failure").asString()).contains("agent.frozen");
        assertThat(approval.body().get("request").get("txHash"))
                .as("nothing signed")
                .isNull();
    }

    /** ALICE votes on the first instance and BOB on the second, released together. */
    private static List<AgentClient.Response> voteAtOnce(String id) {
        return Concurrently.run(
                2,
                i -> i == 0
                        ? first.client(ALICE)
                                .post(
                                        "/v1/approvals/" + id + "/approve",
                                        "{\"comment\":\"alice ok\"}",
                                        Optional.empty())
                        : second.client(BOB)
                                .post(
                                        "/v1/approvals/" + id + "/approve",
                                        "{\"comment\":\"bob ok\"}",
                                        Optional.empty()));
    }

    private static BigInteger nonce(Address address) throws Exception {
        return CHAIN.web3j()
                .ethGetTransactionCount(address.toString(), DefaultBlockParameterName.LATEST)
                .send()
                .getTransactionCount();
    }
}
