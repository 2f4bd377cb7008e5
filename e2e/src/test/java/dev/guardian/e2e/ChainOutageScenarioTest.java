package dev.guardian.e2e;

import static dev.guardian.e2e.Answers.CHAIN_UNAVAILABLE;
import static dev.guardian.e2e.Answers.PROBLEM_JSON;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.TcpProxy;
import dev.guardian.service.testsupport.TestAddresses;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Guardian reaches the chain only through a proxy that the tests break on purpose (the node itself keeps
 * running, so its state can be read directly): without the chain there is no simulation, so nothing is
 * signed or recorded and the agent is told to retry; once the chain is back, the retry pays, once.
 */
class ChainOutageScenarioTest {
    private static final Duration SETTLE = Duration.ofSeconds(20);
    private static final Duration DAY = Duration.ofHours(24);
    /** Longer than the breaker's open-state wait (1 s in GuardianInstance) plus a read's retries. */
    private static final Duration RECOVERY = Duration.ofSeconds(15);

    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final Address PAYEE = TestAddresses.fresh();
    private static final AgentSpec CUT_OFF = AgentSpec.agent("cut-off")
            .perTransactionCap("100")
            .budget("500", DAY)
            .allow(PAYEE);
    private static final AgentSpec STALLED = AgentSpec.agent("stalled")
            .perTransactionCap("100")
            .budget("500", DAY)
            .allow(PAYEE);

    private static OnChain chain;
    private static TcpProxy proxy;
    private static GuardianInstance guardian;

    @BeforeAll
    static void startGuardianBehindAProxy() {
        chain = OnChain.withFreshUsdc(CHAIN);
        proxy = TcpProxy.to(CHAIN.anvil().port());
        guardian = GuardianInstance.builder(proxy.httpUri(), chain.usdcAddress())
                .agent(CUT_OFF)
                .agent(STALLED)
                .start();
    }

    @AfterEach
    void reconnect() {
        proxy.restore();
    }

    @AfterAll
    static void stop() {
        try {
            if (guardian != null) {
                guardian.close();
            }
        } finally {
            if (proxy != null) {
                proxy.close();
            }
        }
    }

    @Test
    void refusesWithChainUnavailableAndSignsNothingWhileTheChainIsCutOffThenPaysOnceItIsBack() {
        refusesWhileTheChainIsAwayThenPaysOnce(guardian.client(CUT_OFF), proxy::cutOff, "payout-cut-1", "15");
    }

    @Test
    void refusesWithChainUnavailableAndSignsNothingWhileTheChainStallsThenPaysOnceItIsBack() {
        refusesWhileTheChainIsAwayThenPaysOnce(guardian.client(STALLED), proxy::stall, "payout-stall-1", "16");
    }

    private static void refusesWhileTheChainIsAwayThenPaysOnce(
            AgentClient agent, Runnable breakTheChain, String key, String amount) {
        Address wallet = chain.fundWallet(agent, "1000");
        TokenAmount payeeBefore = chain.usdcBalance(PAYEE);
        long blockBefore = chain.blockNumber();

        breakTheChain.run();
        AgentClient.Response refused = agent.pay(PAYEE.toString(), amount, Optional.of(key));

        assertThat(refused.status()).as(refused.raw().body()).isEqualTo(503);
        assertThat(refused.contentType()).startsWith(PROBLEM_JSON);
        assertThat(refused.text("type")).isEqualTo(CHAIN_UNAVAILABLE);
        assertThat(refused.header("Retry-After")).isNotBlank();
        assertThat(refused.text("requestId")).isNull();
        // Read straight from the node: no transaction was sent or mined, no money moved.
        assertThat(chain.transactionCount(wallet)).isZero();
        assertThat(chain.blockNumber()).isEqualTo(blockBefore);
        assertThat(chain.usdcBalance(wallet)).isEqualTo(chain.usdc("1000"));
        assertThat(chain.usdcBalance(PAYEE)).isEqualTo(payeeBefore);
        // Nothing recorded: no budget held for it (GET /v1/budget reads only the database).
        Answers.assertUsdcBudget(agent, "0", "0");

        proxy.restore();
        AgentClient.Response paid = untilTheChainAnswers(() -> agent.pay(PAYEE.toString(), amount, Optional.of(key)));

        assertThat(paid.status()).as(paid.raw().body()).isEqualTo(202);
        assertThat(paid.header("Idempotent-Replayed"))
                .as("the refused attempt left nothing under the key to replay")
                .isNull();
        assertThat(agent.awaitStatus(paid.text("id"), SETTLE, "CONFIRMED", "FAILED")
                        .text("status"))
                .isEqualTo("CONFIRMED");
        assertThat(chain.usdcBalance(PAYEE)).isEqualTo(payeeBefore.plus(chain.usdc(amount)));
        assertThat(chain.usdcBalance(wallet)).isEqualTo(chain.usdc("1000").minus(chain.usdc(amount)));
        assertThat(chain.transactionCount(wallet)).isEqualTo(1);
    }

    /** Retries as an agent told "503, Retry-After" would, with the same key, until the answer is something else; bounded. */
    private static AgentClient.Response untilTheChainAnswers(Supplier<AgentClient.Response> attempt) {
        Instant deadline = Instant.now().plus(RECOVERY);
        AgentClient.Response last = attempt.get();
        while (last.status() == 503 && Instant.now().isBefore(deadline)) {
            pause();
            last = attempt.get();
        }
        return last;
    }

    private static void pause() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
