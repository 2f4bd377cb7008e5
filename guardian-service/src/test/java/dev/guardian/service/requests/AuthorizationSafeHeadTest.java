package dev.guardian.service.requests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.Asset;
import dev.guardian.policy.Hex;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.audit.Actor;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.HeldBudget;
import dev.guardian.service.testsupport.TestAddresses;
import dev.guardian.service.testsupport.TypedDataJsons;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What frees a budget on the chain's word waits for the safe head, {@code guardian.chain.confirmation-depth}
 * (3 here) blocks below the latest, on a real Anvil: an unused authorization is voided only once the safe head's
 * time is past its validity, however far past it the latest block is; a reorganisation that replaces the blocks
 * past its validity with one that uses it is then posted, not lost; and Guardian's own cancellation voids the
 * reservation only once its block is at or below the safe head. The watcher's passes are the test's own.
 */
class AuthorizationSafeHeadTest {
    private static final int DEPTH = 3;

    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final Address SHOP = TestAddresses.fresh();
    private static final AgentSpec LAPSING = agent("safe-lapsing");
    private static final AgentSpec REORGANISED = agent("safe-reorganised");
    private static final AgentSpec CANCELLED = agent("safe-cancelled");

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
        guardian = GuardianInstance.builder(CHAIN.anvil().rpcUrl(), usdc)
                .property("guardian.chain.confirmation-depth", DEPTH)
                .property("guardian.worker.authorization-watch-interval", "1h")
                .agent(LAPSING)
                .agent(REORGANISED)
                .agent(CANCELLED)
                .start();
        for (AgentSpec agent : new AgentSpec[] {LAPSING, REORGANISED, CANCELLED}) {
            chain.mintUsdc(usdc, guardian.walletOf(agent), usdc("100"));
        }
        chain.setEthBalance(guardian.relayer(), TokenAmount.parse(Asset.ether(), "1"));
    }

    @AfterAll
    static void stop() {
        if (guardian != null) {
            guardian.close();
        }
    }

    @Test
    void anUnusedAuthorizationLapsesOnlyOnceTheSafeHeadIsPastItsValidity() {
        long validBefore = chainTimeOrNow() + 30;
        AgentClient.Response answer = authorize(LAPSING, "5", validBefore, TypedDataJsons.randomNonce());
        assertThat(answer.text("status")).isEqualTo("AUTHORIZED");

        // The latest block is at validBefore: the token refuses the authorization from here on, but this block
        // and the next two are above the safe head, and a reorganisation could still replace them.
        chain.setNextBlockTimestamp(validBefore);
        chain.mine();
        chain.mine();
        chain.mine();
        passes(3);

        assertThat(status(LAPSING, answer)).isEqualTo("AUTHORIZED");
        assertThat(HeldBudget.state(guardian, answer.text("id"))).isEqualTo("PENDING");

        // One block more and the block at validBefore is the safe head.
        chain.mine();
        passes(1);

        AgentClient.Response lapsed = guardian.client(LAPSING).request(answer.text("id"));
        assertThat(lapsed.text("status")).isEqualTo("EXPIRED");
        assertThat(lapsed.text("failure")).contains("at " + Instant.ofEpochSecond(validBefore));
        assertThat(HeldBudget.state(guardian, answer.text("id"))).isEqualTo("VOIDED");
    }

    @Test
    void aReorganisationThatUsesTheAuthorizationAfterTheLatestBlockWasPastItsValidityIsPostedNotLost() {
        Address wallet = guardian.walletOf(REORGANISED);
        byte[] nonce = TypedDataJsons.randomNonce();
        long validBefore = chainTimeOrNow() + 30;
        AgentClient.Response answer = authorize(REORGANISED, "6", validBefore, nonce);
        assertThat(answer.text("status")).isEqualTo("AUTHORIZED");
        long before =
                guardian.bean(ChainAdapter.class).latestBlock().timestamp().getEpochSecond();
        String fork = chain.snapshot();

        // A head past its validity, not yet deep enough to be safe: the reservation is held.
        chain.setNextBlockTimestamp(validBefore + 5);
        chain.mine();
        chain.mine();
        passes(3);
        assertThat(status(REORGANISED, answer)).isEqualTo("AUTHORIZED");

        // Those blocks are replaced: in the block that takes their place the facilitator uses the authorization.
        chain.revertTo(fork);
        chain.setNextBlockTimestamp(before + 1);
        chain.send(
                facilitator,
                usdc,
                TokenAmount.zero(Asset.ether()),
                TypedDataJsons.transferWithAuthorizationCall(
                        wallet, SHOP, usdc("6").units(), 0, validBefore, nonce, signature(answer)));
        passes(1);

        assertThat(chain.usdcBalance(usdc, SHOP)).isEqualTo(usdc("6"));
        assertThat(status(REORGANISED, answer)).isEqualTo("CONFIRMED");
        assertThat(HeldBudget.state(guardian, answer.text("id")))
                .as("the money left: the budget counts it")
                .isEqualTo("POSTED");
    }

    @Test
    void aCancellationVoidsTheReservationOnlyOnceItsBlockIsAtTheSafeHead() {
        byte[] nonce = TypedDataJsons.randomNonce();
        AgentClient.Response answer = authorize(CANCELLED, "7", chainTimeOrNow() + 300, nonce);
        assertThat(answer.text("status")).isEqualTo("AUTHORIZED");
        guardian.bean(AgentDirectory.class)
                .setFrozen(new AgentId(CANCELLED.id()), true, "compromised", Actor.person("treasurer"));
        RequestStore store = guardian.bean(RequestStore.class);
        UUID id = UUID.fromString(answer.text("id"));

        // The relayer's cancellation is mined (and confirmed by the receipt worker) in the latest block.
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        Optional<StoredRequest> cancellation = Optional.empty();
        while (cancellation.isEmpty() && Instant.now().isBefore(deadline)) {
            passes(1);
            cancellation =
                    store.cancellationOf(id).flatMap(store::find).filter(c -> c.status() == RequestStatus.CONFIRMED);
            sleep(100);
        }
        assertThat(cancellation).as("the cancellation confirmed").isPresent();
        long minedIn = cancellation.get().blockNumber().orElseThrow();
        assertThat(authorizationState(guardian.walletOf(CANCELLED), nonce)).isTrue();

        // Until its block is at the safe head, a reorganisation could still take it away: held.
        while (guardian.bean(ChainAdapter.class).blockNumber() < minedIn + DEPTH - 1) {
            chain.mine();
        }
        passes(3);
        assertThat(status(CANCELLED, answer)).isEqualTo("AUTHORIZED");
        assertThat(HeldBudget.state(guardian, answer.text("id"))).isEqualTo("PENDING");

        chain.mine();
        passes(1);

        assertThat(status(CANCELLED, answer)).isEqualTo("FAILED");
        assertThat(HeldBudget.state(guardian, answer.text("id"))).isEqualTo("VOIDED");
    }

    private static void passes(int count) {
        AuthorizationWatcher watcher = guardian.bean(AuthorizationWatcher.class);
        for (int i = 0; i < count; i++) {
            watcher.watch();
        }
    }

    /**
     * Now, or the chain's time if a test moved it ahead of the wall clock: what a validity is counted from so that
     * it is still ahead of the chain.
     */
    private static long chainTimeOrNow() {
        long chainTime =
                guardian.bean(ChainAdapter.class).latestBlock().timestamp().getEpochSecond();
        return Math.max(chainTime, Instant.now().getEpochSecond());
    }

    private static String status(AgentSpec agent, AgentClient.Response answer) {
        return guardian.client(agent).request(answer.text("id")).text("status");
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

    private static byte[] signature(AgentClient.Response answer) {
        return Hex.decode(answer.body().path("signature").path("signature").asString());
    }

    private static boolean authorizationState(Address authorizer, byte[] nonce) {
        byte[] answer = guardian.bean(ChainAdapter.class)
                .callLatest(usdc, TypedDataJsons.authorizationStateCall(authorizer, nonce), 32);
        return answer[31] == 1;
    }

    private static TokenAmount usdc(String amount) {
        return TokenAmount.parse(DevChain.usdcAsset(usdc), amount);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
