package dev.guardian.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.service.identity.Role;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.PersonSpec;
import dev.guardian.service.testsupport.TestAddresses;
import dev.guardian.service.testsupport.Treasury;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Transactions that sit in the pool: a base fee spike (Anvil sets the next block's base fee on demand)
 * leaves a signed payment unmineable, and Guardian replaces it with the same call and nonce at higher
 * fees, within the policy's fee ceiling and never beyond it; a freeze while a payment is in the pool
 * cancels it with a zero-value transfer of the wallet to itself at the same nonce. Anvil mines only when
 * the test says so (automine off), and the chain is read back each time: one nonce, paid at most once.
 */
class StuckTransactionsScenariosTest {
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final BigInteger GWEI = BigInteger.TEN.pow(9);

    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final PersonSpec TREASURER = PersonSpec.person("tess", Role.TREASURY);
    private static final PersonSpec AUDITOR = PersonSpec.person("aude", Role.AUDITOR);

    private static OnChain chain;
    private static GuardianInstance guardian;
    private static Treasury treasury;

    @BeforeAll
    static void startGuardian() {
        chain = OnChain.withFreshUsdc(CHAIN);
        guardian = GuardianInstance.builder(CHAIN.anvil().rpcUrl(), chain.usdcAddress())
                .person(TREASURER)
                .person(AUDITOR)
                .property("guardian.worker.replace-after", "2s")
                .property("guardian.worker.rebroadcast-after", "1s")
                .start();
        treasury = new Treasury(guardian, TREASURER, chain.dev());
    }

    @AfterAll
    static void stopGuardian() {
        if (guardian != null) {
            guardian.close();
        }
    }

    @BeforeEach
    void calmBaseFee() {
        // Each test starts from a base fee of about 1 gwei, whatever spike the one before left behind.
        chain.dev().setNextBlockBaseFee(GWEI);
        chain.dev().mine();
    }

    @AfterEach
    void mineAgain() {
        chain.dev().setAutomine(true);
    }

    private record Agent(String id, AgentClient client, Address wallet, Address shop) {}

    private static Agent agent(String id, String maxFeePerTransaction) {
        Address shop = TestAddresses.fresh();
        AgentClient client = treasury.createAgent(id, """
                {"budgets": [{"asset": "USDC", "limit": "500", "window": "24h"}],
                 "perTransaction": {"USDC": {"escalateAbove": "400"}},
                 "allowlist": [{"address": "%s", "label": "Shop"}],
                 "fees": {"maxPerTransaction": "%s"}}""".formatted(shop, maxFeePerTransaction));
        Address wallet = treasury.createWallet(id, id + "-wallet");
        chain.dev().mintUsdc(chain.usdcAddress(), wallet, chain.usdc("100"));
        return new Agent(id, client, wallet, shop);
    }

    /** Pays 10 USDC with automine off, and returns the request once its transaction is in the pool. */
    private static JsonNode payIntoThePool(Agent agent) {
        chain.dev().setAutomine(false);
        AgentClient.Response paid = agent.client().pay(agent.shop().toString(), "10");
        assertThat(paid.status()).as(paid.raw().body()).isEqualTo(202);
        return agent.client().awaitStatus(paid.text("id"), SETTLE, "SUBMITTED").body();
    }

    /** The base fee jumps to {@code gwei} in a block of its own, which the pending payment cannot join. */
    private static void spikeTheBaseFee(long gwei) {
        chain.dev().setNextBlockBaseFee(GWEI.multiply(BigInteger.valueOf(gwei)));
        chain.dev().mine();
    }

    private static JsonNode story(String requestId) {
        return guardian.client(AUDITOR).get("/v1/audit/requests/" + requestId).body();
    }

    private static long recordsNamed(JsonNode story, String event) {
        long count = 0;
        for (JsonNode record : story.get("records")) {
            if (record.toString().contains("\"" + event + "\"")) {
                count++;
            }
        }
        return count;
    }

    @Test
    void aPaymentPricedOutByABaseFeeSpikeIsReplacedWithinTheCeilingAndMinedOnce() throws Exception {
        Agent agent = agent("spike-bot", "0.01");
        JsonNode pending = payIntoThePool(agent);
        String id = pending.get("id").asString();
        String original = pending.get("txHash").asString();
        spikeTheBaseFee(20);

        // The worker replaces it (same call, same nonce, higher fees): a new hash in the request.
        Instant deadline = Instant.now().plus(SETTLE);
        JsonNode replaced = agent.client().request(id).body();
        while (replaced.get("txHash").asString().equals(original)) {
            assertThat(Instant.now()).as("a replacement within " + SETTLE).isBefore(deadline);
            Thread.sleep(200);
            replaced = agent.client().request(id).body();
        }
        assertThat(new BigInteger(replaced.get("fee").get("maxFeePerGasWei").asString()))
                .as("priced for the spiked base fee")
                .isGreaterThan(GWEI.multiply(BigInteger.valueOf(20)));
        agent.client().awaitStatus(id, SETTLE, "SUBMITTED");
        chain.dev().mine();
        chain.dev().setAutomine(true);

        JsonNode confirmed = agent.client().awaitStatus(id, SETTLE, "CONFIRMED").body();
        assertThat(confirmed.get("txHash").asString()).isNotEqualTo(original);
        assertThat(chain.usdcBalance(agent.shop())).isEqualTo(chain.usdc("10"));
        assertThat(chain.transactionCount(agent.wallet())).as("one nonce used").isEqualTo(1);
        assertThat(recordsNamed(story(id), "replaced")).isGreaterThanOrEqualTo(1);
        assertThat(new BigInteger(confirmed.get("feePaidWei").asString()))
                .as("the fee budget is charged what the replacement cost")
                .isPositive();
    }

    @Test
    void aReplacementTheFeeCeilingDoesNotAllowIsNeverSigned() throws Exception {
        // Its own ceiling allows today's fee but not the spiked one.
        Agent agent = agent("ceiling-bot", "0.0006");
        JsonNode pending = payIntoThePool(agent);
        String id = pending.get("id").asString();
        String original = pending.get("txHash").asString();
        spikeTheBaseFee(50);

        Thread.sleep(5_000); // more than two replacement intervals

        JsonNode waiting = agent.client().request(id).body();
        // In flight (the node may refuse to take it back while its fee is below the base fee: SIGNED).
        assertThat(waiting.get("status").asString()).isIn("SIGNED", "SUBMITTED");
        assertThat(waiting.get("txHash").asString()).as("not replaced").isEqualTo(original);
        assertThat(recordsNamed(story(id), "replaced")).isZero();

        // Once the base fee falls back, it is mined: sent again as signed, or replaced at a fee the ceiling
        // now allows. Either way once, and never above the ceiling.
        chain.dev().setNextBlockBaseFee(BigInteger.ONE);
        chain.dev().mine();
        chain.dev().setAutomine(true);
        JsonNode confirmed = agent.client().awaitStatus(id, SETTLE, "CONFIRMED").body();
        assertThat(new BigInteger(confirmed.get("fee").get("maxCostWei").asString()))
                .isLessThanOrEqualTo(new BigInteger("600000000000000"));
        assertThat(chain.usdcBalance(agent.wallet())).isEqualTo(chain.usdc("90"));
        assertThat(chain.transactionCount(agent.wallet())).isEqualTo(1);
    }

    @Test
    void aFreezeWithAPaymentInThePoolCancelsIt() throws Exception {
        Agent agent = agent("frozen-bot", "0.01");
        JsonNode pending = payIntoThePool(agent);
        String id = pending.get("id").asString();
        String original = pending.get("txHash").asString();

        AgentClient.Response frozen = treasury.client()
                .post("/v1/agents/" + agent.id() + "/freeze", "{\"comment\": \"it is misbehaving\"}", Optional.empty());
        assertThat(frozen.status()).as(frozen.raw().body()).isLessThan(300);

        Instant deadline = Instant.now().plus(SETTLE);
        while (recordsNamed(story(id), "cancellation-signed") == 0) {
            assertThat(Instant.now()).as("a cancellation within " + SETTLE).isBefore(deadline);
            Thread.sleep(200);
        }
        agent.client().awaitStatus(id, SETTLE, "SUBMITTED");
        chain.dev().mine();
        chain.dev().setAutomine(true);

        JsonNode failed =
                agent.client().awaitStatus(id, SETTLE, "FAILED", "CONFIRMED").body();
        assertThat(failed.get("status").asString()).as(failed.toString()).isEqualTo("FAILED");
        assertThat(failed.get("failure").asString()).contains("cancelled");
        assertThat(failed.get("txHash").asString()).isEqualTo(original);
        assertThat(chain.usdcBalance(agent.shop()))
                .as("the payment never happened")
                .isEqualTo(chain.usdc("0"));
        assertThat(chain.usdcBalance(agent.wallet())).isEqualTo(chain.usdc("100"));
        assertThat(chain.transactionCount(agent.wallet()))
                .as("the cancellation took the nonce")
                .isEqualTo(1);
        assertThat(Answers.text(Answers.usdcBudget(agent.client()), "remaining"))
                .as("nothing left, nothing counts")
                .isEqualTo("500");
    }
}
