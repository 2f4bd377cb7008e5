package dev.guardian.service.treasury;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.identity.Role;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.PersonSpec;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Ids the treasury API accepts are ids the domain accepts: an agent or wallet id the domain refuses
 * is a field error (problem+json pointing at the id), never a 500.
 */
class TreasuryIdValidationTest {
    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final PersonSpec TREASURER = PersonSpec.person("ids-treasurer", Role.TREASURY);

    private static GuardianInstance guardian;
    private static AgentClient treasury;

    @BeforeAll
    static void start() {
        DevChain chain = CHAIN.devChain();
        Address usdc = chain.deployTestUsdc();
        guardian = GuardianInstance.builder(CHAIN.anvil().rpcUrl(), usdc)
                .person(TREASURER)
                .start();
        treasury = guardian.client(TREASURER);
    }

    @AfterAll
    static void stop() {
        guardian.close();
    }

    @Test
    void anAgentIdWithADotIsAFieldErrorNotAServerError() {
        AgentClient.Response refused =
                treasury.post("/v1/agents", "{\"id\": \"ops.bot\", \"policy\": {}}", Optional.empty());

        assertThat(refused.status()).as(refused.raw().body()).isEqualTo(400);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.body().get("errors").get(0).get("pointer").asString())
                .isEqualTo("/id");
    }

    @Test
    void aWalletIdWithAnUnderscoreIsReportedAtWalletIdNotAtPrivateKey() {
        assertThat(treasury.post("/v1/agents", "{\"id\": \"ids-bot\", \"policy\": {}}", Optional.empty())
                        .status())
                .isEqualTo(201);

        AgentClient.Response refused =
                treasury.post("/v1/agents/ids-bot/wallets", "{\"walletId\": \"main_wallet\"}", Optional.empty());

        assertThat(refused.status()).as(refused.raw().body()).isEqualTo(400);
        assertThat(refused.body().get("errors").get(0).get("pointer").asString())
                .as(refused.raw().body())
                .isEqualTo("/walletId");
    }
}
