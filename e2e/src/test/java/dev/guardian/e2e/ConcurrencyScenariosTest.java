package dev.guardian.e2e;

import static dev.guardian.e2e.Answers.IDEMPOTENCY_KEY_REUSED;
import static dev.guardian.e2e.Answers.PROBLEM_JSON;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.guardian.e2e.Answers.SeenReason;
import dev.guardian.policy.Address;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.Concurrently;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.TestAddresses;
import dev.guardian.service.testsupport.TestDatabase;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two Guardian instances sharing one PostgreSQL (each logged in as the restricted application role, as
 * deployed) and one key-encryption key, configured with the same agents, behave as one deployment:
 * concurrent requests split across them never spend past a budget and never pay twice for one
 * Idempotency-Key. Agents send alternately to both instances.
 */
class ConcurrencyScenariosTest {
    private static final Duration SETTLE = Duration.ofSeconds(30);
    private static final Duration DAY = Duration.ofHours(24);

    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final List<Address> VENDORS =
            List.of(TestAddresses.fresh(), TestAddresses.fresh(), TestAddresses.fresh(), TestAddresses.fresh());
    private static final Address PAYEE = TestAddresses.fresh();

    private static final AgentSpec SPENDER = AgentSpec.agent("spender")
            .perTransactionCap("20")
            .budget("100", DAY)
            .allow(VENDORS.toArray(Address[]::new));
    private static final AgentSpec RETRIER = AgentSpec.agent("retrier")
            .perTransactionCap("100")
            .budget("500", DAY)
            .allow(PAYEE);
    private static final AgentSpec HURRIED = AgentSpec.agent("hurried")
            .perTransactionCap("100")
            .budget("500", DAY)
            .allow(PAYEE);
    private static final AgentSpec FICKLE = AgentSpec.agent("fickle")
            .perTransactionCap("100")
            .budget("500", DAY)
            .allow(PAYEE);

    private static TestDatabase database;
    private static OnChain chain;
    private static GuardianInstance first;
    private static GuardianInstance second;

    @BeforeAll
    static void startTwoGuardiansOnOneDatabase() {
        chain = OnChain.withFreshUsdc(CHAIN);
        database = TestDatabase.start();
        String kek = GuardianInstance.newKek();
        first = guardian(kek);
        second = guardian(kek);
    }

    private static GuardianInstance guardian(String kek) {
        return GuardianInstance.builder(CHAIN.anvil().rpcUrl(), chain.usdcAddress())
                .database(database)
                .kek(kek)
                .agent(SPENDER)
                .agent(RETRIER)
                .agent(HURRIED)
                .agent(FICKLE)
                .start();
    }

    @AfterAll
    static void stopAll() throws IOException {
        // Both Guardians before the database they share; each step even if one before it failed.
        try {
            closeIfStarted(second);
        } finally {
            try {
                closeIfStarted(first);
            } finally {
                if (database != null) {
                    database.close();
                }
            }
        }
    }

    private static void closeIfStarted(GuardianInstance guardian) {
        if (guardian != null) {
            guardian.close();
        }
    }

    @Test
    void neverSpendsPastTheBudgetWhenTwentyConcurrentPaymentsAreSplitAcrossTwoInstances() {
        AgentClient viaFirst = first.client(SPENDER);
        AgentClient viaSecond = second.client(SPENDER);
        assertThat(viaSecond.wallet().text("address"))
                .as("both instances use the one wallet created for the agent")
                .isEqualTo(viaFirst.wallet().text("address"));
        Address wallet = chain.fundWallet(viaFirst, "1000");
        // 4..13 USDC, twice: 170 USDC asked for against a budget of 100, each within the cap of 20.
        List<String> amounts = IntStream.range(0, 20)
                .mapToObj(i -> Integer.toString(4 + i % 10))
                .toList();

        List<AgentClient.Response> answers = Concurrently.run(
                20,
                i -> (i % 2 == 0 ? viaFirst : viaSecond)
                        .pay(VENDORS.get(i % VENDORS.size()).toString(), amounts.get(i)));

        List<String> allowedIds = new ArrayList<>();
        TokenAmount allowedTotal = chain.usdc("0");
        List<Integer> denied = new ArrayList<>();
        for (int i = 0; i < answers.size(); i++) {
            AgentClient.Response answer = answers.get(i);
            assertThat(answer.status())
                    .as("payment %d: %s", i, answer.raw().body())
                    .isIn(202, 403);
            if (answer.status() == 202) {
                assertThat(answer.text("status"))
                        .as("payment %d", i)
                        .isIn(
                                "SUBMITTED",
                                "CONFIRMED"); // the receipt worker may settle it before the answer is written
                allowedIds.add(answer.text("id"));
                allowedTotal = allowedTotal.plus(chain.usdc(amounts.get(i)));
            } else {
                denied.add(i);
            }
        }
        assertThat(denied).as("170 USDC asked for against a budget of 100").isNotEmpty();
        assertThat(allowedIds).doesNotHaveDuplicates();
        for (String id : allowedIds) {
            assertThat(viaFirst.awaitStatus(id, SETTLE, "CONFIRMED", "FAILED").text("status"))
                    .as("request %s", id)
                    .isEqualTo("CONFIRMED");
        }

        TokenAmount leftTheWallet = chain.usdc("1000").minus(chain.usdcBalance(wallet));
        TokenAmount reachedVendors =
                VENDORS.stream().map(chain::usdcBalance).reduce(chain.usdc("0"), TokenAmount::plus);
        assertThat(leftTheWallet).as("what left the wallet on chain").isEqualTo(allowedTotal);
        assertThat(reachedVendors).isEqualTo(allowedTotal);
        assertThat(leftTheWallet.exceeds(chain.usdc("100")))
                .as("%s left the wallet against a budget of 100", leftTheWallet)
                .isFalse();
        assertThat(chain.transactionCount(wallet)).isEqualTo(allowedIds.size());

        TokenAmount unspent = chain.usdc("100").minus(allowedTotal);
        for (int i : denied) {
            AgentClient.Response refusal = answers.get(i);
            assertThat(Answers.reasons(refusal))
                    .as("payment %d", i)
                    .extracting(SeenReason::ruleId, SeenReason::verdict)
                    .containsExactly(tuple("budget.window", "DENY"));
            assertThat(Answers.text(Answers.figuresOf(refusal, "budget.window"), "attempted"))
                    .isEqualTo(amounts.get(i));
            // Spending only grew, so a refusal was needed only if the payment does not fit even in what is left now.
            assertThat(chain.usdc(amounts.get(i)).exceeds(unspent))
                    .as("payment %d of %s refused with %s unspent", i, amounts.get(i), unspent)
                    .isTrue();
        }
        Answers.assertUsdcBudget(viaSecond, "0", allowedTotal.toDecimalString());
    }

    @Test
    void answersARepeatedIdempotencyKeyWithTheSameRequestAndPaysOnce() {
        AgentClient viaFirst = first.client(RETRIER);
        AgentClient viaSecond = second.client(RETRIER);
        Address wallet = chain.fundWallet(viaFirst, "1000");
        TokenAmount payeeBefore = chain.usdcBalance(PAYEE);
        Optional<String> key = Optional.of("invoice-2026-0042");

        AgentClient.Response original = viaFirst.pay(PAYEE.toString(), "42", key);
        AgentClient.Response retry = viaSecond.pay(PAYEE.toString(), "42", key);

        assertThat(original.status()).as(original.raw().body()).isEqualTo(202);
        assertThat(original.header("Idempotent-Replayed")).isNull();
        assertThat(retry.status()).as(retry.raw().body()).isEqualTo(202);
        assertThat(retry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(retry.text("id")).isEqualTo(original.text("id"));
        assertThat(viaFirst.awaitStatus(original.text("id"), SETTLE, "CONFIRMED", "FAILED")
                        .text("status"))
                .isEqualTo("CONFIRMED");

        AgentClient.Response lateRetry = viaFirst.pay(PAYEE.toString(), "42", key);
        assertThat(lateRetry.status()).isEqualTo(202);
        assertThat(lateRetry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(lateRetry.text("id")).isEqualTo(original.text("id"));
        assertThat(lateRetry.text("status")).isEqualTo("CONFIRMED");

        assertThat(chain.usdcBalance(PAYEE)).isEqualTo(payeeBefore.plus(chain.usdc("42")));
        assertThat(chain.usdcBalance(wallet)).isEqualTo(chain.usdc("958"));
        assertThat(chain.transactionCount(wallet)).isEqualTo(1);
    }

    @Test
    void paysOnceWhenFiveConcurrentRequestsShareOneIdempotencyKeyAcrossInstances() {
        AgentClient viaFirst = first.client(HURRIED);
        AgentClient viaSecond = second.client(HURRIED);
        Address wallet = chain.fundWallet(viaFirst, "1000");
        TokenAmount payeeBefore = chain.usdcBalance(PAYEE);
        Optional<String> key = Optional.of("checkout-7f3a");

        List<AgentClient.Response> answers =
                Concurrently.run(5, i -> (i % 2 == 0 ? viaFirst : viaSecond).pay(PAYEE.toString(), "7", key));

        assertThat(answers)
                .extracting(AgentClient.Response::status)
                .as(answers.toString())
                .containsOnly(202);
        assertThat(answers)
                .extracting(r -> r.text("id"))
                .doesNotContainNull()
                .containsOnly(answers.getFirst().text("id"));
        assertThat(answers)
                .extracting(r -> r.header("Idempotent-Replayed"))
                .as("one answer made the request, the four others replayed it")
                .containsExactlyInAnyOrder(null, "true", "true", "true", "true");
        assertThat(viaSecond
                        .awaitStatus(answers.getFirst().text("id"), SETTLE, "CONFIRMED", "FAILED")
                        .text("status"))
                .isEqualTo("CONFIRMED");

        assertThat(chain.usdcBalance(PAYEE)).isEqualTo(payeeBefore.plus(chain.usdc("7")));
        assertThat(chain.usdcBalance(wallet)).isEqualTo(chain.usdc("993"));
        assertThat(chain.transactionCount(wallet)).isEqualTo(1);
    }

    @Test
    void refusesAnIdempotencyKeyReusedForADifferentPayment() {
        AgentClient viaFirst = first.client(FICKLE);
        AgentClient viaSecond = second.client(FICKLE);
        Address wallet = chain.fundWallet(viaFirst, "1000");
        Optional<String> key = Optional.of("order-99");

        AgentClient.Response original = viaFirst.pay(PAYEE.toString(), "5", key);
        assertThat(original.status()).as(original.raw().body()).isEqualTo(202);
        AgentClient.Response reused = viaSecond.pay(PAYEE.toString(), "500", key);

        assertThat(reused.status()).as(reused.raw().body()).isEqualTo(422);
        assertThat(reused.contentType()).startsWith(PROBLEM_JSON);
        assertThat(reused.text("type")).isEqualTo(IDEMPOTENCY_KEY_REUSED);
        assertThat(reused.text("originalRequestId")).isEqualTo(original.text("id"));
        assertThat(viaFirst.awaitStatus(original.text("id"), SETTLE, "CONFIRMED", "FAILED")
                        .text("status"))
                .isEqualTo("CONFIRMED");
        assertThat(chain.usdcBalance(wallet))
                .as("only the original 5 left the wallet")
                .isEqualTo(chain.usdc("995"));
        assertThat(chain.transactionCount(wallet)).isEqualTo(1);
    }
}
