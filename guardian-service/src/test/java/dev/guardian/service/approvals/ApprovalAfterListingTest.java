package dev.guardian.service.approvals;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Approval is not a bypass of hard rules: a recipient that lands on the sanctions list between the
 * escalation and the approval makes the approval fail, with the reason, and nothing is signed.
 */
class ApprovalAfterListingTest {
    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    @Test
    void aRecipientListedAfterEscalationIsNeverPaidEvenWhenApproved(@TempDir Path dir) throws Exception {
        DevChain chain = CHAIN.devChain();
        Address usdc = chain.deployTestUsdc();
        Address payee = chain.devAccounts().get(7);
        Path watchlist = dir.resolve("watchlist.txt");
        Files.writeString(watchlist, "0x04DBA1194ee10112fE6C3207C0687DEf0e78baCf\n");
        PersonSpec admin = PersonSpec.person("ada", Role.ADMIN);
        PersonSpec approver = PersonSpec.person("alice", Role.APPROVER);
        AgentSpec agent = AgentSpec.agent("listed-later")
                .perTransactionCap("100")
                .budget("1000", Duration.ofHours(24))
                .allow(payee);

        try (GuardianInstance guardian = GuardianInstance.builder(CHAIN.anvil().rpcUrl(), usdc)
                .agent(agent)
                .person(admin)
                .person(approver)
                .property("guardian.sanctions.sources[0].name", "watchlist")
                .property("guardian.sanctions.sources[0].type", "text")
                .property("guardian.sanctions.sources[0].location", watchlist.toString())
                .property(
                        "guardian.sanctions.sources[0].as-of",
                        LocalDate.now(ZoneOffset.UTC).toString())
                .start()) {
            Address wallet = guardian.walletOf(agent);
            chain.mintUsdc(usdc, wallet, TokenAmount.parse(DevChain.usdcAsset(usdc), "500"));
            chain.setEthBalance(wallet, TokenAmount.parse(Asset.ether(), "1"));
            AgentClient.Response escalated = guardian.client(agent).pay(payee.toString(), "150");
            assertThat(escalated.text("status")).isEqualTo("PENDING_APPROVAL");
            String id = escalated.text("id");

            // The payee is designated; the list is reloaded (an operator's call, as after OFAC's update).
            Files.writeString(watchlist, "0x04DBA1194ee10112fE6C3207C0687DEf0e78baCf\n" + payee.toLowerHex() + "\n");
            AgentClient.Response reload = new AgentClient(guardian.baseUrl(), admin.token())
                    .post("/v1/admin/sanctions/reload", "{}", Optional.empty());
            assertThat(reload.status()).as(reload.raw().body()).isEqualTo(200);

            AgentClient.Response approval = new AgentClient(guardian.baseUrl(), approver.token())
                    .post("/v1/approvals/" + id + "/approve", "{\"comment\":\"invoice checked\"}", Optional.empty());

            assertThat(approval.text("outcome")).isEqualTo("RECHECK_FAILED");
            AgentClient.Response request = guardian.client(agent).request(id);
            assertThat(request.text("status")).isEqualTo("FAILED");
            assertThat(request.text("failure")).contains("sanctions.hit").contains(payee.toString());
            assertThat(request.text("txHash")).isNull();
            assertThat(chain.usdcBalance(usdc, payee)).isEqualTo(TokenAmount.parse(DevChain.usdcAsset(usdc), "0"));
        }
    }
}
