package dev.guardian.service.devmode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.GuardianApplication;
import dev.guardian.service.agents.Relayer;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.testsupport.AgentClient;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The README's first command, minus the build: Guardian started with the {@code dev} profile brings
 * up its own Anvil and embedded PostgreSQL, announces the development KEK it created, and prints a demo
 * agent key with curl lines that work as printed: the first pays the allowlisted merchant and is
 * confirmed, the second is escalated, the third (an OFAC-listed address) is denied; and the relayer it shows
 * is funded.
 */
@ExtendWith(OutputCaptureExtension.class)
class DevelopmentModeTest {

    @Test
    void startsEverythingAndTheBannerCommandsWork(CapturedOutput output, @TempDir Path dir) {
        Path kek = dir.resolve("kek");
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(GuardianApplication.class)
                .run(
                        "--spring.profiles.active=dev",
                        "--server.port=0",
                        "--guardian.dev.anvil-port=0",
                        "--guardian.dev.kek-file=" + kek,
                        "--guardian.identity.initial-admin-token-file=" + dir.resolve("admin-token"),
                        "--spring.main.banner-mode=off")) {
            assertThat(Files.exists(kek)).isTrue();
            assertThat(output.getAll()).contains("DEVELOPMENT MODE created a NEW key-encryption key");

            String banner = output.getOut();
            String apiKey = find(banner, "Demo agent API key \\(shown once\\):\\s+(grd_[A-Za-z0-9_-]+)");
            String merchant = find(banner, "allowlist: (0x[0-9a-fA-F]{40}) \\(demo merchant\\)");
            URI base = URI.create(find(banner, "curl -s -X POST (http://localhost:\\d+)/v1/payments"));
            AgentClient agent = new AgentClient(base, apiKey);

            AgentClient.Response paid = agent.pay(merchant, "12.50", Optional.of("demo-1"));
            assertThat(paid.status()).as(paid.raw().body()).isEqualTo(202);
            agent.awaitStatus(paid.text("id"), Duration.ofSeconds(20), "CONFIRMED");

            assertThat(agent.pay(merchant, "150").text("status")).isEqualTo("PENDING_APPROVAL");
            AgentClient.Response denied = agent.pay("0x04DBA1194ee10112fE6C3207C0687DEf0e78baCf", "1");
            assertThat(denied.status()).isEqualTo(403);
            assertThat(denied.body().get("reasons").findValuesAsString("ruleId"))
                    .contains("sanctions.hit");

            // The relayer that pays for cancelling outstanding authorizations is shown and funded.
            String relayer = find(banner, "Relayer:\\s+(0x[0-9a-fA-F]{40})");
            Address address = context.getBean(Relayer.class).address();
            assertThat(relayer).isEqualTo(address.toString());
            assertThat(context.getBean(ChainAdapter.class).balance(Asset.ether(), address))
                    .isEqualTo(TokenAmount.parse(Asset.ether(), "1"));

            String approverToken = find(banner, "Demo approver token \\(shown once\\): (grd_[A-Za-z0-9_-]+)");
            assertThat(new AgentClient(base, approverToken).get("/v1/approvals").status())
                    .isEqualTo(200);
        }
    }

    private static String find(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        assertThat(matcher.find()).as("banner line matching %s", regex).isTrue();
        return matcher.group(1);
    }
}
