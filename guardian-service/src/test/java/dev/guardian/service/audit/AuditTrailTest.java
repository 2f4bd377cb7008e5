package dev.guardian.service.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.Hex;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.identity.Role;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.PersonSpec;
import dev.guardian.verifier.AuditPublicKey;
import dev.guardian.verifier.AuditRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionDecoder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The auditor's evidence chain on a real Guardian (embedded database, as in the quick start) against a
 * real Anvil, over real HTTP: every step of a request is a record, only auditors read the log, the
 * filters and pages find what they should, an export verifies offline with the published key (and a
 * tampered one does not), the live verification agrees, no secret is ever recorded, and nothing is
 * broadcast before the decision that allowed it is committed.
 */
class AuditTrailTest {
    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String SANCTIONED = "0x04DBA1194ee10112fE6C3207C0687DEf0e78baCf";

    private static final PersonSpec AUDITOR = PersonSpec.person("audrey", Role.AUDITOR);
    private static final PersonSpec APPROVER = PersonSpec.person("apollo", Role.APPROVER);

    private static Address merchant;
    private static AgentSpec payer;
    private static AgentSpec other;
    private static String kek;
    private static RpcWatcher rpc;
    private static GuardianInstance guardian;
    private static AgentClient auditor;

    private static String paidId;
    private static String paidTxHash;
    private static String escalatedId;
    private static String deniedId;
    private static String otherId;

    @BeforeAll
    static void payEscalateAndDenyThroughGuardian() throws IOException {
        DevChain chain = CHAIN.devChain();
        Address usdc = chain.deployTestUsdc();
        merchant = chain.devAccounts().get(2);
        payer = AgentSpec.agent("payer")
                .perTransactionCap("100")
                .budget("500", Duration.ofHours(24))
                .allow(merchant);
        other = AgentSpec.agent("other")
                .perTransactionCap("100")
                .budget("500", Duration.ofHours(24))
                .allow(merchant);
        kek = GuardianInstance.newKek();
        rpc = RpcWatcher.forwardingTo(CHAIN.anvil().rpcUrl());
        guardian = GuardianInstance.builder(rpc.url(), usdc)
                .kek(kek)
                .agent(payer)
                .agent(other)
                .person(AUDITOR)
                .person(APPROVER)
                .property("guardian.audit.checkpoint-every-records", 4)
                .start();
        rpc.watch(guardian.bean(JdbcClient.class));
        auditor = guardian.client(AUDITOR);
        for (AgentSpec agent : List.of(payer, other)) {
            Address wallet = Address.parse(guardian.client(agent).wallet().text("address"));
            chain.mintUsdc(usdc, wallet, TokenAmount.parse(DevChain.usdcAsset(usdc), "100"));
            chain.setEthBalance(wallet, TokenAmount.parse(Asset.ether(), "1"));
        }

        AgentClient.Response paid = guardian.client(payer).pay(merchant.toString(), "5");
        assertThat(paid.status()).as(paid.raw().body()).isEqualTo(202);
        paidId = paid.text("id");
        paidTxHash = guardian.client(payer)
                .awaitStatus(paidId, Duration.ofSeconds(20), "CONFIRMED")
                .text("txHash");
        AgentClient.Response escalated =
                guardian.client(payer).pay(chain.devAccounts().get(5).toString(), "1");
        assertThat(escalated.text("status")).as(escalated.raw().body()).isEqualTo("PENDING_APPROVAL");
        escalatedId = escalated.text("id");
        AgentClient.Response denied = guardian.client(payer).pay(SANCTIONED, "1");
        assertThat(denied.status()).as(denied.raw().body()).isEqualTo(403);
        deniedId = denied.text("requestId");
        AgentClient.Response otherPaid = guardian.client(other).pay(merchant.toString(), "7");
        otherId = otherPaid.text("id");
        guardian.client(other).awaitStatus(otherId, Duration.ofSeconds(20), "CONFIRMED");
    }

    @AfterAll
    static void stop() {
        if (guardian != null) {
            guardian.close();
        }
        if (rpc != null) {
            rpc.close();
        }
    }

    @Test
    void onlyAuditorsReadTheLog() throws Exception {
        for (String path : List.of(
                "/v1/audit/records",
                "/v1/audit/requests/" + paidId,
                "/v1/audit/public-keys",
                "/v1/audit/verification",
                "/v1/audit/export")) {
            assertThat(status(path, AUDITOR.token())).as(path).isEqualTo(200);
            assertThat(status(path, payer.apiKey())).as("agent on " + path).isEqualTo(403);
            assertThat(status(path, APPROVER.token())).as("approver on " + path).isEqualTo(403);
            assertThat(status(path, null)).as("nobody on " + path).isEqualTo(401);
        }
    }

    private static int status(String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder request =
                HttpRequest.newBuilder(guardian.baseUrl().resolve(path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void aPaymentsStoryIsEveryStepInOrderWithWhoDidIt() {
        List<JsonNode> story =
                records(auditor.get("/v1/audit/requests/" + paidId).body().get("records"));

        assertThat(story)
                .extracting(r -> r.get("event").asString())
                .containsExactly(
                        "request-received", "simulation", "screening", "decision", "signed", "submitted", "confirmed");
        assertThat(story.get(0).get("actor").asString()).isEqualTo("agent:payer");
        assertThat(story.get(0).get("payload").get("transaction").get("to").asString())
                .isNotBlank();
        assertThat(story.get(2).get("payload").get("versions").size()).isPositive();
        JsonNode decision = story.get(3).get("payload");
        assertThat(decision.get("verdict").asString()).isEqualTo("ALLOW");
        assertThat(decision.get("policyVersion").asString()).isNotBlank();
        assertThat(decision.get("screeningVersion").asString()).isNotBlank();
        assertThat(story.get(4).get("payload").get("nonce").asLong()).isNotNegative();
        assertThat(story.get(5).get("payload").get("txHash").asString()).isEqualTo(paidTxHash);
        JsonNode confirmed = story.get(6).get("payload");
        assertThat(confirmed.get("status").asString()).isEqualTo("success");
        assertThat(confirmed.get("block").asLong()).isPositive();
        assertThat(confirmed.get("gasUsed").asLong()).isPositive();
        assertThat(story).extracting(r -> r.get("seq").asLong()).isSorted();
        assertThat(auditor.get("/v1/audit/requests/00000000-0000-0000-0000-000000000000")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void aRefusalRecordsTheScreeningHitAndEveryRuleThatFired() {
        List<JsonNode> story =
                records(auditor.get("/v1/audit/requests/" + deniedId).body().get("records"));

        JsonNode screening = story.stream()
                .filter(r -> r.get("event").asString().equals("screening"))
                .findFirst()
                .orElseThrow();
        assertThat(screening.get("payload").get("hits").toString()).containsIgnoringCase(SANCTIONED);
        JsonNode decision = story.stream()
                .filter(r -> r.get("event").asString().equals("decision"))
                .findFirst()
                .orElseThrow();
        assertThat(decision.get("payload").get("verdict").asString()).isEqualTo("DENY");
        assertThat(StreamSupport.stream(decision.get("payload").get("reasons").spliterator(), false)
                        .map(r -> r.get("ruleId").asString()))
                .contains("sanctions.hit");
    }

    @Test
    void filtersByAgentWalletVerdictRuleTransactionEventAndTime() {
        assertThat(requestIds("agent=other")).containsOnly(otherId);
        assertThat(events("agent=other")).contains("agent-created", "decision", "confirmed");
        assertThat(requestIds("verdict=DENY")).containsOnly(deniedId);
        assertThat(requestIds("verdict=ESCALATE")).containsOnly(escalatedId);
        assertThat(requestIds("rule=sanctions.hit")).containsOnly(deniedId);
        assertThat(requestIds("txHash=" + paidTxHash)).containsOnly(paidId);
        assertThat(records(search("txHash=" + paidTxHash).get("records"))).hasSize(7);
        String payerWallet = guardian.client(payer).wallet().text("address");
        assertThat(requestIds("wallet=" + payerWallet.toLowerCase(Locale.ROOT)))
                .containsOnly(paidId, escalatedId, deniedId);
        assertThat(events("event=decision")).containsOnly("decision").hasSize(4);
        assertThat(records(search("from=2999-01-01T00:00:00Z").get("records"))).isEmpty();
        assertThat(records(search("to=2000-01-01T00:00:00Z").get("records"))).isEmpty();
        assertThat(records(
                        search("from=2000-01-01T00:00:00Z&requestId=" + paidId).get("records")))
                .hasSize(7);
    }

    @Test
    void refusesMalformedFiltersAsValidationProblems() {
        for (String query : List.of(
                "wallet=0x12",
                "verdict=MAYBE",
                "from=yesterday",
                "limit=0",
                "limit=1001",
                "txHash=0x1",
                "agent=Not%20An%20Id",
                "rule=%3Bdrop",
                "requestId=42")) {
            AgentClient.Response answer = auditor.get("/v1/audit/records?" + query);
            assertThat(answer.status()).as(query).isEqualTo(400);
            assertThat(answer.text("type")).as(query).endsWith("/validation-failed");
        }
    }

    @Test
    void pagesThroughTheWholeLogWithoutGapsOrRepeats() {
        List<Long> paged = new ArrayList<>();
        long after = 0;
        while (true) {
            JsonNode page = search("limit=3&after=" + after);
            records(page.get("records")).forEach(r -> paged.add(r.get("seq").asLong()));
            if (page.get("nextAfter") == null || page.get("nextAfter").isNull()) {
                break;
            }
            after = page.get("nextAfter").asLong();
        }
        List<Long> all = records(search("limit=1000").get("records")).stream()
                .map(r -> r.get("seq").asLong())
                .toList();

        assertThat(all).startsWith(paged.toArray(Long[]::new));
        for (int i = 0; i < paged.size(); i++) {
            assertThat(paged.get(i)).isEqualTo(i + 1L);
        }
    }

    @Test
    void aJsonLinesExportVerifiesOfflineWithThePublishedKeyAndATamperedOneDoesNot(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("audit-public-key.pem"), publishedPem());
        String export = download("/v1/audit/export");
        Path file = Files.writeString(dir.resolve("export.jsonl"), export);

        CommandResult verified = verifyAudit(file, key);

        assertThat(verified.exitCode()).as(verified.output()).isZero();
        assertThat(verified.output()).startsWith("OK: ").contains("which covers every record before it");
        List<String> lines = new ArrayList<>(export.lines().toList());
        int decision = indexOf(lines, "\"event\":\"decision\"");
        lines.set(decision, lines.get(decision).replace("\"verdict\":\"ALLOW\"", "\"verdict\":\"DENY\""));
        Path tampered = Files.write(dir.resolve("tampered.jsonl"), lines);
        long seq = AuditRecord.fromLine(export.lines().toList().get(decision)).seq();

        CommandResult refused = verifyAudit(tampered, key);

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.output())
                .startsWith("FAILED at seq " + seq + ": record " + seq + " does not match its hash");
    }

    @Test
    void aCsvExportHoldsTheSameRecordsAndVerifiesToo(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("audit-public-key.pem"), publishedPem());
        String csv = download("/v1/audit/export?format=csv");
        Path file = Files.writeString(dir.resolve("export.csv"), csv);

        CommandResult verified = verifyAudit(file, key);

        assertThat(csv.lines().findFirst()).contains("seq,recordedAt,requestId,event,actor,prevHash,hash,payload");
        assertThat(verified.exitCode()).as(verified.output()).isZero();
    }

    @Test
    void anExportOfAnExplicitRangeIsASliceThatVerifiesAsOne(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("audit-public-key.pem"), publishedPem());
        Path file = Files.writeString(dir.resolve("slice.jsonl"), download("/v1/audit/export?fromSeq=3&toSeq=9"));

        assertThat(verifyAudit(file, key).output()).startsWith("FAILED at seq 1: record 1 is missing");
        CommandResult slice = verifyAudit(file, key, "--slice");
        assertThat(slice.exitCode()).as(slice.output()).isZero();
        assertThat(slice.output()).startsWith("OK: 7 records, seq 3 to 9");
        assertThat(auditor.get("/v1/audit/export?fromSeq=5&toSeq=4").status()).isEqualTo(400);
        assertThat(auditor.get("/v1/audit/export?fromSeq=1000000").status()).isEqualTo(400);
        assertThat(auditor.get("/v1/audit/export?fromSeq=0").status()).isEqualTo(400);
        assertThat(auditor.get("/v1/audit/export?format=xml").status()).isEqualTo(400);
    }

    @Test
    void theLiveVerificationRunsTheSameChecksAndSaysOk() {
        JsonNode verification = auditor.get("/v1/audit/verification").body();

        assertThat(verification.get("ok").asBoolean())
                .as(verification.toString())
                .isTrue();
        assertThat(verification.get("firstSeq").asLong()).isEqualTo(1);
        assertThat(verification.get("checkpoints").asInt()).isPositive();
        assertThat(verification.get("summary").asString()).startsWith("OK: ");
    }

    @Test
    void publishesOneEd25519KeyWhoseIdSignsTheCheckpoints() {
        JsonNode keys = auditor.get("/v1/audit/public-keys").body().get("keys");

        assertThat(keys.size()).isEqualTo(1);
        AuditPublicKey key =
                AuditPublicKey.fromPem(keys.get(0).get("publicKeyPem").asString());
        assertThat(keys.get(0).get("keyId").asString()).isEqualTo(key.keyId());
        assertThat(keys.get(0).get("active").asBoolean()).isTrue();
        List<JsonNode> checkpoints = records(search("event=checkpoint").get("records"));
        assertThat(checkpoints)
                .isNotEmpty()
                .allSatisfy(c ->
                        assertThat(c.get("payload").get("keyId").asString()).isEqualTo(key.keyId()));
    }

    @Test
    void recordsConfigurationChangesWithoutSecrets() {
        List<JsonNode> agents = records(search("event=agent-created").get("records"));
        List<JsonNode> wallets = records(search("event=wallet-created").get("records"));
        List<JsonNode> policies = records(search("event=policy-activated").get("records"));
        List<JsonNode> people = records(search("event=person-created").get("records"));
        List<JsonNode> key = records(search("event=audit-key-created").get("records"));

        assertThat(agents)
                .extracting(r -> r.get("payload").get("agent").asString())
                .containsExactlyInAnyOrder("payer", "other");
        assertThat(wallets)
                .extracting(r -> r.get("payload").get("agent").asString())
                .containsExactlyInAnyOrder("payer", "other");
        assertThat(policies)
                .extracting(r -> r.get("payload").get("agent").asString())
                .containsExactlyInAnyOrder("payer", "other");
        for (List<JsonNode> records : List.of(agents, wallets, policies, people)) {
            assertThat(records)
                    .allSatisfy(r -> assertThat(r.get("actor").asString()).isEqualTo("configuration"));
        }
        assertThat(people.toString()).contains("audrey").contains("AUDITOR").contains("apollo");
        assertThat(key).hasSize(1);
        assertThat(key.get(0).get("payload").get("publicKeyPem").asString()).isEqualTo(publishedPem());
    }

    @Test
    void noSecretEverAppearsInAnyRecord() throws Exception {
        String everything = download("/v1/audit/export");
        byte[] sealedAuditKey = guardian.bean(JdbcClient.class)
                .sql("select sealed_key from audit_keys")
                .query(byte[].class)
                .single();
        byte[] kekBytes = Base64.getDecoder().decode(kek);
        List<String> secrets =
                new ArrayList<>(List.of(payer.apiKey(), other.apiKey(), AUDITOR.token(), APPROVER.token(), kek));
        for (byte[] secret : List.of(kekBytes, sealedAuditKey)) {
            secrets.add(HexFormat.of().formatHex(secret));
            secrets.add(Base64.getEncoder().encodeToString(secret));
            secrets.add(Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
        }

        assertThat(everything)
                .contains(guardian.client(payer).wallet().text("address")); // the search does see the records
        for (String secret : secrets) {
            assertThat(everything).doesNotContainIgnoringCase(secret);
        }
    }

    @Test
    void nothingIsBroadcastBeforeTheDecisionThatAllowsItIsCommitted() {
        assertThat(rpc.broadcasts())
                .as("signed transactions sent to the chain")
                .hasSize(2)
                .allSatisfy(seen -> assertThat(seen.decisionCommitted())
                        .as("an ALLOW decision for %s was committed when it was broadcast", seen.data())
                        .isTrue());
    }

    @Test
    void theApplicationRunsAsADatabaseRoleThatCannotRewriteTheLog() {
        JdbcClient app = guardian.bean(JdbcClient.class);

        assertThat(app.sql("select current_user").query(String.class).single()).isEqualTo("guardian_service");
        assertThatThrownBy(() -> app.sql("delete from audit_log").update())
                .rootCause()
                .hasMessageContaining("permission denied");
    }

    private static JsonNode search(String query) {
        AgentClient.Response answer = auditor.get("/v1/audit/records?" + query);
        assertThat(answer.status()).as(query + ": " + answer.raw().body()).isEqualTo(200);
        return answer.body();
    }

    private static Set<String> requestIds(String query) {
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode record : records(search(query + "&limit=1000").get("records"))) {
            if (!record.get("requestId").isNull()) {
                ids.add(record.get("requestId").asString());
            }
        }
        return ids;
    }

    private static List<String> events(String query) {
        return records(search(query + "&limit=1000").get("records")).stream()
                .map(r -> r.get("event").asString())
                .toList();
    }

    private static List<JsonNode> records(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }

    private static String publishedPem() {
        return auditor.get("/v1/audit/public-keys")
                .body()
                .get("keys")
                .get(0)
                .get("publicKeyPem")
                .asString();
    }

    private static String download(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(guardian.baseUrl().resolve(path))
                        .header("Authorization", "Bearer " + AUDITOR.token())
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body();
    }

    private static int indexOf(List<String> lines, String fragment) {
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).contains(fragment)) {
                return i;
            }
        }
        throw new AssertionError("no line contains " + fragment);
    }

    private record CommandResult(int exitCode, String output) {}

    /** Runs the offline verifier's command line in a separate JVM, as an auditor would, on the files. */
    private static CommandResult verifyAudit(Path export, Path key, String... options)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "dev.guardian.verifier.VerifyAudit"));
        command.addAll(List.of(options));
        command.add(export.toString());
        command.add(key.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new CommandResult(process.waitFor(), output);
    }

    /**
     * Stands between Guardian and Anvil, and at every {@code eth_sendRawTransaction} asks the database,
     * on a connection of its own (so only committed rows are visible), whether an ALLOW decision for
     * exactly that call is there.
     */
    private static final class RpcWatcher implements AutoCloseable {
        record Broadcast(String data, boolean decisionCommitted) {}

        private final HttpServer server;
        private final List<Broadcast> broadcasts = new CopyOnWriteArrayList<>();
        private volatile JdbcClient database;

        private RpcWatcher(HttpServer server) {
            this.server = server;
        }

        static RpcWatcher forwardingTo(URI target) throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            RpcWatcher watcher = new RpcWatcher(server);
            server.createContext("/", exchange -> {
                byte[] body = exchange.getRequestBody().readAllBytes();
                watcher.inspect(body);
                try {
                    HttpResponse<byte[]> answer = HTTP.send(
                            HttpRequest.newBuilder(target)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
                    exchange.getResponseHeaders().add("Content-Type", "application/json");
                    exchange.sendResponseHeaders(answer.statusCode(), answer.body().length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(answer.body());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    exchange.sendResponseHeaders(502, -1);
                }
                exchange.close();
            });
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return watcher;
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        void watch(JdbcClient jdbc) {
            this.database = jdbc;
        }

        List<Broadcast> broadcasts() {
            return broadcasts;
        }

        private void inspect(byte[] body) {
            JsonNode call = JSON.readTree(body);
            JsonNode method = call.isObject() ? call.get("method") : null;
            if (method == null || !"eth_sendRawTransaction".equals(method.asString())) {
                return;
            }
            RawTransaction tx =
                    TransactionDecoder.decode(call.get("params").get(0).asString());
            String data = Hex.encode(Hex.decode(tx.getData()));
            long committed = database.sql("""
                            select count(*) from audit_log d where d.event = 'decision' and d.payload @> '{"verdict":"ALLOW"}'
                            and d.request_id in (select r.request_id from audit_log r where r.event = 'request-received'
                                                 and r.payload @> cast(:call as jsonb))
                            """)
                    .param("call", "{\"transaction\":{\"data\":\"" + data + "\"}}")
                    .query(Long.class)
                    .single();
            broadcasts.add(new Broadcast(data, committed == 1));
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
