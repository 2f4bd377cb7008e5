package dev.guardian.service.requests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.agents.Agent;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.audit.Actor;
import dev.guardian.service.audit.AuditQueries;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.Concurrently;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.HeldBudget;
import dev.guardian.service.testsupport.JsonRpcProxy;
import dev.guardian.service.testsupport.RecordedDecisions;
import dev.guardian.service.testsupport.TestAddresses;
import dev.guardian.verifier.AuditRecord;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.web3j.protocol.core.DefaultBlockParameterName;
import tools.jackson.databind.JsonNode;

/**
 * A request the policy allowed whose signing meets a chain outage is not failed: it stays ALLOWED, nothing
 * signed and its budget held, and is signed once the chain is back, within a bound, under the same request
 * id; it is failed only when it can no longer succeed (its decision expired during the outage, it would now
 * revert, its agent was frozen). Guardian reaches Anvil through a JSON-RPC proxy that goes away at an exact
 * call, right after the decision; everything the tests check on chain is read from Anvil directly.
 */
class ChainOutageBeforeSigningTest {
    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final Duration DAY = Duration.ofHours(24);
    private static final Duration RETRY_INTERVAL = Duration.ofMillis(300);
    private static final Duration ALLOWED_EXPIRY = Duration.ofSeconds(10);
    /**
     * How soon after the chain is back a postponed request must be confirmed: the breaker's open-state wait
     * (1 s in GuardianInstance), a retry interval, signing and a block, with room for a busy machine. A bound
     * the design promises, not a measurement.
     */
    private static final Duration RESUMED_WITHIN = Duration.ofSeconds(10);

    private static final Address PAYEE = TestAddresses.fresh();
    private static final AgentSpec AT_CODE_CHECK = spec("outage-at-code-check");
    private static final AgentSpec AT_NONCE_READ = spec("outage-at-nonce-read");
    private static final AgentSpec LONG_OUTAGE = spec("outage-beyond-expiry");
    private static final AgentSpec NOW_REVERTS = spec("outage-then-reverts");
    private static final AgentSpec AT_FEE_QUOTE = spec("outage-at-fee-quote");
    private static final AgentSpec FROZEN_MEANWHILE = spec("outage-then-frozen");
    private static final AgentSpec RACED = spec("outage-then-raced");

    private static DevChain chain;
    private static Address usdc;
    private static JsonRpcProxy node;
    private static GuardianInstance guardian;

    private static AgentSpec spec(String id) {
        return AgentSpec.agent(id).perTransactionCap("100").budget("500", DAY).allow(PAYEE);
    }

    @BeforeAll
    static void start() {
        chain = CHAIN.devChain();
        usdc = chain.deployTestUsdc();
        node = JsonRpcProxy.to(CHAIN.anvil().rpcUrl());
        guardian = GuardianInstance.builder(node.uri(), usdc)
                .agent(AT_CODE_CHECK)
                .agent(AT_NONCE_READ)
                .agent(LONG_OUTAGE)
                .agent(NOW_REVERTS)
                .agent(AT_FEE_QUOTE)
                .agent(FROZEN_MEANWHILE)
                .agent(RACED)
                .property("guardian.worker.chain-retry-interval", RETRY_INTERVAL.toMillis() + "ms")
                .property("guardian.worker.allowed-expiry", ALLOWED_EXPIRY.toSeconds() + "s")
                .start();
    }

    @AfterEach
    void chainIsBack() {
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

    /**
     * The outage starts at the first chain call after the decision (the wallet's code check), or inside the
     * signing transaction (the nonce read): either way nothing is signed before the chain is back.
     */
    @ParameterizedTest
    @ValueSource(strings = {"eth_getCode", "eth_getTransactionCount"})
    void anAllowedPaymentWhoseSigningMetAnOutageIsSignedOnceTheChainIsBack(String outageStartsAt) throws Exception {
        AgentSpec spec = outageStartsAt.equals("eth_getCode") ? AT_CODE_CHECK : AT_NONCE_READ;
        Agent agent = fund(spec);
        AgentClient client = guardian.client(spec);
        TokenAmount payeeBefore = chain.usdcBalance(usdc, PAYEE);
        node.goAwayAt(outageStartsAt);

        AgentClient.Response paid = client.pay(PAYEE.toString(), "5");

        assertThat(paid.status()).as(paid.raw().body()).isEqualTo(202);
        assertThat(node.gone()).as("the chain went away after the decision").isTrue();
        String id = paid.text("id");
        assertWaitingForTheChain(paid);
        int codeChecks = node.calls("eth_getCode");
        // Tried again while the chain is away (each attempt fails before anything is signed), and still waiting.
        AgentClient.Response waiting = until(client, id, r -> node.calls("eth_getCode") > codeChecks);
        assertWaitingForTheChain(waiting);
        assertThat(transactionCount(agent.walletAddress()))
                .as("nothing was sent")
                .isZero();
        assertThat(HeldBudget.state(guardian, id)).isEqualTo("PENDING");
        assertThat(events(id).stream().filter("signing-postponed"::equals))
                .as("one record for the outage, not one per retry")
                .hasSize(1);

        node.forwardAll();
        Instant back = Instant.now();
        AgentClient.Response settled = client.awaitStatus(id, RESUMED_WITHIN.plusSeconds(10), "CONFIRMED", "FAILED");

        assertThat(settled.text("status")).as(settled.raw().body()).isEqualTo("CONFIRMED");
        assertThat(Duration.between(back, Instant.now())).isLessThan(RESUMED_WITHIN);
        assertThat(settled.text("id")).isEqualTo(id);
        assertThat(settled.body().has("signingPostponed"))
                .as("no longer waiting")
                .isFalse();
        assertThat(chain.usdcBalance(usdc, PAYEE)).as("paid once").isEqualTo(payeeBefore.plus(usdc("5")));
        assertThat(transactionCount(agent.walletAddress())).isEqualTo(1);
        assertThat(HeldBudget.state(guardian, id)).isEqualTo("POSTED");
        assertThat(events(id))
                .containsSubsequence("decision", "signing-postponed", "signed", "submitted", "confirmed")
                .doesNotContain("failed")
                .filteredOn("signing-postponed"::equals)
                .hasSize(1);
    }

    @Test
    void anOutageLongerThanTheExpiryFailsTheRequestWithWhyAndReleasesItsBudget() throws Exception {
        Agent agent = fund(LONG_OUTAGE);
        AgentClient client = guardian.client(LONG_OUTAGE);
        TokenAmount payeeBefore = chain.usdcBalance(usdc, PAYEE);
        node.goAwayAt("eth_getCode");

        AgentClient.Response paid = client.pay(PAYEE.toString(), "7");
        assertWaitingForTheChain(paid);
        assertUsdcBudget(client, "7", "0");

        AgentClient.Response failed = client.awaitStatus(paid.text("id"), ALLOWED_EXPIRY.multipliedBy(3), "FAILED");

        assertThat(failed.text("failure"))
                .contains("allowed at " + paid.text("createdAt"))
                .contains("postponed")
                .contains("the chain could not be reached")
                .contains("eth_getCode")
                .contains("not signed within " + ALLOWED_EXPIRY)
                .contains("nothing was signed");
        assertThat(failed.text("txHash")).isNull();
        assertThat(HeldBudget.state(guardian, paid.text("id"))).isEqualTo("VOIDED");
        assertUsdcBudget(client, "0", "0");

        node.forwardAll();
        Thread.sleep(
                RETRY_INTERVAL.multipliedBy(5).toMillis()); // every chance to sign it wrongly once the chain is back
        assertThat(client.request(paid.text("id")).text("status")).isEqualTo("FAILED");
        assertThat(transactionCount(agent.walletAddress())).isZero();
        assertThat(chain.usdcBalance(usdc, PAYEE)).isEqualTo(payeeBefore);
        assertThat(events(paid.text("id"))).containsSubsequence("signing-postponed", "failed");
    }

    /** What changed on chain during the outage is seen when it is back: the transfer would revert now. */
    @Test
    void aPostponedRequestThatWouldNowRevertIsFailedWhenTheChainIsBackNotSigned() throws Exception {
        Agent agent = fund(NOW_REVERTS);
        AgentClient client = guardian.client(NOW_REVERTS);
        node.goAwayAt("eth_getCode");
        AgentClient.Response paid = client.pay(PAYEE.toString(), "4");
        assertWaitingForTheChain(paid);
        // Meanwhile the token's issuer blacklists the payee: the transfer reverts from now on.
        chain.blacklist(usdc, PAYEE);
        try {
            node.forwardAll();
            AgentClient.Response failed = client.awaitStatus(paid.text("id"), RESUMED_WITHIN, "FAILED", "CONFIRMED");

            assertThat(failed.text("status")).isEqualTo("FAILED");
            assertThat(failed.text("failure"))
                    .contains("would no longer succeed")
                    .contains("nothing was signed");
            assertThat(transactionCount(agent.walletAddress())).isZero();
            assertThat(HeldBudget.state(guardian, paid.text("id"))).isEqualTo("VOIDED");
        } finally {
            chain.unBlacklist(usdc, PAYEE);
        }
    }

    /**
     * A request decided before fees were judged is quoted when it is signed. An outage during that quote is
     * an outage, not a sign that the transaction would no longer succeed.
     */
    @Test
    void anOutageDuringTheFeeQuoteIsNotMistakenForARevert() throws Exception {
        Agent agent = fund(AT_FEE_QUOTE);
        UUID id = RecordedDecisions.allowedPayment(guardian, agent, usdc, PAYEE, usdc("3"), Instant.now());
        node.goAwayAt("eth_estimateGas");

        StoredRequest after = guardian.bean(TransactionSubmitter.class).submit(id);

        assertThat(node.gone()).isTrue();
        assertThat(after.status()).as(after.failure().orElse("")).isEqualTo(RequestStatus.ALLOWED);
        AgentClient.Response waiting = guardian.client(AT_FEE_QUOTE).request(id.toString());
        assertWaitingForTheChain(waiting);
        assertThat(waiting.body().get("signingPostponed").get("chainError").asString())
                .contains("eth_estimateGas");
        node.forwardAll();
        AgentClient.Response settled =
                guardian.client(AT_FEE_QUOTE).awaitStatus(id.toString(), RESUMED_WITHIN, "CONFIRMED", "FAILED");
        assertThat(settled.text("status")).as(settled.raw().body()).isEqualTo("CONFIRMED");
        assertThat(transactionCount(agent.walletAddress())).isEqualTo(1);
    }

    /** A freeze does not wait for the chain: the next retry fails the request and releases its budget. */
    @Test
    void anAgentFrozenDuringTheOutageHasItsPostponedRequestFailedWithoutWaitingForTheChain() throws Exception {
        Agent agent = fund(FROZEN_MEANWHILE);
        AgentClient client = guardian.client(FROZEN_MEANWHILE);
        node.goAwayAt("eth_getCode");
        AgentClient.Response paid = client.pay(PAYEE.toString(), "2");
        assertWaitingForTheChain(paid);
        AgentDirectory agents = guardian.bean(AgentDirectory.class);
        agents.setFrozen(agent.id(), true, "incident", Actor.person("test"));
        try {
            AgentClient.Response failed = client.awaitStatus(paid.text("id"), RESUMED_WITHIN, "FAILED");

            assertThat(node.gone()).as("the chain is still away").isTrue();
            assertThat(failed.text("failure")).contains("was frozen").contains("nothing was signed");
            assertThat(HeldBudget.state(guardian, paid.text("id"))).isEqualTo("VOIDED");
            assertThat(transactionCount(agent.walletAddress())).isZero();
        } finally {
            agents.setFrozen(agent.id(), false, "incident closed", Actor.person("test"));
        }
    }

    /**
     * Every instance runs the resume pass; when the chain is back, several may pick the same postponed
     * request at once. Signing locks its row and checks it again, so one signs and the others see it signed.
     */
    @Test
    void resumePassesRacingForAPostponedRequestSignItOnce() throws Exception {
        Agent agent = fund(RACED);
        AgentClient client = guardian.client(RACED);
        TokenAmount payeeBefore = chain.usdcBalance(usdc, PAYEE);
        node.goAwayAt("eth_getCode");
        AgentClient.Response paid = client.pay(PAYEE.toString(), "6");
        assertWaitingForTheChain(paid);
        String id = paid.text("id");
        node.forwardAll();
        TransactionSubmitter submitter = guardian.bean(TransactionSubmitter.class);

        // Rounds of four passes at once, as four instances would run them, until one finds the chain usable
        // (the breaker may still be open from the outage).
        Instant deadline = Instant.now().plus(RESUMED_WITHIN);
        while (client.request(id).text("status").equals("ALLOWED")) {
            assertThat(Instant.now()).as("signed once the chain is back").isBefore(deadline);
            Thread.sleep(RETRY_INTERVAL.toMillis()); // due again
            Concurrently.run(4, i -> {
                submitter.resumeInterrupted();
                return i;
            });
        }

        AgentClient.Response settled = client.awaitStatus(id, RESUMED_WITHIN, "CONFIRMED", "FAILED");
        assertThat(settled.text("status")).as(settled.raw().body()).isEqualTo("CONFIRMED");
        assertThat(transactionCount(agent.walletAddress())).isEqualTo(1);
        assertThat(chain.usdcBalance(usdc, PAYEE)).isEqualTo(payeeBefore.plus(usdc("6")));
        assertThat(events(id)).filteredOn("signed"::equals).hasSize(1);
    }

    /** ALLOWED, nothing signed, and the request says it waits for the chain (not that it failed). */
    private static void assertWaitingForTheChain(AgentClient.Response request) {
        assertThat(request.text("status")).as(request.raw().body()).isEqualTo("ALLOWED");
        assertThat(request.text("txHash")).isNull();
        assertThat(request.text("failure")).isNull();
        JsonNode postponed = request.body().get("signingPostponed");
        assertThat(postponed).as(request.raw().body()).isNotNull();
        assertThat(postponed.isObject()).as(request.raw().body()).isTrue();
        assertThat(postponed.get("since").asString()).isNotBlank();
        assertThat(postponed.get("lastAttemptAt").asString()).isNotBlank();
        assertThat(postponed.get("chainError").asString()).isNotBlank();
    }

    /** Reads the request until {@code done} holds, or fails after a while. */
    private static AgentClient.Response until(AgentClient client, String id, Predicate<AgentClient.Response> done)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(RESUMED_WITHIN);
        AgentClient.Response last = client.request(id);
        while (!done.test(last)) {
            assertThat(Instant.now())
                    .as("waiting on %s; last: %s", id, last.raw().body())
                    .isBefore(deadline);
            Thread.sleep(50);
            last = client.request(id);
        }
        return last;
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

    /** The wallet's transaction count, read from Anvil itself, not through the proxy. */
    private static long transactionCount(Address address) throws Exception {
        BigInteger count = CHAIN.web3j()
                .ethGetTransactionCount(address.toString(), DefaultBlockParameterName.LATEST)
                .send()
                .getTransactionCount();
        return count.longValueExact();
    }
}
