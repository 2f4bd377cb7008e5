package dev.guardian.service.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.TxHash;
import dev.guardian.service.audit.AuditKeys;
import dev.guardian.service.audit.AuditLog;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.startup.StartupRefusal;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.TestDatabase;
import dev.guardian.signer.KeyEncryptionKey;
import dev.guardian.signer.KeyVault;
import dev.guardian.signer.SealedKey;
import dev.guardian.verifier.VerificationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.web3j.protocol.core.methods.response.Transaction;

/**
 * Rotating the key-encryption key on one deployment, start by start, as docs/keys.md tells an operator to:
 * a first start with KEK A (configured agents get generated wallet keys, one an imported key; the audit
 * key and the relayer's key are created); a start with the new KEK B in a file and A as {@code guardian.keys.previous-kek-file},
 * which re-seals every key, records it once and pays on Anvil with the same wallets; the same start again,
 * which changes nothing and says so; a start with B alone, which works; and a start with A alone, which is
 * refused. Real embedded PostgreSQL (the application's restricted role, the migrations as the owner), a
 * real Anvil, real HTTP.
 */
@ExtendWith(OutputCaptureExtension.class)
class KeyRotationTest {
    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    @TempDir
    static Path dir;

    private static final AgentSpec PAYER = AgentSpec.agent("payer").perTransactionCap("20");
    private static final AgentSpec SAVER = AgentSpec.agent("saver");
    private static AgentSpec importer;
    private static byte[] importedKey;

    private static TestDatabase database;
    private static Address usdc;
    private static Address merchant;
    private static String kekA;
    private static String kekB;
    private static Path oldKekFile;
    private static Path newKekFile;

    /** What each start saw, in order: the first with A, the rotation, the rotation again, B alone. */
    private static final List<Observed> starts = new ArrayList<>();

    private static Throwable startWithTheOldKekAlone;
    private static String rotationLog;
    private static String everythingLogged;
    private static TokenAmount merchantBefore;
    private static TokenAmount merchantAfter;
    private static Transaction paidOnChain;
    private static boolean paidOnChainSucceeded;

    private record Observed(
            Map<String, Address> wallets,
            Map<String, byte[]> sealedWalletKeys,
            String auditKeyId,
            byte[] sealedAuditKey,
            Address relayer,
            byte[] sealedRelayerKey,
            long resealedEvents,
            VerificationReport verification) {}

    @BeforeAll
    static void rotateStartByStart(CapturedOutput output) throws Exception {
        DevChain chain = CHAIN.devChain();
        usdc = chain.deployTestUsdc();
        merchant = chain.devAccounts().get(1);
        PAYER.allow(merchant);
        importedKey = new byte[32];
        new SecureRandom().nextBytes(importedKey);
        importedKey[0] = 0x01; // far below the curve order, so always a valid key
        Path keyFile = dir.resolve("imported.key");
        Files.writeString(keyFile, "0x" + HexFormat.of().formatHex(importedKey) + "\n");
        importer = AgentSpec.agent("importer").importKeyFrom(keyFile);
        database = TestDatabase.start();
        kekA = GuardianInstance.newKek();
        kekB = GuardianInstance.newKek();
        oldKekFile = writeKekFile("old-kek", kekA);
        newKekFile = writeKekFile("new-kek", kekB);

        try (GuardianInstance guardian = guardian().kek(kekA).start()) {
            starts.add(observe(guardian));
        }

        int before = output.getAll().length();
        try (GuardianInstance guardian = rotating().start()) {
            rotationLog = output.getAll().substring(before);
            starts.add(observe(guardian));
            Address wallet = guardian.walletOf(PAYER);
            chain.mintUsdc(usdc, wallet, TokenAmount.parse(DevChain.usdcAsset(usdc), "50"));
            chain.setEthBalance(wallet, TokenAmount.parse(Asset.ether(), "1"));
            merchantBefore = chain.usdcBalance(usdc, merchant);
            AgentClient payer = guardian.client(PAYER);
            AgentClient.Response paid = payer.pay(merchant.toString(), "5");
            assertThat(paid.status()).as(paid.raw().body()).isEqualTo(202);
            String txHash = payer.awaitStatus(paid.text("id"), Duration.ofSeconds(30), "CONFIRMED")
                    .text("txHash");
            paidOnChainSucceeded = chain.awaitReceipt(TxHash.parse(txHash)).succeeded();
            paidOnChain = CHAIN.web3j()
                    .ethGetTransactionByHash(txHash)
                    .send()
                    .getTransaction()
                    .orElseThrow();
            merchantAfter = chain.usdcBalance(usdc, merchant);
        }

        int again = output.getAll().length();
        try (GuardianInstance guardian = rotating().start()) {
            starts.add(observe(guardian));
            rotationLog += "\n--- again ---\n" + output.getAll().substring(again);
        }

        try (GuardianInstance guardian = guardian().kek(kekB).start()) {
            starts.add(observe(guardian));
        }

        startWithTheOldKekAlone =
                catchThrowable(() -> guardian().kek(kekA).start().close());
        everythingLogged = output.getAll();
    }

    @AfterAll
    static void stop() throws IOException {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void reSealsEveryStoredKeyKeepingTheWalletAddressesAndTheAuditKey() {
        Observed first = starts.get(0);
        Observed rotated = starts.get(1);

        assertThat(rotated.wallets()).isEqualTo(first.wallets()).hasSize(3);
        assertThat(rotated.auditKeyId()).isEqualTo(first.auditKeyId());
        for (String wallet : first.sealedWalletKeys().keySet()) {
            assertThat(rotated.sealedWalletKeys().get(wallet))
                    .as("wallet %s is sealed afresh", wallet)
                    .isNotEqualTo(first.sealedWalletKeys().get(wallet));
        }
        assertThat(rotated.sealedAuditKey()).isNotEqualTo(first.sealedAuditKey());
        assertThat(rotated.relayer()).isEqualTo(first.relayer());
        assertThat(rotated.sealedRelayerKey()).isNotEqualTo(first.sealedRelayerKey());
        assertThat(opens(kekB, rotated.relayer(), rotated.sealedRelayerKey())).isTrue();
        assertThat(opens(kekA, rotated.relayer(), rotated.sealedRelayerKey())).isFalse();
        // Sealed under B now: B opens every key, A none.
        rotated.sealedWalletKeys().forEach((wallet, ciphertext) -> {
            assertThat(opensWith(kekB, wallet, ciphertext))
                    .as("B opens %s", wallet)
                    .isTrue();
            assertThat(opensWith(kekA, wallet, ciphertext))
                    .as("A opens %s", wallet)
                    .isFalse();
        });
    }

    @Test
    void aPaymentAfterTheRotationIsSignedByTheSameWalletAndConfirmsOnTheChain() {
        assertThat(paidOnChainSucceeded).isTrue();
        assertThat(Address.parse(paidOnChain.getFrom()))
                .isEqualTo(starts.get(0).wallets().get(PAYER.id()));
        assertThat(merchantAfter.units().subtract(merchantBefore.units()))
                .isEqualTo(TokenAmount.parse(DevChain.usdcAsset(usdc), "5").units());
    }

    @Test
    void recordsTheReSealingOnceAndTheAuditLogStillVerifiesWithTheSameKey() {
        assertThat(starts.get(0).resealedEvents()).isZero();
        assertThat(starts.get(1).resealedEvents()).isEqualTo(1);
        for (Observed start : starts) {
            assertThat(start.verification().ok())
                    .as(start.verification().summary())
                    .isTrue();
            assertThat(start.auditKeyId()).isEqualTo(starts.get(0).auditKeyId());
        }
        String payload = database.jdbc()
                .sql("select payload::text from audit_log where event = 'keys-resealed'")
                .query(String.class)
                .single();
        assertThat(payload)
                .contains("\"walletKeys\": 3")
                .contains("\"auditKeys\": 1")
                .contains("\"relayerKeys\": 1");
        assertThat(database.jdbc()
                        .sql("select actor from audit_log where event = 'keys-resealed'")
                        .query(String.class)
                        .single())
                .isEqualTo("configuration");
    }

    @Test
    void warnsToRemoveAndDestroyThePreviousKeyAndSaysSoWhenThereIsNothingLeftToReSeal() {
        // distinct(): once several contexts have started in one JVM, the console may print a line twice.
        assertThat(rotationLog
                        .lines()
                        .filter(l -> l.contains(" WARN ") && l.contains("re-sealed the stored keys"))
                        .distinct())
                .singleElement()
                .asString()
                .contains("wallet keys: 3 of 3, audit keys: 1 of 1, relayer keys: 1 of 1")
                .contains("remove guardian.keys.previous-kek-file from the configuration and destroy the previous key");
        assertThat(rotationLog
                        .lines()
                        .filter(l -> l.contains(" WARN ") && l.contains("nothing to re-seal"))
                        .distinct())
                .singleElement()
                .asString()
                .contains("guardian.keys.previous-kek-file is set, but every stored key (wallet keys: 3, audit keys: 1,"
                        + " relayer keys: 1) already opens with the current key-encryption key");
    }

    @Test
    void aSecondStartWithBothKeysChangesNothing() {
        Observed rotated = starts.get(1);
        Observed again = starts.get(2);

        assertThat(again.resealedEvents()).isEqualTo(1);
        assertThat(again.sealedAuditKey()).isEqualTo(rotated.sealedAuditKey());
        assertThat(again.sealedRelayerKey()).isEqualTo(rotated.sealedRelayerKey());
        for (String wallet : rotated.sealedWalletKeys().keySet()) {
            assertThat(again.sealedWalletKeys().get(wallet))
                    .as("wallet %s", wallet)
                    .isEqualTo(rotated.sealedWalletKeys().get(wallet));
        }
    }

    @Test
    void aStartWithTheNewKeyAloneWorksWithTheSameWallets() {
        Observed newAlone = starts.get(3);

        assertThat(newAlone.wallets()).isEqualTo(starts.get(0).wallets());
        assertThat(newAlone.resealedEvents()).isEqualTo(1);
        assertThat(newAlone.verification().ok()).isTrue();
    }

    @Test
    void aStartWithTheOldKeyAloneIsRefused() {
        StartupRefusal refusal = refusalIn(startWithTheOldKekAlone);

        assertThat(refusal.getMessage()).contains("cannot be opened with this instance's key-encryption key");
        assertThat(refusal.setting()).contains("guardian.keys.kek");
    }

    @Test
    void aKeyThatOpensWithNeitherKeyRefusesTheStartAndNothingIsReSealed() {
        JdbcClient owner = database.ownerJdbc();
        Map<String, byte[]> before = sealedWalletKeys(owner);
        byte[] auditBefore = sealedAuditKey(owner);
        String saverWallet = walletIdOf(owner, SAVER);
        // As if one row had been restored from a backup taken before the rotation: still sealed under A.
        owner.sql("update wallets set sealed_key = :sealed where id = :id")
                .param("sealed", starts.get(0).sealedWalletKeys().get(saverWallet))
                .param("id", saverWallet)
                .update();
        try {
            Throwable refused = catchThrowable(() -> guardian()
                    .kek(GuardianInstance.newKek())
                    .property("guardian.keys.previous-kek", kekB)
                    .start()
                    .close());

            StartupRefusal refusal = refusalIn(refused);
            assertThat(refusal.setting()).isEqualTo("guardian.keys.previous-kek");
            assertThat(refusal.getMessage())
                    .contains("opens with neither the key-encryption key nor the previous one")
                    .contains("wallet " + saverWallet)
                    .contains("no key was re-sealed");
            // The other wallets opened with B and would have been re-sealed: the refusal rolled them back too.
            Map<String, byte[]> after = sealedWalletKeys(owner);
            for (String wallet : before.keySet()) {
                if (!wallet.equals(saverWallet)) {
                    assertThat(after.get(wallet)).as("wallet %s", wallet).isEqualTo(before.get(wallet));
                }
            }
            assertThat(sealedAuditKey(owner)).isEqualTo(auditBefore);
            assertThat(resealedEvents(owner)).isEqualTo(1);
        } finally {
            owner.sql("update wallets set sealed_key = :sealed where id = :id")
                    .param("sealed", before.get(saverWallet))
                    .param("id", saverWallet)
                    .update();
        }
    }

    @Test
    void neitherKeyEncryptionKeyNorAnyWalletKeyAppearsInTheLogs() {
        List<String> secrets = new ArrayList<>();
        for (String kek : List.of(kekA, kekB)) {
            secrets.add(kek);
            secrets.add(kek.replace('+', '-').replace('/', '_').replace("=", ""));
            secrets.addAll(renderings(Base64.getDecoder().decode(kek)));
        }
        secrets.addAll(renderings(importedKey));
        for (Observed start : starts) {
            for (byte[] sealed : start.sealedWalletKeys().values()) {
                secrets.addAll(renderings(sealed));
            }
            secrets.addAll(renderings(start.sealedAuditKey()));
            secrets.addAll(renderings(start.sealedRelayerKey()));
        }

        assertThat(everythingLogged).contains("re-sealed the stored keys");
        for (String secret : secrets) {
            assertThat(everythingLogged).as("logs").doesNotContainIgnoringCase(secret);
        }
    }

    private static GuardianInstance.Builder guardian() {
        return GuardianInstance.builder(CHAIN.anvil().rpcUrl(), usdc)
                .database(database)
                .agent(PAYER)
                .agent(SAVER)
                .agent(importer);
    }

    /** The rotation as docs/keys.md configures it: both keys in files. */
    private static GuardianInstance.Builder rotating() {
        return guardian()
                .kek(" ")
                .property("guardian.keys.kek-file", newKekFile)
                .property("guardian.keys.previous-kek-file", oldKekFile);
    }

    private static Observed observe(GuardianInstance guardian) {
        Map<String, Address> wallets = new LinkedHashMap<>();
        for (AgentSpec agent : List.of(PAYER, SAVER, importer)) {
            wallets.put(agent.id(), guardian.walletOf(agent));
        }
        JdbcClient jdbc = database.jdbc();
        return new Observed(
                wallets,
                sealedWalletKeys(jdbc),
                guardian.bean(AuditKeys.class).activeKeyId(),
                sealedAuditKey(jdbc),
                guardian.relayer(),
                sealedRelayerKey(jdbc),
                resealedEvents(jdbc),
                guardian.bean(AuditLog.class).verify());
    }

    private static Map<String, byte[]> sealedWalletKeys(JdbcClient jdbc) {
        Map<String, byte[]> sealed = new LinkedHashMap<>();
        jdbc.sql("select id, sealed_key from wallets order by id").query(rs -> {
            sealed.put(rs.getString("id"), rs.getBytes("sealed_key"));
        });
        return sealed;
    }

    private static byte[] sealedAuditKey(JdbcClient jdbc) {
        return jdbc.sql("select sealed_key from audit_keys").query(byte[].class).single();
    }

    private static byte[] sealedRelayerKey(JdbcClient jdbc) {
        return jdbc.sql("select sealed_key from relayer_accounts")
                .query(byte[].class)
                .single();
    }

    private static long resealedEvents(JdbcClient jdbc) {
        return jdbc.sql("select count(*) from audit_log where event = 'keys-resealed'")
                .query(Long.class)
                .single();
    }

    private static String walletIdOf(JdbcClient jdbc, AgentSpec agent) {
        return jdbc.sql("select id from wallets where agent_id = :agent")
                .param("agent", agent.id())
                .query(String.class)
                .single();
    }

    /** Whether {@code kek} opens the key of {@code wallet} stored as {@code sealed}. */
    private static boolean opensWith(String kek, String wallet, byte[] sealed) {
        Address address = database.jdbc()
                .sql("select address from wallets where id = :id")
                .param("id", wallet)
                .query((rs, n) -> Address.of(rs.getBytes("address")))
                .single();
        return opens(kek, address, sealed);
    }

    private static boolean opens(String kek, Address address, byte[] sealed) {
        try (KeyEncryptionKey key = KeyEncryptionKey.fromBase64(kek)) {
            return new KeyVault(key).opens(new SealedKey(address, sealed));
        }
    }

    private static StartupRefusal refusalIn(Throwable thrown) {
        assertThat(thrown).as("the start was refused").isNotNull();
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof StartupRefusal refusal) {
                return refusal;
            }
        }
        throw new AssertionError("no StartupRefusal in " + thrown, thrown);
    }

    private static Path writeKekFile(String name, String base64) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, base64 + "\n");
        return file;
    }

    private static List<String> renderings(byte[] secret) {
        String hex = HexFormat.of().formatHex(secret);
        return List.of(
                hex,
                hex.toUpperCase(Locale.ROOT),
                Base64.getEncoder().encodeToString(secret),
                Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }
}
