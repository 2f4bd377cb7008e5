package dev.guardian.service.sanctions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.Hex;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.identity.Role;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.Calldata;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.MutableClock;
import dev.guardian.service.testsupport.PersonSpec;
import dev.guardian.service.testsupport.TestAddresses;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Guardian over HTTP on Anvil, screening against three sources at once: a file an operator keeps
 * (reloaded when it changes), a CSV fetched from a publisher on a schedule (a loopback HTTP server), and
 * a sanctions oracle contract on the chain. Payments and contract calls are judged against all three,
 * addresses reached only inside a call included; delisting, the admin endpoints and a stale publisher
 * are seen as an agent and an operator see them. Ordered: the last test moves the clock days ahead.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SanctionsEndToEndTest {
    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    @TempDir
    static Path folder;

    private static final Duration SETTLE = Duration.ofSeconds(20);
    private static final Address POTEKHIN = Address.parse("0x7F367cC41522cE07553e823bf3be79A889DEbe1B");
    private static final String SHIPPED = ListParsersTest.resource("/sanctions/ofac_sdn_evm_addresses_2025-11-19.txt");
    private static final Address TO_BE_DELISTED = TestAddresses.fresh();
    private static final Address IN_PUBLISHED_CSV = TestAddresses.fresh();
    private static final Address ONLY_ON_THE_ORACLE = TestAddresses.fresh();
    private static final Address PUBLISHED_LATER = TestAddresses.fresh();
    private static final Address FALSE_POSITIVE = TestAddresses.fresh();
    private static final AgentSpec AGENT =
            AgentSpec.agent("screened").perTransactionCap("100").budget("1000", Duration.ofDays(1));
    private static final PersonSpec ADMIN = PersonSpec.person("alice", Role.ADMIN);
    private static final PersonSpec AUDITOR = PersonSpec.person("audrey", Role.AUDITOR);

    private static final MutableClock clock = MutableClock.startingNow();
    private static ListServer publisher;
    private static GuardianInstance guardian;
    private static Path watchlist;
    private static Address usdc;
    private static Address router;
    private static Address oracle;
    private static Address merchant;
    private static Address wallet;

    @BeforeAll
    static void start() throws IOException {
        DevChain chain = CHAIN.devChain();
        usdc = chain.deployTestUsdc();
        router = chain.deployPaymentRouter();
        oracle = chain.deploySanctionsOracle();
        chain.addToSanctionsOracle(oracle, ONLY_ON_THE_ORACLE);
        merchant = chain.devAccounts().get(2);
        AGENT.allow(merchant, TO_BE_DELISTED, FALSE_POSITIVE);

        // OFAC's list of 2025-11-19 (POTEKHIN among its 81) plus two addresses compliance added: one to be delisted
        // later, one that the treasury then found to be a false positive (allowed by override).
        watchlist = Files.writeString(
                folder.resolve("watchlist.txt"),
                "# kept by compliance\n" + SHIPPED + TO_BE_DELISTED + "\n" + FALSE_POSITIVE + "\n");
        publisher = ListServer.start().serve(csv(IN_PUBLISHED_CSV));
        guardian = GuardianInstance.builder(CHAIN.anvil().rpcUrl(), usdc)
                .agent(AGENT)
                .person(ADMIN)
                .person(AUDITOR)
                .clock(clock)
                .property("guardian.sanctions.sources[0].name", "watchlist")
                .property("guardian.sanctions.sources[0].type", "text")
                .property("guardian.sanctions.sources[0].location", watchlist.toString())
                .property(
                        "guardian.sanctions.sources[0].as-of",
                        LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).toString())
                .property("guardian.sanctions.sources[0].max-age", "7d")
                .property("guardian.sanctions.sources[1].name", "publisher")
                .property("guardian.sanctions.sources[1].type", "csv")
                .property(
                        "guardian.sanctions.sources[1].location",
                        publisher.uri("/ofac/data.csv").toString())
                .property("guardian.sanctions.sources[1].refresh-interval", "1h")
                .property("guardian.sanctions.sources[1].max-age", "1d")
                .property("guardian.sanctions.oracle.enabled", "true")
                .property("guardian.sanctions.oracle.addresses.31337", oracle.toString())
                .property("guardian.sanctions.overrides[0].address", FALSE_POSITIVE.toString())
                .property(
                        "guardian.sanctions.overrides[0].reason",
                        "an exchange's deposit address, not the listed party (case 4411)")
                .property("guardian.sanctions.overrides[0].decided-by", "compliance:maria")
                .property("guardian.sanctions.check-interval", "100ms")
                .property("guardian.sanctions.fetch.backoff", "10ms")
                .start();
        wallet = guardian.walletOf(AGENT);
        chain.mintUsdc(usdc, wallet, usdc("1000"));
        chain.setEthBalance(wallet, TokenAmount.parse(Asset.ether(), "1"));
        // The agent's wallet lets the router pull its USDC (sent directly: the approval is not under test).
        chain.sendAs(wallet, usdc, Calldata.approve(router, usdc("500")));
    }

    @AfterAll
    static void stop() {
        if (guardian != null) {
            guardian.close();
        }
        if (publisher != null) {
            publisher.close();
        }
    }

    @Test
    @Order(1)
    void deniesAPaymentToAListedAddressAndTheRecordNamesEveryVersionUsed() {
        AgentClient agent = guardian.client(AGENT);

        AgentClient.Response refused = agent.pay(POTEKHIN.toString(), "1");

        assertThat(refused.status()).as(refused.raw().body()).isEqualTo(403);
        assertThat(reasons(refused)).contains("sanctions.hit DENY " + POTEKHIN);
        String screeningList = agent.request(refused.text("requestId")).text("screeningList");
        assertThat(screeningList)
                .contains("watchlist@" + LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC) + " (83 entries, sha256 "
                        + sha256(watchlist))
                .contains("publisher@")
                .contains("(1 entries, sha256 ")
                .contains("oracle " + oracle + " on chain 31337");
        JsonNode screening = auditPayload("screening", refused.text("requestId"));
        assertThat(screening.get("versions")).hasSize(4); // two lists, the overrides, the oracle
        assertThat(screening.get("list").asString()).isEqualTo(screeningList);
        assertThat(screening.get("hits").get(0).asString()).isEqualTo(POTEKHIN.toString());
    }

    @Test
    @Order(2)
    void paysAListedAddressThatAnOverrideAllowsAndRecordsWhy() {
        AgentClient.Response paid = guardian.client(AGENT).pay(FALSE_POSITIVE.toString(), "1");

        assertThat(paid.status()).as(paid.raw().body()).isEqualTo(202);
        assertThat(paid.text("screeningList")).contains("overrides (1 entries, sha256 ");
        JsonNode screening = auditPayload("screening", paid.text("id"));
        assertThat(screening.get("hits")).isEmpty();
        assertThat(screening.get("overridden").get(FALSE_POSITIVE.toString()).asString())
                .contains("case 4411")
                .contains("compliance:maria");
        JsonNode configured = lastAudit("sanctions.overrides");
        assertThat(configured.get("overrides").get(0).get("address").asString()).isEqualTo(FALSE_POSITIVE.toString());
        assertThat(configured.get("overrides").get(0).get("decidedBy").asString())
                .isEqualTo("compliance:maria");
    }

    @Test
    @Order(3)
    void deniesAContractCallThatPaysAListedAddressOnlyInsideTheCall() {
        // The transaction names only the router; the simulation finds the router paying the listed address.
        byte[] payMany = Calldata.payMany(usdc, List.of(merchant, IN_PUBLISHED_CSV), List.of(usdc("5"), usdc("7")));

        AgentClient.Response refused = guardian.client(AGENT).callContract(router.toString(), Hex.encode(payMany), "0");

        assertThat(refused.status()).as(refused.raw().body()).isEqualTo(403);
        assertThat(reasons(refused)).contains("sanctions.hit DENY " + IN_PUBLISHED_CSV);
        assertThat(CHAIN.devChain().usdcBalance(usdc, IN_PUBLISHED_CSV)).isEqualTo(usdc("0"));
    }

    @Test
    @Order(4)
    void deniesARecipientInsideACallThatOnlyTheOnChainOracleLists() {
        byte[] payMany = Calldata.payMany(usdc, List.of(ONLY_ON_THE_ORACLE), List.of(usdc("3")));

        AgentClient.Response refused = guardian.client(AGENT).callContract(router.toString(), Hex.encode(payMany), "0");

        assertThat(refused.status()).as(refused.raw().body()).isEqualTo(403);
        assertThat(reasons(refused)).contains("sanctions.hit DENY " + ONLY_ON_THE_ORACLE);
    }

    @Test
    @Order(5)
    void deniesAnApprovalToAListedSpender() {
        byte[] approve = Calldata.approve(IN_PUBLISHED_CSV, usdc("10"));

        AgentClient.Response refused = guardian.client(AGENT).callContract(usdc.toString(), Hex.encode(approve), "0");

        assertThat(refused.status()).as(refused.raw().body()).isEqualTo(403);
        assertThat(reasons(refused)).contains("sanctions.hit DENY " + IN_PUBLISHED_CSV);
    }

    @Test
    @Order(6)
    void deniesACallThatReachesAListedContractAlongTheWay() {
        // The router calls the token contract; list the token itself (on the oracle) and pay an allowlisted merchant.
        CHAIN.devChain().addToSanctionsOracle(oracle, usdc);
        try {
            byte[] payMany = Calldata.payMany(usdc, List.of(merchant), List.of(usdc("1")));

            AgentClient.Response refused =
                    guardian.client(AGENT).callContract(router.toString(), Hex.encode(payMany), "0");

            assertThat(refused.status()).as(refused.raw().body()).isEqualTo(403);
            assertThat(reasons(refused)).contains("sanctions.hit DENY " + usdc);
        } finally {
            CHAIN.devChain().removeFromSanctionsOracle(oracle, usdc);
        }
    }

    @Test
    @Order(7)
    void aDelistedAddressIsPaidOnceTheFileChangesAndTheRecordShowsTheNewVersion() throws IOException {
        AgentClient agent = guardian.client(AGENT);
        assertThat(agent.pay(TO_BE_DELISTED.toString(), "2").status()).isEqualTo(403);
        String before = sha256(watchlist);

        FileTime previous = Files.getLastModifiedTime(watchlist);
        Files.writeString(watchlist, "# kept by compliance\n" + SHIPPED + FALSE_POSITIVE + "\n");
        Files.setLastModifiedTime(watchlist, FileTime.from(previous.toInstant().plusSeconds(1)));
        String after = sha256(watchlist);
        awaitStatus(status -> source(status, "watchlist")
                .get("version")
                .get("sha256")
                .asString()
                .equals(after));

        AgentClient.Response paid = agent.pay(TO_BE_DELISTED.toString(), "2");

        assertThat(paid.status()).as(paid.raw().body()).isEqualTo(202);
        assertThat(paid.text("screeningList"))
                .contains("watchlist@")
                .contains("(82 entries, sha256 " + after)
                .doesNotContain(before);
        assertThat(agent.awaitStatus(paid.text("id"), SETTLE, "CONFIRMED", "FAILED")
                        .text("status"))
                .isEqualTo("CONFIRMED");
        JsonNode loaded = lastAudit("sanctions.list-loaded");
        assertThat(loaded.get("source").asString()).isEqualTo("watchlist");
        assertThat(loaded.get("trigger").asString()).isEqualTo("FILE_CHANGE");
        assertThat(loaded.get("version").get("sha256").asString()).isEqualTo(after);
        assertThat(loaded.get("previous").get("sha256").asString()).isEqualTo(before);
    }

    @Test
    @Order(8)
    void fetchesThePublishedListAgainWhenItsRefreshIsDue() {
        publisher.serve(csv(IN_PUBLISHED_CSV, PUBLISHED_LATER));
        assertThat(guardian.client(AGENT).pay(PUBLISHED_LATER.toString(), "1").status())
                .as("not yet listed: not allowlisted only")
                .isEqualTo(202);

        clock.advance(Duration.ofHours(1));
        awaitStatus(status ->
                source(status, "publisher").get("version").get("entries").asInt() == 2);

        AgentClient.Response refused = guardian.client(AGENT).pay(PUBLISHED_LATER.toString(), "1");
        assertThat(refused.status()).isEqualTo(403);
        assertThat(reasons(refused)).contains("sanctions.hit DENY " + PUBLISHED_LATER);
        assertThat(lastAudit("sanctions.list-loaded").get("trigger").asString()).isEqualTo("SCHEDULE");
    }

    @Test
    @Order(9)
    void onlyAnAdminReloadsAndAdminsAndAuditorsSeeTheStatus() {
        AgentClient admin = guardian.client(ADMIN);
        AgentClient auditor = guardian.client(AUDITOR);

        AgentClient.Response reloaded = admin.post("/v1/admin/sanctions/reload?source=publisher", "", Optional.empty());

        assertThat(reloaded.status()).as(reloaded.raw().body()).isEqualTo(200);
        JsonNode outcome = reloaded.body().get("outcomes").get(0);
        assertThat(outcome.get("source").asString()).isEqualTo("publisher");
        assertThat(outcome.get("result").asString()).isEqualTo("UNCHANGED");
        assertThat(reloaded.body().get("status").get("current").asBoolean()).isTrue();

        AgentClient.Response status = auditor.get("/v1/admin/sanctions");
        assertThat(status.status()).isEqualTo(200);
        assertThat(status.body().get("sources")).hasSize(2);
        assertThat(status.body().get("oracle").get("oracle").asString())
                .isEqualTo("oracle " + oracle + " on chain 31337");
        assertThat(auditor.post("/v1/admin/sanctions/reload", "", Optional.empty())
                        .status())
                .isEqualTo(403);
        assertThat(guardian.client(AGENT).get("/v1/admin/sanctions").status()).isEqualTo(403);
        assertThat(admin.post("/v1/admin/sanctions/reload?source=nope", "", Optional.empty())
                        .status())
                .isEqualTo(404);
    }

    @Test
    @Order(10)
    void refusesToMoveValueOnceThePublishedListIsStaleAndSaysWhy() {
        publisher.failWith(503);
        clock.advance(Duration.ofDays(2));
        awaitStatus(status -> !status.get("current").asBoolean()
                && source(status, "publisher").get("lastOutcome").asString().equals("FAILED"));

        AgentClient.Response refused = guardian.client(AGENT).pay(merchant.toString(), "1");

        assertThat(refused.status()).as(refused.raw().body()).isEqualTo(403);
        assertThat(refused.body().get("reasons")).anySatisfy(reason -> {
            assertThat(reason.get("ruleId").asString()).isEqualTo("sanctions.not-current");
            assertThat(reason.get("verdict").asString()).isEqualTo("DENY");
            assertThat(reason.get("message").asString())
                    .contains("publisher is 2d 0h old")
                    .contains("max-age of 1d 0h");
        });
        JsonNode kept = lastAudit("sanctions.reload-kept");
        assertThat(kept.get("source").asString()).isEqualTo("publisher");
        assertThat(kept.get("kept").get("entries").asInt()).isEqualTo(2);
    }

    private static void awaitStatus(Predicate<JsonNode> condition) {
        AgentClient admin = guardian.client(ADMIN);
        await().atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> condition.test(admin.get("/v1/admin/sanctions").body()));
    }

    private static JsonNode source(JsonNode status, String name) {
        for (JsonNode source : status.get("sources")) {
            if (source.get("name").asString().equals(name)) {
                return source;
            }
        }
        throw new AssertionError("no source " + name + " in " + status);
    }

    /** Each reason as "ruleId VERDICT subject". */
    private static List<String> reasons(AgentClient.Response response) {
        List<String> reasons = new ArrayList<>();
        response.body()
                .get("reasons")
                .forEach(r -> reasons.add(r.get("ruleId").asString() + " "
                        + r.get("verdict").asString() + " "
                        + (r.get("subject") == null ? "" : r.get("subject").asString())));
        return reasons;
    }

    private static JsonNode auditPayload(String event, String requestId) {
        String payload = guardian.bean(JdbcClient.class)
                .sql(
                        "select payload::text from audit_log where event = :event and request_id = cast(:request as uuid) order by seq desc limit 1")
                .param("event", event)
                .param("request", requestId)
                .query(String.class)
                .single();
        return JsonMapper.builder().build().readTree(payload);
    }

    private static JsonNode lastAudit(String event) {
        String payload = guardian.bean(JdbcClient.class)
                .sql("select payload::text from audit_log where event = :event order by seq desc limit 1")
                .param("event", event)
                .query(String.class)
                .single();
        return JsonMapper.builder().build().readTree(payload);
    }

    private static String csv(Address... addresses) {
        StringBuilder csv = new StringBuilder("address,name\n");
        for (Address address : addresses) {
            csv.append(address.toLowerHex()).append(",\"TEST, Party\"\n");
        }
        return csv.toString();
    }

    private static TokenAmount usdc(String amount) {
        return TokenAmount.parse(DevChain.usdcAsset(usdc), amount);
    }

    private static String sha256(Path file) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
