package dev.guardian.service.requests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.service.agents.Agent;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An instance that stops between committing an ALLOW decision and signing leaves the request ALLOWED
 * with its budget held. The worker of any instance picks it up: a recent decision is signed and
 * confirmed; one older than the expiry is failed and its reservation released, nothing signed.
 */
class InterruptedSubmissionTest {
    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final AgentSpec AGENT = AgentSpec.agent("interrupted");
    private static GuardianInstance guardian;
    private static Address usdc;
    private static Address merchant;
    private static Agent agent;

    @BeforeAll
    static void start() {
        DevChain chain = CHAIN.devChain();
        usdc = chain.deployTestUsdc();
        merchant = chain.devAccounts().get(2);
        AGENT.allow(merchant);
        guardian = GuardianInstance.builder(CHAIN.anvil().rpcUrl(), usdc)
                .agent(AGENT)
                .property("guardian.worker.interrupted-after", "300ms")
                .property("guardian.worker.allowed-expiry", "1m")
                .start();
        agent = guardian.bean(AgentDirectory.class)
                .find(new AgentId(AGENT.id()))
                .orElseThrow();
        chain.mintUsdc(usdc, agent.walletAddress(), TokenAmount.parse(DevChain.usdcAsset(usdc), "100"));
        chain.setEthBalance(agent.walletAddress(), TokenAmount.parse(Asset.ether(), "1"));
    }

    @AfterAll
    static void stop() {
        guardian.close();
    }

    @Test
    void resumesARecentAllowedRequestAndConfirmsIt() {
        UUID id = recordAllowedDecision(Instant.now(), "7");

        AgentClient.Response settled =
                guardian.client(AGENT).awaitStatus(id.toString(), Duration.ofSeconds(20), "CONFIRMED", "FAILED");

        assertThat(settled.text("status")).isEqualTo("CONFIRMED");
        assertThat(CHAIN.devChain().usdcBalance(usdc, merchant))
                .isEqualTo(TokenAmount.parse(DevChain.usdcAsset(usdc), "7"));
        assertThat(reservationStatus(id)).isEqualTo("COMMITTED");
    }

    @Test
    void failsAnAllowedRequestTooOldToSignAndReleasesItsBudget() {
        TokenAmount before = CHAIN.devChain().usdcBalance(usdc, agent.walletAddress());
        UUID id = recordAllowedDecision(Instant.now().minus(Duration.ofMinutes(2)), "3");

        AgentClient.Response settled =
                guardian.client(AGENT).awaitStatus(id.toString(), Duration.ofSeconds(20), "CONFIRMED", "FAILED");

        assertThat(settled.text("status")).isEqualTo("FAILED");
        assertThat(settled.text("failure")).contains("not signed within");
        assertThat(settled.text("txHash")).isNull();
        assertThat(reservationStatus(id)).isEqualTo("RELEASED");
        assertThat(CHAIN.devChain().usdcBalance(usdc, agent.walletAddress())).isEqualTo(before);
    }

    /** What the decision transaction commits for an allowed payment, as if the instance died right after. */
    private static UUID recordAllowedDecision(Instant decidedAt, String amount) {
        RequestStore store = guardian.bean(RequestStore.class);
        TokenAmount units = TokenAmount.parse(DevChain.usdcAsset(usdc), amount);
        AgentRequest.Payment payment = new AgentRequest.Payment(merchant, units);
        UUID id = UUID.randomUUID();
        guardian.bean(TransactionTemplate.class).executeWithoutResult(tx -> {
            store.insert(new RequestStore.NewRequest(
                    id,
                    agent.id(),
                    agent.walletId(),
                    Optional.empty(),
                    payment,
                    usdc,
                    BigInteger.ZERO,
                    RequestPipeline.Erc20Calls.transfer(merchant, units.units()),
                    RequestStatus.ALLOWED,
                    Verdict.ALLOW,
                    List.of(),
                    List.of(),
                    "test",
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    decidedAt));
            store.reserve(id, agent.id(), Optional.empty(), units, decidedAt);
        });
        return id;
    }

    private static String reservationStatus(UUID id) {
        return guardian.bean(JdbcClient.class)
                .sql("select status from reservations where request_id = :id")
                .param("id", id)
                .query(String.class)
                .single();
    }
}
