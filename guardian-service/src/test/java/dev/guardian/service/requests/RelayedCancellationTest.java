package dev.guardian.service.requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.Asset;
import dev.guardian.policy.Hex;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.agents.Relayer;
import dev.guardian.service.audit.Actor;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.identity.Role;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.HeldBudget;
import dev.guardian.service.testsupport.JsonRpcProxy;
import dev.guardian.service.testsupport.MutableClock;
import dev.guardian.service.testsupport.PersonSpec;
import dev.guardian.service.testsupport.TestAddresses;
import dev.guardian.service.testsupport.TypedDataJsons;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The cancellation of an outstanding EIP-3009 authorization is sent by Guardian's relayer, not the wallet, on a
 * real Anvil and PostgreSQL: a wallet without any ETH still has its authorization cancelled on chain after a
 * freeze, so that the payee can no longer use it and nothing moves. A relayer without ETH is said so (a denial
 * of its own, with its figures) and the watcher backs off instead of recording a cancellation on every pass;
 * once funded, the next try succeeds. One authorization whose cancellation the chain answers with garbage does
 * not keep another from being cancelled in the same pass.
 *
 * <p>The watcher's passes are the test's own (its schedule is an hour here), and Guardian's clock is one the test
 * moves, so the backoff's waits are exact.
 */
class RelayedCancellationTest {
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final Duration FIRST_WAIT = Duration.ofSeconds(15);
    private static final Duration LONGEST_WAIT = Duration.ofMinutes(5);

    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final MutableClock CLOCK = MutableClock.startingNow();
    private static final Address SHOP = TestAddresses.fresh();
    private static final AgentSpec PENNILESS = agent("relay-penniless");
    private static final AgentSpec UNPAID = agent("relay-unpaid");
    private static final AgentSpec GARBLED = agent("relay-garbled");
    private static final AgentSpec BYSTANDER = agent("relay-bystander");
    private static final PersonSpec TREASURER = PersonSpec.person("relay-treasurer", Role.TREASURY);

    private static JsonRpcProxy proxy;
    private static GuardianInstance guardian;
    private static DevChain chain;
    private static Address usdc;
    private static Address facilitator;
    private static String domain;

    private static AgentSpec agent(String id) {
        return AgentSpec.agent(id).perTransactionCap("100").allow(SHOP);
    }

    @BeforeAll
    static void start() {
        chain = CHAIN.devChain();
        usdc = chain.deployTestUsdc();
        facilitator = chain.devAccounts().get(3);
        domain = TypedDataJsons.domain(TypedDataJsons.TOKEN_NAME, chain.chainId(), usdc);
        proxy = JsonRpcProxy.to(CHAIN.anvil().rpcUrl());
        guardian = GuardianInstance.builder(proxy.uri(), usdc)
                .clock(CLOCK)
                .property("guardian.worker.authorization-watch-interval", "1h")
                .property("guardian.worker.cancellation-backoff", FIRST_WAIT.toString())
                .property("guardian.worker.cancellation-backoff-max", LONGEST_WAIT.toString())
                .agent(PENNILESS)
                .agent(UNPAID)
                .agent(GARBLED)
                .agent(BYSTANDER)
                .person(TREASURER)
                .start();
        for (AgentSpec agent : List.of(PENNILESS, UNPAID, GARBLED, BYSTANDER)) {
            chain.mintUsdc(usdc, guardian.walletOf(agent), usdc("100"));
        }
        // No wallet holds any ETH: signatures need none, and the relayer pays for cancelling them.
    }

    @AfterAll
    static void stop() {
        if (guardian != null) {
            guardian.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    @Test
    void aWalletWithoutEthHasItsAuthorizationCancelledByTheRelayerAndThePayeeCanNoLongerUseIt() {
        fundRelayer("1");
        Address wallet = guardian.walletOf(PENNILESS);
        assertThat(chain.ethBalance(wallet).isZero()).isTrue();
        byte[] nonce = TypedDataJsons.randomNonce();
        long validBefore = inSeconds(300);
        AgentClient.Response answer = authorize(PENNILESS, "9", validBefore, nonce);
        assertThat(answer.text("status")).isEqualTo("AUTHORIZED");

        freeze(PENNILESS);
        AgentClient.Response cancelled = watchUntil(answer.text("id"), "FAILED");

        assertThat(cancelled.text("failure")).contains("cancelled");
        assertThat(HeldBudget.state(guardian, answer.text("id"))).isEqualTo("VOIDED");
        assertThat(authorizationState(wallet, nonce)).as("cancelled on chain").isTrue();
        StoredRequest cancellation = cancellationsOf(answer.text("id")).getFirst();
        assertThat(cancellation.status()).isEqualTo(RequestStatus.CONFIRMED);
        assertThat(cancellation.relayer()).contains(Relayer.DEFAULT);
        assertThat(guardian.client(TREASURER)
                        .request(cancellation.id().toString())
                        .text("relayer"))
                .isEqualTo(Relayer.DEFAULT);
        // Sent and paid for by the relayer: the wallet sent nothing and still holds no ETH.
        ChainAdapter reader = guardian.bean(ChainAdapter.class);
        assertThat(reader.confirmedNonce(wallet)).isZero();
        assertThat(chain.ethBalance(wallet).isZero()).isTrue();
        assertThat(reader.confirmedNonce(guardian.relayer())).isGreaterThanOrEqualTo(1);
        assertThat(cancellation.nonce()).hasValue(reader.confirmedNonce(guardian.relayer()) - 1);
        // The payee (through its facilitator) tries the authorization anyway: the token refuses, nothing moves.
        byte[] use = TypedDataJsons.transferWithAuthorizationCall(
                wallet, SHOP, usdc("9").units(), 0, validBefore, nonce, signature(answer));
        assertThatThrownBy(() -> chain.send(facilitator, usdc, TokenAmount.zero(Asset.ether()), use))
                .hasMessageContaining("reverted");
        assertThat(chain.usdcBalance(usdc, wallet)).isEqualTo(usdc("100"));
        assertThat(chain.usdcBalance(usdc, SHOP)).isEqualTo(usdc("0"));
        // Operators see the relayer that did it, what it holds now, and nothing of it left in flight.
        AgentClient.Response shown = guardian.client(TREASURER).get("/v1/relayer");
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.text("address")).isEqualTo(guardian.relayer().toString());
        assertThat(shown.body().path("inFlight").isEmpty()).isTrue();
        assertThat(shown.body().path("balance").path("asset").asString()).isEqualTo("ETH");
        assertThat(chain.ethBalance(guardian.relayer()).units())
                .as("the relayer paid the fee")
                .isLessThan(eth("1").units());
    }

    @Test
    void aRelayerWithoutEthIsSaidSoAndTriedAgainOnAGrowingIntervalNotOnEveryPass() {
        fundRelayer("0");
        Address wallet = guardian.walletOf(UNPAID);
        byte[] nonce = TypedDataJsons.randomNonce();
        AgentClient.Response answer = authorize(UNPAID, "4", inSeconds(300), nonce);
        assertThat(answer.text("status")).isEqualTo("AUTHORIZED");
        freeze(UNPAID);
        AuthorizationWatcher watcher = guardian.bean(AuthorizationWatcher.class);

        // 120 passes, 5 seconds apart: ten minutes of a cancellation that cannot succeed.
        for (int pass = 0; pass < 120; pass++) {
            watcher.watch();
            CLOCK.advance(Duration.ofSeconds(5));
        }

        // Tried at 0 s, then 15, 30, 60, 120 and 240 s after each failure (at 15, 45, 105, 225 and 465 s); the
        // next would be 300 s later, past the ten minutes. Not 120.
        List<StoredRequest> tries = cancellationsOf(answer.text("id"));
        assertThat(tries).hasSize(6);
        for (StoredRequest tried : tries) {
            assertThat(tried.status()).isEqualTo(RequestStatus.DENIED);
            assertThat(tried.relayer()).contains(Relayer.DEFAULT);
            ReasonView reason = tried.reasons().getFirst();
            assertThat(reason.ruleId()).isEqualTo("relayer.insufficient-funds");
            assertThat(reason.message()).contains(guardian.relayer().toString());
        }
        List<Instant> at = tries.stream().map(StoredRequest::createdAt).sorted().toList();
        for (int i = 1; i < at.size(); i++) {
            assertThat(Duration.between(at.get(i - 1), at.get(i)))
                    .as("the wait before try %d", i + 1)
                    .isGreaterThanOrEqualTo(FIRST_WAIT.multipliedBy(1L << (i - 1)));
        }
        // One record of the decision per try, with the relayer's figures in it.
        JdbcClient jdbc = guardian.bean(JdbcClient.class);
        List<String> decisions = jdbc.sql("""
                        select payload::text from audit_log
                        where event = 'decision' and request_id in (:ids)
                        """)
                .param("ids", tries.stream().map(StoredRequest::id).toList())
                .query(String.class)
                .list();
        assertThat(decisions)
                .hasSize(6)
                .allSatisfy(d ->
                        assertThat(d).contains("relayer.insufficient-funds").contains("\"limitUnits\": \"0\""));
        // Nothing was sent: the authorization is still outstanding, unused and held.
        assertThat(authorizationState(wallet, nonce)).isFalse();
        assertThat(guardian.client(UNPAID).request(answer.text("id")).text("status"))
                .isEqualTo("AUTHORIZED");
        assertThat(HeldBudget.state(guardian, answer.text("id"))).isEqualTo("PENDING");

        // Funded, the next try after the wait cancels it.
        fundRelayer("1");
        CLOCK.advance(LONGEST_WAIT);
        AgentClient.Response cancelled = watchUntil(answer.text("id"), "FAILED");

        assertThat(cancelled.text("failure")).contains("cancelled");
        assertThat(cancellationsOf(answer.text("id")))
                .hasSize(7)
                .filteredOn(c -> c.status() == RequestStatus.CONFIRMED)
                .hasSize(1);
        assertThat(authorizationState(wallet, nonce)).isTrue();
        assertThat(HeldBudget.state(guardian, answer.text("id"))).isEqualTo("VOIDED");
    }

    @Test
    void anAuthorizationWhoseCancellationTheChainAnswersWithGarbageDoesNotStopTheOthersBeingCancelled() {
        fundRelayer("1");
        byte[] garbledNonce = TypedDataJsons.randomNonce();
        // Sooner to lapse, so the watcher comes to it first in each pass.
        AgentClient.Response garbled = authorize(GARBLED, "3", inSeconds(200), garbledNonce);
        byte[] bystanderNonce = TypedDataJsons.randomNonce();
        AgentClient.Response bystander = authorize(BYSTANDER, "3", inSeconds(280), bystanderNonce);
        // The node answers the gas estimate of that one cancellation (its call carries the nonce) with garbage: a
        // ChainUnavailableException, which used to end the whole pass.
        proxy.answerWhenContains("eth_estimateGas", Hex.encode(garbledNonce).substring(2), "\"0xzz\"");
        try {
            freeze(GARBLED);
            freeze(BYSTANDER);

            watchUntil(bystander.text("id"), "FAILED");

            assertThat(authorizationState(guardian.walletOf(BYSTANDER), bystanderNonce))
                    .isTrue();
            assertThat(guardian.client(GARBLED).request(garbled.text("id")).text("status"))
                    .isEqualTo("AUTHORIZED");
            assertThat(cancellationsOf(garbled.text("id")))
                    .as("the chain kept it from being judged: nothing recorded")
                    .isEmpty();
        } finally {
            proxy.forwardAll();
        }

        // The chain answers again: after the wait, it is cancelled too.
        CLOCK.advance(FIRST_WAIT.multipliedBy(2));
        watchUntil(garbled.text("id"), "FAILED");
        assertThat(authorizationState(guardian.walletOf(GARBLED), garbledNonce)).isTrue();
        assertThat(chain.usdcBalance(usdc, guardian.walletOf(GARBLED))).isEqualTo(usdc("100"));
    }

    private static void fundRelayer(String eth) {
        chain.setEthBalance(guardian.relayer(), eth(eth));
    }

    private static void freeze(AgentSpec agent) {
        guardian.bean(AgentDirectory.class)
                .setFrozen(new AgentId(agent.id()), true, "compromised", Actor.person("treasurer"));
    }

    /** Runs watcher passes (the clock standing still) until the request is {@code status}. */
    private static AgentClient.Response watchUntil(String id, String status) {
        AuthorizationWatcher watcher = guardian.bean(AuthorizationWatcher.class);
        AgentClient client = new AgentClient(guardian.baseUrl(), TREASURER.token());
        awaitTrue(
                () -> {
                    watcher.watch();
                    return client.request(id).text("status").equals(status);
                },
                "request " + id + " to be " + status);
        return client.request(id);
    }

    private static void awaitTrue(BooleanSupplier condition, String what) {
        Instant deadline = Instant.now().plus(SETTLE);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("waited " + SETTLE + " for " + what);
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static List<StoredRequest> cancellationsOf(String authorization) {
        RequestStore store = guardian.bean(RequestStore.class);
        return guardian
                .bean(JdbcClient.class)
                .sql("select id from requests where cancels = :id order by created_at, id")
                .param("id", UUID.fromString(authorization))
                .query(UUID.class)
                .list()
                .stream()
                .map(id -> store.find(id).orElseThrow())
                .toList();
    }

    private static AgentClient.Response authorize(AgentSpec agent, String amount, long validBefore, byte[] nonce) {
        return guardian.client(agent)
                .post(
                        "/v1/typed-data-signatures",
                        TypedDataJsons.transferWithAuthorization(
                                domain,
                                guardian.walletOf(agent),
                                SHOP,
                                usdc(amount).units(),
                                0,
                                validBefore,
                                nonce),
                        Optional.empty());
    }

    /** Seconds from Guardian's clock (which the test moves ahead of the chain's): within the policy's validity. */
    private static long inSeconds(long seconds) {
        return CLOCK.instant().getEpochSecond() + seconds;
    }

    private static byte[] signature(AgentClient.Response answer) {
        JsonNode signature = answer.body().path("signature").path("signature");
        return Hex.decode(signature.asString());
    }

    private static boolean authorizationState(Address authorizer, byte[] nonce) {
        byte[] answer = guardian.bean(ChainAdapter.class)
                .callLatest(usdc, TypedDataJsons.authorizationStateCall(authorizer, nonce), 32);
        return answer[31] == 1;
    }

    private static TokenAmount usdc(String amount) {
        return TokenAmount.parse(DevChain.usdcAsset(usdc), amount);
    }

    private static TokenAmount eth(String amount) {
        return TokenAmount.parse(Asset.ether(), amount);
    }
}
