package dev.guardian.service.policies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.identity.Role;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.PersonSpec;
import dev.guardian.service.testsupport.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Policy versions on a real Guardian over real HTTP, with a real PostgreSQL and a real Anvil: a version is
 * judged by nobody until it is activated, then by the very next request; rollback; immutability; invalid
 * documents never stored; dry runs that change nothing; and an activation racing twenty payments, each of
 * which is judged wholly by one version. Every test uses its own agent.
 */
class PolicyVersionsApiTest {
    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String YAML = "application/yaml";

    private static final PersonSpec TREASURER = PersonSpec.person("tess", Role.TREASURY);
    private static final PersonSpec AUDITOR = PersonSpec.person("audrey", Role.AUDITOR);

    private static final AgentSpec SWITCHED = agent("switched");
    private static final AgentSpec ROLLED_BACK = agent("rolled-back");
    private static final AgentSpec IMMUTABLE = agent("immutable");
    private static final AgentSpec VALIDATED = agent("validated");
    private static final AgentSpec READ = agent("read");
    private static final AgentSpec TRIED = agent("tried");
    private static final AgentSpec REPLAYED = agent("replayed");
    private static final AgentSpec SIGNING = agent("signing");
    private static final AgentSpec RACED =
            AgentSpec.agent("raced").perTransactionCap("100").budget("1000", Duration.ofHours(24));
    private static final List<AgentSpec> AGENTS =
            List.of(SWITCHED, ROLLED_BACK, IMMUTABLE, VALIDATED, READ, TRIED, REPLAYED, RACED, SIGNING);

    private static TestDatabase database;
    private static GuardianInstance guardian;
    private static DevChain chain;
    private static Address usdc;
    private static Address merchant;

    private static AgentSpec agent(String id) {
        return AgentSpec.agent(id).perTransactionCap("100").budget("500", Duration.ofHours(24));
    }

    @BeforeAll
    static void start() {
        chain = CHAIN.devChain();
        usdc = chain.deployTestUsdc();
        merchant = chain.devAccounts().get(4);
        database = TestDatabase.start();
        GuardianInstance.Builder builder = GuardianInstance.builder(
                        CHAIN.anvil().rpcUrl(), usdc)
                .database(database)
                .person(TREASURER)
                .person(AUDITOR);
        AGENTS.forEach(agent -> builder.agent(agent.allow(merchant)));
        guardian = builder.start();
        for (AgentSpec agent : AGENTS) {
            chain.mintUsdc(usdc, guardian.walletOf(agent), TokenAmount.parse(DevChain.usdcAsset(usdc), "2000"));
            chain.setEthBalance(guardian.walletOf(agent), TokenAmount.parse(Asset.ether(), "1"));
        }
    }

    @AfterAll
    static void stop() throws IOException {
        guardian.close();
        database.close();
    }

    /** The configured policy with a lower escalation threshold: what a treasury team tightens. */
    private static String tightened(String escalateAbove) {
        return """
                perTransaction:
                  USDC: { escalateAbove: "%s" }
                budgets:
                  - { asset: USDC, limit: "500", window: 24h }
                allowlist:
                  - { address: "%s", label: "Merchant" }
                """.formatted(escalateAbove, merchant);
    }

    @Test
    void aNewVersionJudgesNothingUntilActivatedAndThenJudgesTheVeryNextPayment() {
        AgentClient agent = guardian.client(SWITCHED);

        AgentClient.Response created =
                post(TREASURER, "/v1/agents/switched/policies?comment=tighter", YAML, tightened("10"));
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        assertThat(created.body().get("version").asInt()).isEqualTo(2);
        assertThat(created.body().get("active").asBoolean()).isFalse();
        assertThat(created.body().get("createdBy").asString()).isEqualTo("person:tess");
        assertThat(created.header("Location")).isEqualTo("/v1/agents/switched/policies/2");
        assertThat(created.body().get("diff").toString()).contains("/perTransaction/USDC/escalateAbove");

        AgentClient.Response before = agent.pay(merchant.toString(), "20");
        assertThat(before.status()).as(before.raw().body()).isEqualTo(202);
        assertThat(before.text("policyVersion")).isEqualTo("1");

        AgentClient.Response activated = post(
                TREASURER, "/v1/agents/switched/policies/2/activate", "application/json", "{\"comment\":\"go live\"}");
        assertThat(activated.status()).as(activated.raw().body()).isEqualTo(200);
        assertThat(activated.body().get("active").asBoolean()).isTrue();

        AgentClient.Response after = agent.pay(merchant.toString(), "20");
        assertThat(after.status()).as(after.raw().body()).isEqualTo(202);
        assertThat(after.text("status")).isEqualTo("PENDING_APPROVAL");
        assertThat(agent.request(after.text("id")).text("policyVersion")).isEqualTo("2");
        assertThat(recordedVersion(after.text("id"))).isEqualTo("2");
        assertThat(jdbc().sql("""
                select event, actor from audit_log where payload->>'agent' = 'switched' and event like 'policy-%' order by seq""")
                        .query((rs, n) -> tuple(rs.getString("event"), rs.getString("actor")))
                        .list())
                .containsExactly(
                        tuple("policy-version-created", "configuration"),
                        tuple("policy-activated", "configuration"),
                        tuple("policy-version-created", "person:tess"),
                        tuple("policy-activated", "person:tess"));
    }

    @Test
    void rollsBackByActivatingTheOlderVersionAndRefusesToActivateTheActiveOne() {
        AgentClient agent = guardian.client(ROLLED_BACK);
        post(TREASURER, "/v1/agents/rolled-back/policies", YAML, tightened("10"));
        post(TREASURER, "/v1/agents/rolled-back/policies/2/activate", "application/json", "{\"comment\":\"try\"}");
        assertThat(agent.pay(merchant.toString(), "20").text("status")).isEqualTo("PENDING_APPROVAL");

        AgentClient.Response rollback = post(
                TREASURER,
                "/v1/agents/rolled-back/policies/1/activate",
                "application/json",
                "{\"comment\":\"too strict, back to 1\"}");

        assertThat(rollback.status()).as(rollback.raw().body()).isEqualTo(200);
        assertThat(rollback.body().get("comparedWith").asInt()).isEqualTo(2);
        AgentClient.Response paid = agent.pay(merchant.toString(), "20");
        assertThat(paid.text("policyVersion")).isEqualTo("1");
        assertThat(paid.text("status")).isIn("ALLOWED", "SIGNED", "SUBMITTED", "CONFIRMED");
        AgentClient.Response again =
                post(TREASURER, "/v1/agents/rolled-back/policies/1/activate", "application/json", "{}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.text("type")).endsWith("conflict/policy-already-active");
        assertThat(post(TREASURER, "/v1/agents/rolled-back/policies/9/activate", "application/json", "{}")
                        .status())
                .isEqualTo(404);
        assertThat(post(TREASURER, "/v1/agents/nobody/policies/1/activate", "application/json", "{}")
                        .status())
                .isEqualTo(404);
        assertThat(jdbc().sql("select payload->>'from', payload->>'to' from audit_log where event = 'policy-activated'"
                                + " and payload->>'agent' = 'rolled-back' order by seq desc limit 1")
                        .query((rs, n) -> tuple(rs.getString(1), rs.getString(2)))
                        .single())
                .isEqualTo(tuple("2", "1"));
    }

    @Test
    void versionsCannotBeChangedOrDeletedEvenWithDirectSql() {
        post(TREASURER, "/v1/agents/immutable/policies", YAML, tightened("10"));

        // Refused twice over: the application's role may not update or delete, and a trigger refuses even the owner.
        for (JdbcClient as : List.of(jdbc(), database.ownerJdbc())) {
            assertThatThrownBy(() -> as.sql(
                                    "update policy_versions set comment = 'rewritten' where agent_id = 'immutable'")
                            .update())
                    .rootCause()
                    .message()
                    .containsAnyOf("policy versions are immutable", "permission denied for table policy_versions");
            assertThatThrownBy(() -> as.sql("delete from policy_versions where agent_id = 'immutable'")
                            .update())
                    .rootCause()
                    .message()
                    .containsAnyOf("policy versions are immutable", "permission denied for table policy_versions");
        }
        assertThatThrownBy(() -> database.ownerJdbc()
                        .sql("update policy_versions set document = '{}' where agent_id = 'immutable'")
                        .update())
                .rootCause()
                .hasMessageContaining("policy versions are immutable");
        assertThat(jdbc().sql("select count(*) from policy_versions where agent_id = 'immutable'")
                        .query(Long.class)
                        .single())
                .isEqualTo(2);
    }

    @Test
    void anInvalidDocumentIsRefusedWithPointersAndNeverStored() {
        String invalid = """
                {"budgets": [{"asset": "USDC", "limit": "1.0000001", "window": "24h", "period": "day"}],
                 "allowlist": [{"address": "0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "label": "x"}],
                 "approvals": {"quorum": [{"asset": "USDC", "above": "1", "approvals": 11}]}, "colour": "red"}
                """;

        AgentClient.Response refused = post(TREASURER, "/v1/agents/validated/policies", "application/json", invalid);
        AgentClient.Response checked =
                post(TREASURER, "/v1/agents/validated/policies/validate", "application/json", invalid);

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.text("type")).endsWith("validation-failed");
        assertThat(refused.body()
                        .get("errors")
                        .valueStream()
                        .map(e -> e.get("pointer").asString())
                        .toList())
                .containsExactly(
                        "/allowlist/0/address",
                        "/approvals/quorum/0/approvals",
                        "/budgets/0",
                        "/budgets/0/limit",
                        "/colour");
        assertThat(checked.status()).isEqualTo(422);
        assertThat(checked.body().get("errors")).isEqualTo(refused.body().get("errors"));
        assertThat(jdbc().sql("select count(*) from policy_versions where agent_id = 'validated'")
                        .query(Long.class)
                        .single())
                .isEqualTo(1);

        AgentClient.Response valid = post(TREASURER, "/v1/agents/validated/policies/validate", YAML, tightened("10"));
        assertThat(valid.status()).as(valid.raw().body()).isEqualTo(200);
        assertThat(valid.body().get("valid").asBoolean()).isTrue();
        assertThat(valid.body()
                        .get("diff")
                        .valueStream()
                        .map(c -> c.get("path").asString())
                        .toList())
                .contains("/perTransaction/USDC/escalateAbove", "/allowlist/0/label");
        assertThat(jdbc().sql("select count(*) from policy_versions where agent_id = 'validated'")
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void storesShowsAndDiffsTheSignatureAndX402SectionsInTheirNormalForm() {
        String document = tightened("100") + """
                signatures:
                  maxValidity: PT300S
                  messages: [ { domain: login.example, chainId: 8453, primaryType: Login, type: "Login(string user)" } ]
                x402:
                  origins: [ "HTTPS://API.example.com:443/" ]
                  maxPerRequest: { USDC: "1.00" }
                """;

        AgentClient.Response created = post(TREASURER, "/v1/agents/signing/policies?comment=x402", YAML, document);
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        assertThat(created.body()
                        .get("document")
                        .get("x402")
                        .get("origins")
                        .get(0)
                        .asString())
                .isEqualTo("https://api.example.com");
        assertThat(created.body()
                        .get("document")
                        .get("signatures")
                        .get("maxValidity")
                        .asString())
                .isEqualTo("PT5M");
        assertThat(created.body()
                        .get("diff")
                        .valueStream()
                        .map(c -> tuple(c.get("op").asString(), c.get("path").asString()))
                        .toList())
                .contains(tuple("add", "/signatures"), tuple("add", "/x402"));
        AgentClient.Response dearer =
                post(TREASURER, "/v1/agents/signing/policies?comment=dearer", YAML, document.replace("1.00", "2.00"));
        assertThat(dearer.status()).as(dearer.raw().body()).isEqualTo(201);
        assertThat(get(AUDITOR, "/v1/agents/signing/policies/3", "application/json")
                        .body()
                        .get("diff")
                        .valueStream()
                        .map(c -> tuple(
                                c.get("op").asString(),
                                c.get("path").asString(),
                                c.get("from").asString(),
                                c.get("to").asString()))
                        .toList())
                .containsExactly(tuple("replace", "/x402/maxPerRequest/USDC", "1.00", "2.00"));

        AgentClient.Response asYaml = get(AUDITOR, "/v1/agents/signing/policies/2", YAML);
        assertThat(asYaml.raw().body())
                .contains("- \"https://api.example.com\"")
                .contains("maxValidity: \"PT5M\"");
        AgentClient.Response postedBack = post(
                TREASURER,
                "/v1/agents/signing/policies/validate",
                YAML,
                asYaml.raw().body());
        assertThat(postedBack.status()).as(postedBack.raw().body()).isEqualTo(200);

        AgentClient.Response refused = post(
                TREASURER,
                "/v1/agents/signing/policies",
                "application/json",
                "{\"x402\": {\"origins\": [\"https://*.example.com\"], \"maxPerRequest\": {\"USDC\": \"1\", \"DOGE\": \"1\"}},"
                        + " \"signatures\": {\"maxValidity\": \"P30D\", \"extra\": 1}}");
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.body()
                        .get("errors")
                        .valueStream()
                        .map(e -> e.get("pointer").asString())
                        .toList())
                .containsExactly(
                        "/signatures/extra", "/signatures/maxValidity", "/x402/maxPerRequest/DOGE", "/x402/origins/0");
    }

    @Test
    void listsVersionsNewestFirstAndServesADocumentAsYamlThatPostsBackUnchanged() {
        post(TREASURER, "/v1/agents/read/policies?comment=second", YAML, tightened("10"));
        post(TREASURER, "/v1/agents/read/policies?comment=third", YAML, tightened("20"));

        AgentClient.Response list = get(AUDITOR, "/v1/agents/read/policies", "application/json");
        assertThat(list.status()).as(list.raw().body()).isEqualTo(200);
        assertThat(list.body().get("activeVersion").asInt()).isEqualTo(1);
        assertThat(list.body()
                        .get("versions")
                        .valueStream()
                        .map(v -> tuple(
                                v.get("version").asInt(),
                                v.get("comment").asString(),
                                v.get("createdBy").asString(),
                                v.get("active").asBoolean()))
                        .toList())
                .containsExactly(
                        tuple(3, "third", "person:tess", false),
                        tuple(2, "second", "person:tess", false),
                        tuple(1, "from configuration", "configuration", true));

        AgentClient.Response asYaml = get(AUDITOR, "/v1/agents/read/policies/3", YAML);
        assertThat(asYaml.status()).isEqualTo(200);
        assertThat(asYaml.contentType()).startsWith(YAML);
        assertThat(asYaml.raw().body())
                .startsWith("# policy of agent read, version 3")
                .contains("escalateAbove: \"20\"");

        AgentClient.Response same = post(
                TREASURER,
                "/v1/agents/read/policies/validate",
                YAML,
                asYaml.raw().body());
        assertThat(same.status()).as(same.raw().body()).isEqualTo(200);
        AgentClient.Response three = get(AUDITOR, "/v1/agents/read/policies/3", "application/json");
        assertThat(three.body().get("comparedWith").asInt()).isEqualTo(2);
        assertThat(three.body().get("diff").toString())
                .contains("\"replace\"")
                .contains("/perTransaction/USDC/escalateAbove");
        AgentClient.Response diff = get(AUDITOR, "/v1/agents/read/policies/3/diff?against=1", "application/json");
        assertThat(diff.body().get("against").asInt()).isEqualTo(1);
        assertThat(diff.body()
                        .get("diff")
                        .valueStream()
                        .map(c -> c.get("op").asString() + " " + c.get("path").asString())
                        .toList())
                .contains("replace /perTransaction/USDC/escalateAbove", "replace /allowlist/0/label");
    }

    @Test
    void onlyTreasuryAndAdminsWriteWhileAuditorsMayRead() {
        assertThat(get(AUDITOR, "/v1/agents/read/policies/1", "application/json")
                        .status())
                .isEqualTo(200);
        assertThat(post(AUDITOR, "/v1/agents/read/policies", YAML, tightened("10"))
                        .status())
                .isEqualTo(403);
        assertThat(post(AUDITOR, "/v1/agents/read/policies/1/activate", "application/json", "{}")
                        .status())
                .isEqualTo(403);
        AgentClient.Response asAgent = guardian.client(READ).get("/v1/agents/read/policies");
        assertThat(asAgent.status()).isEqualTo(403);
        assertThat(get(AUDITOR, "/v1/agents/nobody/policies", "application/json")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void dryRunOfOnePaymentShowsTheChangedDecisionAndReservesSignsAndRecordsNothing() {
        post(TREASURER, "/v1/agents/tried/policies", YAML, tightened("10"));
        Snapshot before = snapshot(TRIED);

        AgentClient.Response dryRun = post(
                TREASURER,
                "/v1/agents/tried/policies/2/dry-run",
                "application/json",
                "{\"payment\": {\"recipient\": \"" + merchant + "\", \"amount\": \"20\"}}");

        assertThat(dryRun.status()).as(dryRun.raw().body()).isEqualTo(200);
        JsonNode only = dryRun.body().get("requests").get(0);
        assertThat(only.get("active").get("verdict").asString()).isEqualTo("ALLOW");
        assertThat(only.get("active").get("version").asInt()).isEqualTo(1);
        assertThat(only.get("draft").get("verdict").asString()).isEqualTo("ESCALATE");
        assertThat(only.get("draft").get("reasons").findValuesAsString("ruleId"))
                .contains("cap.per-transaction");
        assertThat(only.get("changed").asBoolean()).isTrue();
        assertThat(dryRun.body()
                        .get("summary")
                        .get("transitions")
                        .get("ALLOW->ESCALATE")
                        .asInt())
                .isEqualTo(1);
        assertThat(snapshot(TRIED)).isEqualTo(before);

        AgentClient.Response both = post(
                TREASURER,
                "/v1/agents/tried/policies/2/dry-run",
                "application/json",
                "{\"recent\": 5, \"payment\": {\"recipient\": \"" + merchant + "\", \"amount\": \"20\"}}");
        assertThat(both.status()).isEqualTo(400);
    }

    @Test
    void dryRunOfRecentRequestsShowsWhichRecordedDecisionsWouldChange() {
        AgentClient agent = guardian.client(REPLAYED);
        List<String> ids = new ArrayList<>();
        for (String amount : List.of("5", "20", "50")) {
            AgentClient.Response paid = agent.pay(merchant.toString(), amount);
            assertThat(paid.status()).as(paid.raw().body()).isEqualTo(202);
            ids.add(agent.awaitStatus(paid.text("id"), Duration.ofSeconds(20), "CONFIRMED")
                    .text("id"));
        }
        post(TREASURER, "/v1/agents/replayed/policies", YAML, """
                perTransaction:
                  USDC: { escalateAbove: "10", max: "40" }
                budgets:
                  - { asset: USDC, limit: "500", window: 24h }
                allowlist:
                  - { address: "%s", label: "Merchant" }
                """.formatted(merchant));
        Snapshot before = snapshot(REPLAYED);

        AgentClient.Response dryRun =
                post(TREASURER, "/v1/agents/replayed/policies/2/dry-run", "application/json", "{\"recent\": 10}");

        assertThat(dryRun.status()).as(dryRun.raw().body()).isEqualTo(200);
        assertThat(dryRun.body()
                        .get("requests")
                        .valueStream()
                        .map(r -> tuple(
                                r.get("requestId").asString(),
                                r.get("recorded").get("verdict").asString(),
                                r.get("active").get("verdict").asString(),
                                r.get("draft").get("verdict").asString(),
                                r.get("changed").asBoolean()))
                        .toList())
                .containsExactly(
                        tuple(ids.get(2), "ALLOW", "ALLOW", "DENY", true),
                        tuple(ids.get(1), "ALLOW", "ALLOW", "ESCALATE", true),
                        tuple(ids.get(0), "ALLOW", "ALLOW", "ALLOW", false));
        JsonNode summary = dryRun.body().get("summary");
        assertThat(summary.get("requests").asInt()).isEqualTo(3);
        assertThat(summary.get("changed").asInt()).isEqualTo(2);
        assertThat(summary.get("transitions").properties())
                .extracting(Map.Entry::getKey)
                .containsExactly("ALLOW->DENY", "ALLOW->ESCALATE");
        assertThat(dryRun.body()
                        .get("requests")
                        .get(0)
                        .get("draft")
                        .get("reasons")
                        .findValuesAsString("ruleId"))
                .contains("limit.per-transaction");
        assertThat(snapshot(REPLAYED)).isEqualTo(before);
    }

    @Test
    void anActivationRacingTwentyPaymentsLeavesEachJudgedWhollyByOneVersion() throws Exception {
        AgentClient agent = guardian.client(RACED);
        // Version 2 cuts the budget from 1000 to 100: whichever version judged a payment explains its verdict.
        post(TREASURER, "/v1/agents/raced/policies", YAML, """
                perTransaction:
                  USDC: { escalateAbove: "100" }
                budgets:
                  - { asset: USDC, limit: "100", window: 24h }
                allowlist:
                  - { address: "%s", label: "Merchant" }
                """.formatted(merchant));
        List<Future<AgentClient.Response>> payments = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(10)) {
            for (int i = 0; i < 10; i++) {
                payments.add(pool.submit(() -> agent.pay(merchant.toString(), "10")));
            }
            awaitRequests("raced", 3);
            AgentClient.Response activated =
                    post(TREASURER, "/v1/agents/raced/policies/2/activate", "application/json", "{}");
            assertThat(activated.status()).as(activated.raw().body()).isEqualTo(200);
            for (int i = 0; i < 10; i++) {
                payments.add(pool.submit(() -> agent.pay(merchant.toString(), "10")));
            }
            for (Future<AgentClient.Response> payment : payments) {
                assertThat(payment.get().status()).isIn(202, 403);
            }
        }

        List<Judged> judged = jdbc().sql("""
                select policy_version, verdict, reasons::text as reasons from requests
                where agent_id = 'raced' order by created_at, id""")
                .query((rs, n) ->
                        new Judged(rs.getString("policy_version"), rs.getString("verdict"), rs.getString("reasons")))
                .list();
        assertThat(judged).hasSize(20);
        // Activation lands between two decisions: every request judged by 1 comes before every one judged by 2.
        assertThat(judged).extracting(Judged::version).contains("1", "2").isSortedAccordingTo(String::compareTo);
        BigInteger spent = BigInteger.ZERO;
        BigInteger payment = BigInteger.TEN;
        for (Judged one : judged) {
            BigInteger limit = one.version().equals("1") ? BigInteger.valueOf(1000) : BigInteger.valueOf(100);
            boolean fits = spent.add(payment).compareTo(limit) <= 0;
            assertThat(one.verdict())
                    .as("judged by version %s after %s USDC spent", one.version(), spent)
                    .isEqualTo(fits ? "ALLOW" : "DENY");
            if (fits) {
                spent = spent.add(payment);
            } else {
                assertThat(one.reasons()).contains("budget.window");
            }
        }
    }

    private record Judged(String version, String verdict, String reasons) {}

    /** What a dry run must not touch: the agent's requests, reservations, audit records and wallet nonce. */
    private record Snapshot(long requests, long reservations, long auditRecords, long nonce) {}

    private static Snapshot snapshot(AgentSpec agent) {
        return new Snapshot(
                jdbc().sql("select count(*) from requests where agent_id = :a")
                        .param("a", agent.id())
                        .query(Long.class)
                        .single(),
                jdbc().sql("select count(*) from reservations where agent_id = :a")
                        .param("a", agent.id())
                        .query(Long.class)
                        .single(),
                jdbc().sql("""
                        select count(*) from audit_log
                        where payload->>'agent' = :a or request_id in (select id from requests where agent_id = :a)""").param("a", agent.id()).query(Long.class).single(),
                guardian.bean(ChainAdapter.class).pendingNonce(guardian.walletOf(agent)));
    }

    private static void awaitRequests(String agent, long count) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (jdbc().sql("select count(*) from requests where agent_id = :a")
                        .param("a", agent)
                        .query(Long.class)
                        .single()
                < count) {
            assertThat(Instant.now())
                    .as("%s requests of %s recorded in time", count, agent)
                    .isBefore(deadline);
            Thread.sleep(5);
        }
    }

    private static String recordedVersion(String requestId) {
        return jdbc().sql("select policy_version from requests where id = cast(:id as uuid)")
                .param("id", requestId)
                .query(String.class)
                .single();
    }

    private static JdbcClient jdbc() {
        return guardian.bean(JdbcClient.class);
    }

    private static AgentClient.Response post(PersonSpec person, String path, String contentType, String body) {
        return send(
                person,
                HttpRequest.newBuilder(guardian.baseUrl().resolve(path))
                        .header("Content-Type", contentType)
                        .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static AgentClient.Response get(PersonSpec person, String path, String accept) {
        return send(
                person,
                HttpRequest.newBuilder(guardian.baseUrl().resolve(path))
                        .header("Accept", accept)
                        .GET());
    }

    private static AgentClient.Response send(PersonSpec person, HttpRequest.Builder request) {
        request.timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + person.token());
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            boolean json =
                    response.headers().firstValue("Content-Type").orElse("").contains("json");
            return new AgentClient.Response(
                    response.statusCode(),
                    response,
                    json && !response.body().isBlank() ? JSON.readTree(response.body()) : null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
