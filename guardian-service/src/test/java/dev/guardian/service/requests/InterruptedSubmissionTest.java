package dev.guardian.service.requests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.agents.Agent;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.HeldBudget;
import dev.guardian.service.testsupport.RecordedDecisions;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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
                .property("guardian.worker.chain-retry-interval", "300ms")
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
        assertThat(reservationStatus(id)).isEqualTo("POSTED");
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
        assertThat(reservationStatus(id)).isEqualTo("VOIDED");
        assertThat(CHAIN.devChain().usdcBalance(usdc, agent.walletAddress())).isEqualTo(before);
    }

    /** What the decision transaction commits for an allowed payment, as if the instance died right after. */
    private static UUID recordAllowedDecision(Instant decidedAt, String amount) {
        return RecordedDecisions.allowedPayment(
                guardian, agent, usdc, merchant, TokenAmount.parse(DevChain.usdcAsset(usdc), amount), decidedAt);
    }

    private static String reservationStatus(UUID id) {
        return HeldBudget.state(guardian, id);
    }
}
