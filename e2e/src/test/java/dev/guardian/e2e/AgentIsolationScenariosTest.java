package dev.guardian.e2e;

import static dev.guardian.e2e.Answers.PROBLEM_JSON;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.service.api.ProblemTypes;
import dev.guardian.service.identity.Role;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.PersonSpec;
import dev.guardian.service.testsupport.TestAddresses;
import dev.guardian.service.testsupport.Treasury;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One agent cannot starve the others. Guardian runs here with small per-agent limits (10 calls a
 * second, 2 requests judged at once): an agent that floods it gets 429 with Retry-After and nothing
 * recorded, while another agent on the same instance is served as usual, and the flooding agent's
 * requests in flight cannot take the database pool from it.
 */
class AgentIsolationScenariosTest {
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final int RATE = 10;
    private static final int CONCURRENT = 2;
    private static final String TOO_MANY_REQUESTS = ProblemTypes.TOO_MANY_REQUESTS.toString();

    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final PersonSpec TREASURER = PersonSpec.person("tess", Role.TREASURY);
    private static final Address SHOP = TestAddresses.fresh();

    private static OnChain chain;
    private static GuardianInstance guardian;
    private static Treasury treasury;

    @BeforeAll
    static void startGuardianWithSmallLimits() {
        chain = OnChain.withFreshUsdc(CHAIN);
        guardian = GuardianInstance.builder(CHAIN.anvil().rpcUrl(), chain.usdcAddress())
                .person(TREASURER)
                .property("guardian.api.agent-requests-per-second", RATE)
                .property("guardian.api.agent-concurrent-requests", CONCURRENT)
                .start();
        treasury = new Treasury(guardian, TREASURER, chain.dev());
    }

    @AfterAll
    static void stopGuardian() {
        if (guardian != null) {
            guardian.close();
        }
    }

    private static AgentClient agent(String id) {
        AgentClient agent = treasury.createAgent(id, """
                {"perTransaction": {"USDC": {"escalateAbove": "100"}},
                 "budgets": [{"asset": "USDC", "limit": "500", "window": "24h"}],
                 "allowlist": [{"address": "%s", "label": "Shop"}]}""".formatted(SHOP));
        chain.dev().mintUsdc(chain.usdcAddress(), treasury.createWallet(id, id + "-wallet"), chain.usdc("1000"));
        return agent;
    }

    @Test
    void anAgentOverItsRateGets429WithRetryAfterAndAnotherAgentIsServed() {
        AgentClient flooding = agent("flood-bot");
        AgentClient other = agent("quiet-bot");

        Instant start = Instant.now();
        List<AgentClient.Response> answers = new ArrayList<>();
        // Calls as fast as one client can; on a loaded machine that may be slower than the rate for a while,
        // so it goes on (up to a bound) until the rate has been passed at least once.
        for (int i = 0; i < 4 * RATE || (i < 40 * RATE && answers.stream().noneMatch(a -> a.status() == 429)); i++) {
            answers.add(flooding.budget());
        }
        long seconds = Duration.between(start, Instant.now()).toSeconds();
        AgentClient.Response served = other.budget();

        List<AgentClient.Response> refused =
                answers.stream().filter(a -> a.status() == 429).toList();
        long ok = answers.stream().filter(a -> a.status() == 200).count();
        assertThat(ok + refused.size()).isEqualTo(answers.size());
        assertThat(ok).as("at most %d calls a second pass", RATE).isLessThanOrEqualTo(RATE * (seconds + 2));
        assertThat(refused).isNotEmpty().allSatisfy(r -> {
            assertThat(r.contentType()).startsWith(PROBLEM_JSON);
            assertThat(r.text("type")).isEqualTo(TOO_MANY_REQUESTS);
            assertThat(r.header("Retry-After")).isEqualTo("1");
        });
        assertThat(served.status()).as(served.raw().body()).isEqualTo(200);
    }

    @Test
    void anAgentsRequestsWaitingForItsLockAreCappedAndAnotherAgentStillPays() throws Exception {
        AgentClient stuck = agent("stuck-bot");
        AgentClient other = agent("paying-bot");
        DataSource pool = guardian.bean(DataSource.class);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<AgentClient.Response>> waiting = new ArrayList<>();
        try (Connection blocker = pool.getConnection()) {
            // Holds the stuck agent's decision lock (the one each of its decisions takes), as a long
            // decision of its own would: its requests wait for it, each holding a database connection.
            lock(blocker, "select pg_advisory_lock(hashtextextended(?, 0))", "guardian.agent:stuck-bot");
            for (int i = 0; i < CONCURRENT + 3; i++) {
                waiting.add(threads.submit(() -> stuck.pay(SHOP.toString(), "1")));
            }
            List<AgentClient.Response> refused = new ArrayList<>();
            for (Future<AgentClient.Response> future : waiting) {
                try {
                    refused.add(future.get(2, TimeUnit.SECONDS));
                } catch (TimeoutException stillWaiting) {
                    // one of the CONCURRENT requests waiting for the lock
                }
            }
            AgentClient.Response paid = other.pay(SHOP.toString(), "7");

            assertThat(refused).hasSize(3).allSatisfy(r -> {
                assertThat(r.status()).as(r.raw().body()).isEqualTo(429);
                assertThat(r.text("type")).isEqualTo(TOO_MANY_REQUESTS);
                assertThat(r.header("Retry-After")).isNotBlank();
            });
            assertThat(paid.status()).as(paid.raw().body()).isEqualTo(202);
            assertThat(other.awaitStatus(paid.text("id"), SETTLE, "CONFIRMED").text("status"))
                    .isEqualTo("CONFIRMED");
            lock(blocker, "select pg_advisory_unlock(hashtextextended(?, 0))", "guardian.agent:stuck-bot");
        }
        List<AgentClient.Response> released = new ArrayList<>();
        for (Future<AgentClient.Response> future : waiting) {
            released.add(future.get(30, TimeUnit.SECONDS));
        }
        threads.shutdown();

        List<AgentClient.Response> judged =
                released.stream().filter(r -> r.status() == 202).toList();
        assertThat(judged)
                .as("the requests that waited are judged once the lock is free")
                .hasSize(CONCURRENT);
        for (AgentClient.Response answer : judged) {
            stuck.awaitStatus(answer.text("id"), SETTLE, "CONFIRMED");
        }
        assertThat(chain.usdcBalance(SHOP)).isEqualTo(chain.usdc(Integer.toString(7 + CONCURRENT)));
    }

    private static void lock(Connection connection, String sql, String key) throws Exception {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, key);
            statement.execute();
        }
    }
}
