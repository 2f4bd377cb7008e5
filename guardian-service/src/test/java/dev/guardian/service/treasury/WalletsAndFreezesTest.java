package dev.guardian.service.treasury;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.Hex;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.identity.Role;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.Calldata;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.PersonSpec;
import dev.guardian.service.testsupport.Treasury;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An agent with several wallets cannot move money past its limits through a sister wallet, an
 * idempotent retry gets its answer back after the agent gained a wallet, and a freeze that has returned
 * stops what is not yet signed.
 */
class WalletsAndFreezesTest {
    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final PersonSpec TREASURER = PersonSpec.person("wallets-treasurer", Role.TREASURY);

    private static GuardianInstance guardian;
    private static DevChain chain;
    private static Address usdc;
    private static Address merchant;
    private static Treasury desk;
    private static AgentClient treasury;

    @BeforeAll
    static void start() {
        chain = CHAIN.devChain();
        usdc = chain.deployTestUsdc();
        merchant = chain.devAccounts().get(5);
        guardian = GuardianInstance.builder(CHAIN.anvil().rpcUrl(), usdc)
                .person(TREASURER)
                .start();
        desk = new Treasury(guardian, TREASURER, chain);
        treasury = desk.client();
    }

    @AfterAll
    static void stop() {
        guardian.close();
    }

    @Test
    void moneyPulledFromAnotherOfTheAgentsWalletsCountsAgainstTheAgentsBudget() {
        AgentClient agent = agent("pull-bot", List.of());
        Address payer = wallet("pull-bot", "pull-payer");
        Address puller = wallet("pull-bot", "pull-puller");
        chain.mintUsdc(usdc, payer, usdc("1000"));
        // The treasury lets the agent move money between its own wallets (its second wallet is allowlisted).
        newActiveVersion("pull-bot", List.of(puller));

        for (int i = 0; i < 2; i++) {
            AgentClient.Response paid = agent.post("/v1/payments", """
                    {"recipient": "%s", "amount": "50", "walletId": "pull-payer"}""".formatted(merchant), Optional.empty());
            assertThat(paid.status()).as(paid.raw().body()).isEqualTo(202);
            agent.awaitStatus(paid.text("id"), Duration.ofSeconds(20), "CONFIRMED");
        }
        AgentClient.Response exhausted = agent.post("/v1/payments", """
                {"recipient": "%s", "amount": "1", "walletId": "pull-payer"}""".formatted(merchant), Optional.empty());
        assertThat(exhausted.status())
                .as("the 100 USDC budget is spent: %s", exhausted.raw().body())
                .isEqualTo(403);

        // An allowance counts as if the money moved when it is granted: with the budget spent, it is refused.
        AgentClient.Response allowance = agent.post(
                "/v1/contract-calls",
                """
                {"to": "%s", "data": "%s", "walletId": "pull-payer"}""".formatted(usdc, Hex.encode(Calldata.approve(puller, usdc("50")))),
                Optional.empty());
        assertThat(allowance.status()).as(allowance.raw().body()).isEqualTo(403);
        assertThat(allowance.raw().body()).contains("budget.window");
        // Granted outside Guardian (a key used elsewhere, an allowance from before), the second wallet's pull
        // of the first one's money is still the agent moving money: refused.
        chain.sendAs(payer, usdc, Calldata.approve(puller, usdc("50")));

        AgentClient.Response pulled = agent.post(
                "/v1/contract-calls",
                """
                {"to": "%s", "data": "%s", "walletId": "pull-puller"}""".formatted(usdc, Hex.encode(Calldata.transferFrom(payer, merchant, usdc("50")))),
                Optional.empty());
        if (pulled.status() == 202) {
            agent.awaitStatus(pulled.text("id"), Duration.ofSeconds(20), "CONFIRMED", "FAILED");
        }
        assertThat(pulled.status()).as(pulled.raw().body()).isEqualTo(403);
        assertThat(pulled.raw().body()).contains("wallet.other-wallet-moved");

        assertThat(chain.usdcBalance(usdc, payer))
                .as(
                        "the agent's budget is 100 USDC over 24 h across all its wallets, yet its second wallet pulled 50 more"
                                + " out of the first (pull answered %s: %s)",
                        pulled.status(), pulled.raw().body())
                .isEqualTo(usdc("900"));
    }

    @Test
    void anIdempotentRetryIsAnsweredAfterTheAgentGainedASecondWallet() {
        AgentClient agent = agent("retry-bot", List.of());
        Address only = wallet("retry-bot", "retry-first");
        chain.mintUsdc(usdc, only, usdc("100"));
        AgentClient.Response first = agent.pay(merchant.toString(), "10", Optional.of("invoice-77"));
        assertThat(first.status()).as(first.raw().body()).isEqualTo(202);

        wallet("retry-bot", "retry-second");
        AgentClient.Response retried = agent.pay(merchant.toString(), "10", Optional.of("invoice-77"));

        assertThat(retried.status())
                .as(
                        "the same request with the same key is a replay of the recorded answer: %s",
                        retried.raw().body())
                .isEqualTo(202);
        assertThat(retried.text("id")).isEqualTo(first.text("id"));
    }

    @Test
    void aFreezeThatHasReturnedStopsAnAllowedRequestThatIsNotYetSigned() throws Exception {
        AgentClient agent = agent("race-bot", List.of());
        Address wallet = wallet("race-bot", "race-wallet");
        chain.mintUsdc(usdc, wallet, usdc("100"));
        String warmUp = agent.pay(merchant.toString(), "1").text("id");
        agent.awaitStatus(warmUp, Duration.ofSeconds(20), "CONFIRMED");

        DataSource dataSource = guardian.bean(DataSource.class);
        CompletableFuture<AgentClient.Response> payment;
        CompletableFuture<AgentClient.Response> freeze;
        boolean freezeReturnedBeforeSigning;
        try (Connection holder = dataSource.getConnection()) {
            holder.setAutoCommit(false);
            // Hold the wallet's nonce row: the signing transaction reads the frozen flag, then waits here.
            try (PreparedStatement lock =
                    holder.prepareStatement("select next_nonce from nonces where address = ? for update")) {
                lock.setBytes(1, wallet.toBytes());
                lock.executeQuery().close();
            }
            payment = CompletableFuture.supplyAsync(() -> agent.pay(merchant.toString(), "2"));
            awaitSignerWaitingOnNonce(dataSource);

            freeze = CompletableFuture.supplyAsync(() ->
                    treasury.post("/v1/agents/race-bot/freeze", "{\"comment\": \"odd pattern\"}", Optional.empty()));
            try {
                freeze.get(5, TimeUnit.SECONDS);
            } catch (TimeoutException waiting) {
                // A freeze that waits for the open signature is a correct answer too.
            }
            freezeReturnedBeforeSigning = freeze.isDone();
            holder.rollback();
        }
        AgentClient.Response paid = payment.get(30, TimeUnit.SECONDS);
        assertThat(freeze.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
        String id = paid.text("id");
        String status = agent.awaitStatus(id, Duration.ofSeconds(20), "CONFIRMED", "FAILED")
                .text("status");

        if (freezeReturnedBeforeSigning) {
            assertThat(status)
                    .as("the freeze returned while the request was not yet signed (docs/architecture.md 16:"
                            + " an allowed request not yet signed when the agent's freeze comes is failed, not signed)")
                    .isEqualTo("FAILED");
        }
    }

    private static void awaitSignerWaitingOnNonce(DataSource dataSource) throws Exception {
        Instant until = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(until)) {
            // A fresh autocommit connection each time: pg_stat_activity is a snapshot per transaction.
            try (Connection observer = dataSource.getConnection();
                    PreparedStatement waiting = observer.prepareStatement("""
                    select count(*) from pg_stat_activity
                    where wait_event_type = 'Lock' and query ilike '%nonces%' and pid <> pg_backend_pid()""");
                    ResultSet rs = waiting.executeQuery()) {
                rs.next();
                if (rs.getInt(1) > 0) {
                    return;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the signing transaction never reached the nonce row");
    }

    private static String policy(List<Address> alsoAllowlisted) {
        StringBuilder allowlist =
                new StringBuilder("{\"address\": \"%s\", \"label\": \"Merchant\"}".formatted(merchant));
        alsoAllowlisted.forEach(
                a -> allowlist.append(", {\"address\": \"%s\", \"label\": \"Own wallet\"}".formatted(a)));
        return """
                {"perTransaction": {"USDC": {"escalateAbove": "50"}},
                 "budgets": [{"asset": "USDC", "limit": "100", "window": "24h"}],
                 "allowlist": [%s]}
                """.formatted(allowlist);
    }

    private static AgentClient agent(String id, List<Address> alsoAllowlisted) {
        return desk.createAgent(id, policy(alsoAllowlisted));
    }

    private static void newActiveVersion(String agentId, List<Address> alsoAllowlisted) {
        desk.activateNewVersion(agentId, policy(alsoAllowlisted));
    }

    private static Address wallet(String agentId, String walletId) {
        return desk.createWallet(agentId, walletId);
    }

    private static TokenAmount usdc(String amount) {
        return TokenAmount.parse(DevChain.usdcAsset(usdc), amount);
    }
}
