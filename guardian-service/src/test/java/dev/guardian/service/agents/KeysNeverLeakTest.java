package dev.guardian.service.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.signer.KeyEncryptionKey;
import dev.guardian.signer.KeyVault;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A wallet key imported into Guardian, and the key-encryption key protecting it, never show up again:
 * not in the logs, not in any API response, not in any database row (the key is stored only sealed).
 * Exercises the whole path (import, payment signed and confirmed, refusal, reads) and then searches
 * everything Guardian wrote for the secrets in every usual encoding.
 */
@ExtendWith(OutputCaptureExtension.class)
class KeysNeverLeakTest {
    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    @Test
    void importedKeyAndKekNeverAppearInLogsResponsesOrDatabase(CapturedOutput output, @TempDir Path dir)
            throws Exception {
        byte[] privateKey = new byte[32];
        new SecureRandom().nextBytes(privateKey);
        privateKey[0] = 0x01; // far below the curve order, so always a valid key
        String keyHex = HexFormat.of().formatHex(privateKey);
        Path keyFile = dir.resolve("wallet.key");
        Files.writeString(keyFile, "0x" + keyHex + "\n");
        Address expectedAddress;
        try (KeyEncryptionKey scratch = KeyEncryptionKey.generate()) {
            expectedAddress =
                    new KeyVault(scratch).importKey(privateKey.clone()).address();
        }
        String kek = GuardianInstance.newKek();

        DevChain chain = CHAIN.devChain();
        Address usdc = chain.deployTestUsdc();
        Address merchant = chain.devAccounts().get(1);
        AgentSpec agent = AgentSpec.agent("leak-check").allow(merchant).importKeyFrom(keyFile);
        List<String> responses = new ArrayList<>();
        List<String> rows;
        try (GuardianInstance guardian = GuardianInstance.builder(CHAIN.anvil().rpcUrl(), usdc)
                .kek(kek)
                .agent(agent)
                .start()) {
            AgentClient client = guardian.client(agent);
            AgentClient.Response wallet = client.wallet();
            responses.add(wallet.raw().body());
            assertThat(wallet.text("address")).isEqualTo(expectedAddress.toString());

            chain.mintUsdc(usdc, expectedAddress, TokenAmount.parse(DevChain.usdcAsset(usdc), "50"));
            chain.setEthBalance(expectedAddress, TokenAmount.parse(Asset.ether(), "1"));
            AgentClient.Response paid = client.pay(merchant.toString(), "5");
            responses.add(paid.raw().body());
            responses.add(client.awaitStatus(paid.text("id"), Duration.ofSeconds(20), "CONFIRMED")
                    .raw()
                    .body());
            responses.add(client.pay("0x04DBA1194ee10112fE6C3207C0687DEf0e78baCf", "1")
                    .raw()
                    .body());
            responses.add(client.budget().raw().body());
            responses.add(
                    client.post("/v1/payments", "{\"recipient\":\"" + keyHex + "\",\"amount\":\"1\"}", Optional.empty())
                            .raw()
                            .body());

            rows = guardian.bean(JdbcClient.class).sql("""
                            select row_to_json(t)::text from (
                                select a.*, c.subject_id, encode(c.token_sha256, 'hex') as h from agents a
                                join credentials c on c.subject_kind = 'AGENT' and c.subject_id = a.id) t
                            union all select row_to_json(t)::text from policy_versions t
                            union all select row_to_json(t)::text from (
                                select id, agent_id, encode(address, 'hex') as a, encode(sealed_key, 'hex') as k from wallets) t
                            union all select row_to_json(t)::text from (
                                select r.*, encode(r.raw_tx, 'hex') as raw_hex from requests r) t
                            union all select row_to_json(t)::text from audit_log t
                            """).query(String.class).list();
        }
        assertThat(rows).isNotEmpty();

        // The bad-recipient response above echoes nothing of the body: the key was sent as a recipient on purpose.
        List<String> secrets = List.of(
                keyHex,
                keyHex.toUpperCase(Locale.ROOT),
                Base64.getEncoder().encodeToString(privateKey),
                Base64.getUrlEncoder().withoutPadding().encodeToString(privateKey),
                kek,
                kek.replace('+', '-').replace('/', '_').replace("=", ""),
                HexFormat.of().formatHex(Base64.getDecoder().decode(kek)));
        for (String secret : secrets) {
            assertThat(output.getAll()).as("logs").doesNotContainIgnoringCase(secret);
            assertThat(String.join("\n", responses)).as("API responses").doesNotContainIgnoringCase(secret);
            assertThat(String.join("\n", rows)).as("database rows").doesNotContainIgnoringCase(secret);
        }
    }
}
