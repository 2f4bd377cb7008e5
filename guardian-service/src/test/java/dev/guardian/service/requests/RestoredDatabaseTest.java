package dev.guardian.service.requests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.agents.Agent;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.web3j.protocol.core.DefaultBlockParameterName;

/**
 * A database restored from a backup knows less than the chain: requests it holds as allowed may have been
 * signed and paid since, and signing them again would pay twice. Guardian signs nothing while the wallet's
 * nonce on chain is past both the next one it would sign and what wallet reconciliation has reviewed.
 */
class RestoredDatabaseTest {
    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final AgentSpec AGENT = AgentSpec.agent("restored");
    private static TestDatabase database;
    private static GuardianInstance guardian;
    private static Address usdc;
    private static Address merchant;
    private static Agent agent;

    @BeforeAll
    static void start() {
        DevChain chain = CHAIN.devChain();
        usdc = chain.deployTestUsdc();
        merchant = chain.devAccounts().get(3);
        AGENT.allow(merchant);
        database = TestDatabase.start();
        guardian = GuardianInstance.builder(CHAIN.anvil().rpcUrl(), usdc)
                .database(database)
                .agent(AGENT)
                .start();
        agent = guardian.bean(AgentDirectory.class)
                .find(new AgentId(AGENT.id()))
                .orElseThrow();
        chain.mintUsdc(usdc, agent.walletAddress(), usdc("100"));
        chain.setEthBalance(agent.walletAddress(), TokenAmount.parse(Asset.ether(), "1"));
    }

    @AfterAll
    static void stop() throws IOException {
        guardian.close();
        database.close();
    }

    @Test
    void signsNothingWhileTheChainHasTransactionsTheRestoredDatabaseDoesNotKnow() {
        AgentClient client = guardian.client(AGENT);
        AgentClient.Response first = client.pay(merchant.toString(), "5", Optional.of("before-the-backup"));
        assertThat(client.awaitStatus(first.text("id"), Duration.ofSeconds(20), "CONFIRMED", "FAILED")
                        .text("status"))
                .isEqualTo("CONFIRMED");
        AgentClient.Response second = client.pay(merchant.toString(), "6", Optional.of("paid-after-the-backup"));
        assertThat(client.awaitStatus(second.text("id"), Duration.ofSeconds(20), "CONFIRMED", "FAILED")
                        .text("status"))
                .isEqualTo("CONFIRMED");
        // The backup was taken between the two: the restored rows say nonce 1 is next and reconciliation last
        // saw nonce 1; the chain has nonce 2.
        database.ownerJdbc().sql("update nonces set next_nonce = 1").update();
        database.ownerJdbc().sql("update wallet_reconciliations set nonce = 1").update();
        long nonceBefore = nonce();

        AgentClient.Response third = client.pay(merchant.toString(), "7", Optional.of("after-the-restore"));
        AgentClient.Response settled =
                client.awaitStatus(third.text("id"), Duration.ofSeconds(20), "CONFIRMED", "FAILED");

        assertThat(settled.text("status")).isEqualTo("FAILED");
        assertThat(settled.text("failure"))
                .contains("nonce on chain (2) is past the next one Guardian would sign (1)")
                .contains("nothing was signed");
        assertThat(nonce()).as("nothing sent").isEqualTo(nonceBefore);
        assertThat(CHAIN.devChain().usdcBalance(usdc, merchant))
                .as("paid once each")
                .isEqualTo(usdc("11"));
    }

    private static long nonce() {
        try {
            return CHAIN.web3j()
                    .ethGetTransactionCount(agent.walletAddress().toLowerHex(), DefaultBlockParameterName.PENDING)
                    .send()
                    .getTransactionCount()
                    .longValueExact();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static TokenAmount usdc(String amount) {
        return TokenAmount.parse(DevChain.usdcAsset(usdc), amount);
    }
}
