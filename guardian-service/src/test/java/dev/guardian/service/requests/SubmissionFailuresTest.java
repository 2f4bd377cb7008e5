package dev.guardian.service.requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.agents.Agent;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.agents.KillSwitch;
import dev.guardian.service.agents.Relayer;
import dev.guardian.service.audit.Actor;
import dev.guardian.service.audit.AuditLog;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.HeldBudget;
import dev.guardian.service.testsupport.RecordedDecisions;
import dev.guardian.signer.KeyVault;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.web3j.protocol.core.DefaultBlockParameterName;
import tools.jackson.databind.json.JsonMapper;

/**
 * What happens when things fail around the broadcast: the signed bytes are committed before they are
 * sent, so a failure after the broadcast can never lead to a second, different transaction; a
 * transaction the node refuses stays in flight with its nonce and goes through once the node takes it;
 * a transaction the node dropped from its pool is sent again, byte for byte; and the kill switch
 * engaged after a decision stops what is not yet signed.
 */
class SubmissionFailuresTest {
    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final AgentSpec LOST = AgentSpec.agent("lost-commit");
    private static final AgentSpec BROKE = AgentSpec.agent("no-gas-money");
    private static final AgentSpec DROPPED = AgentSpec.agent("dropped-by-node");
    private static final AgentSpec STOPPED = AgentSpec.agent("stopped-before-signing");
    private static GuardianInstance guardian;
    private static DevChain chain;
    private static Address usdc;
    private static Address merchant;

    @BeforeAll
    static void start() {
        chain = CHAIN.devChain();
        usdc = chain.deployTestUsdc();
        merchant = chain.devAccounts().get(3);
        guardian = GuardianInstance.builder(CHAIN.anvil().rpcUrl(), usdc)
                .agent(LOST.allow(merchant))
                .agent(BROKE.allow(merchant))
                .agent(DROPPED.allow(merchant))
                .agent(STOPPED.allow(merchant))
                .property("guardian.worker.interrupted-after", "300ms")
                .property("guardian.worker.rebroadcast-after", "300ms")
                .start();
    }

    @AfterAll
    static void stop() {
        guardian.close();
    }

    @Test
    void aFailureAfterTheBroadcastNeverLeadsToASecondTransaction() throws Exception {
        Agent agent = fund(LOST, "100", "1");
        TokenAmount before = chain.usdcBalance(usdc, merchant);
        // Recording the broadcast's outcome fails (as if the database went away right after the send).
        RequestTransitions failingAfterSend = new RequestTransitions(
                guardian.bean(JdbcClient.class),
                guardian.bean(JsonMapper.class),
                guardian.bean(RequestStore.class),
                guardian.bean(Reservations.class),
                guardian.bean(AuditLog.class),
                guardian.bean(AssetRegistry.class),
                request -> {
                    if (request.status() == RequestStatus.SUBMITTED) {
                        throw new IllegalStateException("database lost after the broadcast");
                    }
                });
        TransactionSubmitter submitter = new TransactionSubmitter(
                guardian.bean(ChainAdapter.class),
                guardian.bean(AgentDirectory.class),
                guardian.bean(KeyVault.class),
                guardian.bean(RequestStore.class),
                failingAfterSend,
                guardian.bean(FeeQuotes.class),
                guardian.bean(TransactionTemplate.class),
                Clock.systemUTC(),
                guardian.bean(KillSwitch.class),
                guardian.bean(ExactSimulation.class),
                guardian.bean(RequestJudge.class),
                TransactionSubmitter.Resumption.of(guardian.bean(WorkerProperties.class)),
                guardian.bean(SignatureRequests.class),
                guardian.bean(Relayer.class));
        UUID id = allowedPayment(agent, "7");

        assertThatThrownBy(() -> submitter.submit(id)).hasMessageContaining("database lost");

        StoredRequest afterFailure = guardian.bean(RequestStore.class).find(id).orElseThrow();
        assertThat(afterFailure.status())
                .as("the signed bytes were committed before the send")
                .isEqualTo(RequestStatus.SIGNED);
        guardian.client(LOST).awaitStatus(id.toString(), Duration.ofSeconds(20), "CONFIRMED");
        Thread.sleep(1_000); // give a wrong second submission every chance to happen
        assertThat(chain.usdcBalance(usdc, merchant))
                .isEqualTo(before.plus(TokenAmount.parse(DevChain.usdcAsset(usdc), "7")));
        assertThat(nonce(agent.walletAddress())).isEqualTo(BigInteger.ONE);
    }

    @Test
    void theKillSwitchEngagedAfterTheDecisionStopsWhatIsNotYetSigned() throws Exception {
        Agent agent = fund(STOPPED, "100", "1");
        UUID id = allowedPayment(agent, "5");
        KillSwitch killSwitch = guardian.bean(KillSwitch.class);
        killSwitch.set(true, "incident", Actor.person("test"));
        try {
            StoredRequest request = guardian.bean(TransactionSubmitter.class).submit(id);

            assertThat(request.status()).isEqualTo(RequestStatus.FAILED);
            assertThat(request.failure()).hasValueSatisfying(f -> assertThat(f).contains("kill switch"));
            assertThat(request.txHash()).isEmpty();
            assertThat(nonce(agent.walletAddress())).as("nothing sent").isZero();
            assertThat(HeldBudget.state(guardian, id)).isEqualTo("VOIDED");
        } finally {
            killSwitch.set(false, "incident closed", Actor.person("test"));
        }
    }

    /**
     * A wallet that cannot pay for its gas is refused at the simulation, which runs with the fee the
     * transaction is signed with (the node would refuse it the same way): nothing is recorded, signed or
     * reserved, and no nonce is taken. (A refusal by the node of a transaction already signed is
     * RefusedBroadcastTest's.)
     */
    @Test
    void aWalletWithoutGasIsRefusedAtTheSimulationAndUsesNoNonce() throws Exception {
        Agent agent = fund(BROKE, "100", "0");
        AgentClient client = guardian.client(BROKE);

        AgentClient.Response refused = client.pay(merchant.toString(), "3");
        assertThat(refused.status()).as(refused.raw().body()).isEqualTo(422);
        assertThat(refused.raw().body()).containsIgnoringCase("insufficient funds");

        chain.setEthBalance(agent.walletAddress(), TokenAmount.parse(Asset.ether(), "1"));
        AgentClient.Response paid = client.pay(merchant.toString(), "4");

        AgentClient.Response confirmed = client.awaitStatus(paid.text("id"), Duration.ofSeconds(20), "CONFIRMED");
        assertThat(confirmed.body().get("nonce").asLong())
                .as("the refused payment took no nonce")
                .isZero();
        assertThat(nonce(agent.walletAddress())).isEqualTo(BigInteger.ONE);
    }

    @Test
    void aTransactionTheNodeDroppedIsSentAgainAndConfirmed() throws Exception {
        fund(DROPPED, "100", "1");
        AgentClient client = guardian.client(DROPPED);
        rpc("evm_setAutomine", "false");
        try {
            AgentClient.Response paid = client.pay(merchant.toString(), "5");
            String hash = client.awaitStatus(paid.text("id"), Duration.ofSeconds(10), "SUBMITTED")
                    .text("txHash");
            rpc("anvil_dropTransaction", "\"" + hash + "\"");
            assertThat(rpc("eth_getTransactionByHash", "\"" + hash + "\"")).contains("\"result\":null");

            // The worker notices no receipt and re-sends the same bytes: the transaction is back in the pool.
            Instant deadline = Instant.now().plusSeconds(10);
            while (rpc("eth_getTransactionByHash", "\"" + hash + "\"").contains("\"result\":null")) {
                assertThat(Instant.now())
                        .as("re-broadcast of a dropped transaction")
                        .isBefore(deadline);
                Thread.sleep(50);
            }
            rpc("evm_mine", "");

            AgentClient.Response confirmed = client.awaitStatus(paid.text("id"), Duration.ofSeconds(20), "CONFIRMED");
            assertThat(confirmed.text("txHash")).isEqualTo(hash);
        } finally {
            rpc("evm_setAutomine", "true");
        }
    }

    private static String rpc(String method, String params) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(CHAIN.anvil().rpcUrl())
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\""
                                        + method + "\",\"params\":[" + params + "]}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).doesNotContain("\"error\"");
        return response.body();
    }

    private static Agent fund(AgentSpec spec, String usdcAmount, String eth) {
        Agent agent =
                guardian.bean(AgentDirectory.class).find(new AgentId(spec.id())).orElseThrow();
        chain.mintUsdc(usdc, agent.walletAddress(), TokenAmount.parse(DevChain.usdcAsset(usdc), usdcAmount));
        chain.setEthBalance(agent.walletAddress(), TokenAmount.parse(Asset.ether(), eth));
        return agent;
    }

    /** An ALLOW decision as the decision transaction commits it. */
    private static UUID allowedPayment(Agent agent, String amount) {
        return RecordedDecisions.allowedPayment(
                guardian, agent, usdc, merchant, TokenAmount.parse(DevChain.usdcAsset(usdc), amount), Instant.now());
    }

    private static BigInteger nonce(Address address) throws Exception {
        return CHAIN.web3j()
                .ethGetTransactionCount(address.toString(), DefaultBlockParameterName.LATEST)
                .send()
                .getTransactionCount();
    }
}
