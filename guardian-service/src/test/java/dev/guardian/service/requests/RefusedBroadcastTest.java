package dev.guardian.service.requests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.TxHash;
import dev.guardian.service.agents.Agent;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.audit.AuditQueries;
import dev.guardian.service.chain.TxReceipt;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.HeldBudget;
import dev.guardian.service.testsupport.JsonRpcProxy;
import dev.guardian.verifier.AuditRecord;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.web3j.protocol.core.DefaultBlockParameterName;
import tools.jackson.databind.JsonNode;

/**
 * A node's refusal of a raw transaction is not the chain's word. Guardian talks to Anvil through a JSON-RPC
 * proxy that answers {@code eth_sendRawTransaction} with an error, the way one node of a load-balanced
 * provider may while another takes the transaction. Guardian must keep such a request in flight, holding
 * its nonce and its reservation: confirm it when it is mined, and fail it only once another transaction
 * has taken its nonce on chain.
 */
class RefusedBroadcastTest {
    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final Duration DAY = Duration.ofHours(24);
    private static final Duration SETTLE = Duration.ofSeconds(20);
    private static final Duration REBROADCAST_AFTER = Duration.ofMillis(300);
    /** What JSON-RPC servers answer for a plain server-side error. */
    private static final int SERVER_ERROR = -32000;

    private static final AgentSpec MINED_ANYWAY =
            AgentSpec.agent("refused-but-mined").perTransactionCap("100").budget("500", DAY);
    private static final AgentSpec NONCE_TAKEN =
            AgentSpec.agent("refused-then-superseded").perTransactionCap("100").budget("500", DAY);

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
                .agent(MINED_ANYWAY.allow(merchant))
                .agent(NONCE_TAKEN.allow(merchant))
                .property("guardian.worker.rebroadcast-after", REBROADCAST_AFTER.toMillis() + "ms")
                .start();
    }

    @AfterEach
    void forwardEverything() {
        node.forwardAll();
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
    void aTransactionTheNodeRefusedButMinedIsConfirmedChargedAndItsNonceIsNeverHandedOutAgain() throws Exception {
        Agent agent = fund(MINED_ANYWAY);
        AgentClient client = guardian.client(MINED_ANYWAY);
        TokenAmount before = chain.usdcBalance(usdc, merchant);
        // The node Guardian asks says no; the one behind it took the transaction, and Anvil mines it.
        node.refuseAfterForwarding("eth_sendRawTransaction", SERVER_ERROR, "transaction rejected: node is syncing");

        AgentClient.Response paid = client.pay(merchant.toString(), "5");
        AgentClient.Response settled = client.awaitStatus(paid.text("id"), SETTLE, "CONFIRMED", "FAILED");

        assertThat(settled.text("status"))
                .as(
                        "the money moved, so the request is not failed: %s",
                        settled.raw().body())
                .isEqualTo("CONFIRMED");
        assertThat(settled.text("failure")).isNull();
        assertThat(chain.usdcBalance(usdc, merchant)).isEqualTo(before.plus(usdc("5")));
        assertThat(HeldBudget.state(guardian, paid.text("id"))).isEqualTo("POSTED");
        assertUsdcBudget(client, "0", "5");
        assertThat(events(paid.text("id"))).containsSubsequence("signed", "refused-by-node", "confirmed");

        node.forwardAll();
        AgentClient.Response next = client.pay(merchant.toString(), "6");
        assertThat(client.awaitStatus(next.text("id"), SETTLE, "CONFIRMED", "FAILED")
                        .text("status"))
                .isEqualTo("CONFIRMED");

        assertThat(nonceOnChain(settled.text("txHash"))).isZero();
        assertThat(nonceOnChain(client.request(next.text("id")).text("txHash")))
                .as("the next payment takes the next nonce, not the refused one's")
                .isEqualTo(1);
        assertThat(chain.usdcBalance(usdc, merchant)).isEqualTo(before.plus(usdc("11")));
        assertThat(transactionCount(agent.walletAddress())).isEqualTo(2);
    }

    @Test
    void aRefusedTransactionFailsOnlyOnceAnotherTransactionHasTakenItsNonceOnChain() throws Exception {
        Agent agent = fund(NONCE_TAKEN);
        AgentClient client = guardian.client(NONCE_TAKEN);
        TokenAmount before = chain.usdcBalance(usdc, merchant);
        // Refused and never passed on. The node even says the nonce is used, which alone used to fail the request.
        node.refuse("eth_sendRawTransaction", SERVER_ERROR, "nonce too low");

        AgentClient.Response paid = client.pay(merchant.toString(), "5");
        String id = paid.text("id");
        awaitFailureMentioning(client, id, "nonce too low");
        int sendsBefore = node.calls("eth_sendRawTransaction");
        Thread.sleep(REBROADCAST_AFTER.multipliedBy(5).toMillis());

        AgentClient.Response stuck = client.request(id);
        assertThat(stuck.text("status")).as(stuck.raw().body()).isEqualTo("SIGNED");
        assertThat(stuck.text("failure")).contains("refused").contains("stays in flight");
        assertThat(stuck.body().get("nonce").asLong()).isZero();
        assertThat(node.calls("eth_sendRawTransaction"))
                .as("the same bytes are sent again")
                .isGreaterThan(sendsBefore);
        assertThat(HeldBudget.state(guardian, id)).isEqualTo("PENDING");
        assertUsdcBudget(client, "5", "0");
        assertThat(storedNextNonce(agent.walletAddress()))
                .as("the refused transaction's nonce is not handed out again")
                .isEqualTo(1);

        // The wallet's own key signs another transaction with that nonce outside Guardian (here: Anvil's
        // impersonation), which is what a cancellation will do.
        TxReceipt other = chain.sendAs(agent.walletAddress(), agent.walletAddress(), new byte[0]);
        assertThat(nonceOnChain(other.hash().toString())).isZero();

        AgentClient.Response failed = client.awaitStatus(id, SETTLE, "FAILED", "CONFIRMED");
        assertThat(failed.text("status")).isEqualTo("FAILED");
        assertThat(failed.text("failure")).contains("taken by another transaction");
        assertThat(HeldBudget.state(guardian, id)).isEqualTo("VOIDED");
        assertUsdcBudget(client, "0", "0");
        assertThat(chain.usdcBalance(usdc, merchant)).isEqualTo(before);
        List<AuditRecord> story = guardian.bean(AuditQueries.class).story(UUID.fromString(id));
        assertThat(story.stream().map(AuditRecord::event))
                .containsSubsequence("signed", "refused-by-node", "superseded");
        assertThat(((Number) story.getLast().payload().get("nonce")).longValue())
                .isZero();
        assertThat(((Number) story.getLast().payload().get("confirmedNonce")).longValue())
                .isEqualTo(1);

        node.forwardAll();
        AgentClient.Response next = client.pay(merchant.toString(), "6");
        AgentClient.Response confirmed = client.awaitStatus(next.text("id"), SETTLE, "CONFIRMED", "FAILED");
        assertThat(confirmed.text("status")).isEqualTo("CONFIRMED");
        assertThat(confirmed.body().get("nonce").asLong()).isEqualTo(1);
    }

    private static Agent fund(AgentSpec spec) {
        Agent agent =
                guardian.bean(AgentDirectory.class).find(new AgentId(spec.id())).orElseThrow();
        chain.mintUsdc(usdc, agent.walletAddress(), usdc("100"));
        chain.setEthBalance(agent.walletAddress(), TokenAmount.parse(Asset.ether(), "1"));
        return agent;
    }

    private static TokenAmount usdc(String amount) {
        return TokenAmount.parse(DevChain.usdcAsset(usdc), amount);
    }

    private static void awaitFailureMentioning(AgentClient client, String id, String text) throws Exception {
        Instant deadline = Instant.now().plus(SETTLE);
        AgentClient.Response last = client.request(id);
        while (last.text("failure") == null || !last.text("failure").contains(text)) {
            assertThat(Instant.now())
                    .as(
                            "request %s says the node refused it; last: %s",
                            id, last.raw().body())
                    .isBefore(deadline);
            Thread.sleep(50);
            last = client.request(id);
        }
    }

    private static void assertUsdcBudget(AgentClient client, String held, String committed) {
        AgentClient.Response budget = client.budget();
        assertThat(budget.status()).as(budget.raw().body()).isEqualTo(200);
        JsonNode usdcWindow = budget.body().get("budgets").values().stream()
                .filter(b -> "USDC".equals(b.get("asset").asString()))
                .findFirst()
                .orElseThrow();
        assertThat(usdcWindow.get("held").asString()).as("held").isEqualTo(held);
        assertThat(usdcWindow.get("committed").asString()).as("committed").isEqualTo(committed);
    }

    private static List<String> events(String id) {
        return guardian.bean(AuditQueries.class).story(UUID.fromString(id)).stream()
                .map(AuditRecord::event)
                .toList();
    }

    private static long nonceOnChain(String hash) throws Exception {
        return CHAIN.web3j()
                .ethGetTransactionByHash(TxHash.parse(hash).toString())
                .send()
                .getTransaction()
                .orElseThrow()
                .getNonce()
                .longValueExact();
    }

    private static long transactionCount(Address address) throws Exception {
        BigInteger count = CHAIN.web3j()
                .ethGetTransactionCount(address.toString(), DefaultBlockParameterName.LATEST)
                .send()
                .getTransactionCount();
        return count.longValueExact();
    }

    private static long storedNextNonce(Address address) {
        return guardian.bean(JdbcClient.class)
                .sql("select next_nonce from nonces where address = :address")
                .param("address", address.toBytes())
                .query(Long.class)
                .single();
    }
}
