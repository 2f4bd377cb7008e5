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
import dev.guardian.service.testsupport.JsonRpcProxy;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A mined transaction whose executed trace the node will not give (a pruned node, a tracer timeout, a
 * trace too large for the provider) cannot be reconciled. It must stay in flight with its reservation as
 * judged, and must not hold up every other request behind it: the worker goes on to the next one.
 */
class UntraceableReceiptTest {
    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final Duration SETTLE = Duration.ofSeconds(20);
    private static final AgentSpec AGENT =
            AgentSpec.agent("untraceable").perTransactionCap("100").budget("500", Duration.ofHours(24));

    private static DevChain chain;
    private static Address usdc;
    private static Address merchant;
    private static JsonRpcProxy node;
    private static GuardianInstance guardian;

    @BeforeAll
    static void start() {
        chain = CHAIN.devChain();
        usdc = chain.deployTestUsdc();
        merchant = chain.devAccounts().get(4);
        node = JsonRpcProxy.to(CHAIN.anvil().rpcUrl());
        guardian = GuardianInstance.builder(node.uri(), usdc)
                .agent(AGENT.allow(merchant))
                .start();
    }

    @AfterAll
    static void stop() {
        try {
            guardian.close();
        } finally {
            node.close();
        }
    }

    @Test
    void aReceiptWhoseTraceTheNodeRefusesWaitsWithItsReservationAndDoesNotHoldUpTheNext() throws Exception {
        Agent agent = guardian.bean(AgentDirectory.class)
                .find(new AgentId(AGENT.id()))
                .orElseThrow();
        chain.mintUsdc(usdc, agent.walletAddress(), TokenAmount.parse(DevChain.usdcAsset(usdc), "100"));
        chain.setEthBalance(agent.walletAddress(), TokenAmount.parse(Asset.ether(), "1"));
        AgentClient client = guardian.client(AGENT);
        chain.setAutomine(false);
        String first;
        String second;
        try {
            first = client.pay(merchant.toString(), "3").text("id");
            String firstHash = client.awaitStatus(first, SETTLE, "SUBMITTED").text("txHash");
            node.refuseFor("debug_traceTransaction", firstHash, -32000, "historical state not available");
            AgentClient.Response paid = client.pay(merchant.toString(), "4");
            assertThat(paid.status()).as(paid.raw().body()).isEqualTo(202);
            second = paid.text("id");
            client.awaitStatus(second, SETTLE, "SUBMITTED");
            chain.mine(); // both in one block; the first is ahead of the second in the worker's queue
        } finally {
            chain.setAutomine(true);
        }

        AgentClient.Response next = client.awaitStatus(second, SETTLE, "CONFIRMED");
        assertThat(next.text("status")).isEqualTo("CONFIRMED");
        AgentClient.Response waiting = client.request(first);
        assertThat(waiting.text("status")).as(waiting.raw().body()).isEqualTo("SUBMITTED");
        assertThat(HeldBudget.state(guardian, first)).as("held as judged").isEqualTo("PENDING");

        node.forwardAll();
        assertThat(client.awaitStatus(first, SETTLE, "CONFIRMED").text("status"))
                .isEqualTo("CONFIRMED");
    }
}
