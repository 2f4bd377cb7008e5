package dev.guardian.service.sanctions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.identity.Role;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.PersonSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A Guardian whose configured oracle cannot answer (there is no contract at its address): screening is
 * not current, so a payment that the lists and the policy would allow is refused, and the operator's
 * status says why. Nothing is signed.
 */
class SanctionsOracleDownEndToEndTest {
    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final AgentSpec AGENT = AgentSpec.agent("oracle-down");
    private static final PersonSpec ADMIN = PersonSpec.person("olga", Role.ADMIN);
    private static GuardianInstance guardian;
    private static Address usdc;
    private static Address merchant;
    private static Address wallet;

    @BeforeAll
    static void start() {
        DevChain chain = CHAIN.devChain();
        usdc = chain.deployTestUsdc();
        merchant = chain.devAccounts().get(2);
        Address noContract = chain.devAccounts().get(7);
        AGENT.allow(merchant);
        guardian = GuardianInstance.builder(CHAIN.anvil().rpcUrl(), usdc)
                .agent(AGENT)
                .person(ADMIN)
                .property("guardian.sanctions.oracle.enabled", "true")
                .property("guardian.sanctions.oracle.addresses.31337", noContract.toString())
                .start();
        wallet = guardian.walletOf(AGENT);
        chain.mintUsdc(usdc, wallet, TokenAmount.parse(DevChain.usdcAsset(usdc), "100"));
        chain.setEthBalance(wallet, TokenAmount.parse(Asset.ether(), "1"));
    }

    @AfterAll
    static void stop() {
        guardian.close();
    }

    @Test
    void refusesAPaymentTheListsAllowWhileTheOracleCannotBeAsked() {
        AgentClient.Response refused = guardian.client(AGENT).pay(merchant.toString(), "1");

        assertThat(refused.status()).as(refused.raw().body()).isEqualTo(403);
        assertThat(refused.body().get("reasons")).singleElement().satisfies(reason -> {
            assertThat(reason.get("ruleId").asString()).isEqualTo("sanctions.not-current");
            assertThat(reason.get("verdict").asString()).isEqualTo("DENY");
            assertThat(reason.get("message").asString()).contains("oracle").contains("could not be asked");
        });
        assertThat(CHAIN.devChain().usdcBalance(usdc, merchant))
                .isEqualTo(TokenAmount.parse(DevChain.usdcAsset(usdc), "0"));

        JsonNode status = guardian.client(ADMIN).get("/v1/admin/sanctions").body();
        assertThat(status.get("current").asBoolean()).isFalse();
        assertThat(status.get("oracle").get("lastFailure").asString()).contains("is there an oracle at that address");
        assertThat(status.get("sources").get(0).get("name").asString())
                .as("the shipped list, with nothing configured")
                .isEqualTo("ofac_sdn_evm_addresses_2025-11-19.txt");
    }
}
