package dev.guardian.service.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.service.devchain.DevChain;
import dev.guardian.service.identity.ApiKeys;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import java.util.HexFormat;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Bad input of every kind gets an RFC 9457 problem with a clear message, and changes nothing: no
 * request stored, no audit record, no budget touched. Runs against a real Guardian over real HTTP.
 */
class AgentApiValidationTest {
    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final AgentSpec AGENT = AgentSpec.agent("validation-agent");
    private static final String MERCHANT = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    private static final String APPROVER_TOKEN = ApiKeys.generate();
    private static GuardianInstance guardian;
    private static AgentClient client;
    private static JdbcClient jdbc;

    private long requestsBefore;
    private long auditBefore;

    @BeforeAll
    static void startGuardian() {
        DevChain chain = CHAIN.devChain();
        Address usdc = chain.deployTestUsdc();
        AGENT.allow(Address.parse(MERCHANT));
        guardian = GuardianInstance.builder(CHAIN.anvil().rpcUrl(), usdc)
                .agent(AGENT)
                .property("guardian.api.max-body-bytes", 4096)
                .property("guardian.people[0].id", "alice")
                .property("guardian.people[0].api-key-sha256", HexFormat.of().formatHex(ApiKeys.sha256(APPROVER_TOKEN)))
                .property("guardian.people[0].roles", "APPROVER,AUDITOR")
                .start();
        client = guardian.client(AGENT);
        jdbc = guardian.bean(JdbcClient.class);
    }

    @AfterAll
    static void stopGuardian() {
        if (guardian != null) {
            guardian.close();
        }
    }

    @BeforeEach
    void countRows() {
        requestsBefore = count("requests");
        auditBefore = count("audit_log");
    }

    static Stream<Arguments> invalidPayments() {
        return Stream.of(
                Arguments.of("malformed JSON", "{\"recipient\":", "malformed-request", null),
                Arguments.of("not an object", "[1,2]", "malformed-request", null),
                Arguments.of(
                        "bad checksum",
                        body("0x70997970c51812dC3A010C7d01b50e0d17dc79C8", "1"),
                        "validation-failed",
                        "/recipient"),
                Arguments.of("short address", body("0x7099", "1"), "validation-failed", "/recipient"),
                Arguments.of("missing recipient", "{\"amount\":\"1\"}", "validation-failed", "/recipient"),
                Arguments.of("zero amount", body(MERCHANT, "0"), "validation-failed", "/amount"),
                Arguments.of("zero with decimals", body(MERCHANT, "0.000"), "validation-failed", "/amount"),
                Arguments.of("negative amount", body(MERCHANT, "-1"), "validation-failed", "/amount"),
                Arguments.of("exponent", body(MERCHANT, "1e3"), "validation-failed", "/amount"),
                Arguments.of(
                        "amount as number",
                        "{\"recipient\":\"" + MERCHANT + "\",\"amount\":1.5}",
                        "malformed-request",
                        null),
                Arguments.of(
                        "unknown field",
                        "{\"recipient\":\"" + MERCHANT + "\",\"amount\":\"1\",\"memo\":\"x\"}",
                        "malformed-request",
                        null),
                Arguments.of("over-precise for USDC", body(MERCHANT, "1.0000001"), "validation-failed", "/amount"),
                Arguments.of(
                        "unknown asset",
                        "{\"recipient\":\"" + MERCHANT + "\",\"amount\":\"1\",\"asset\":\"DOGE\"}",
                        "validation-failed",
                        "/asset"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidPayments")
    void refusesInvalidPaymentWithProblemAndChangesNothing(String name, String json, String type, String pointer) {
        AgentClient.Response response = client.post("/v1/payments", json, Optional.of("key-" + name.replace(' ', '-')));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.text("type")).isEqualTo("https://guardian.dev/problems/" + type);
        assertThat(response.text("detail")).isNotBlank();
        if (pointer != null) {
            assertThat(response.body().get("errors").findValuesAsString("pointer"))
                    .contains(pointer);
        }
        assertNothingChanged();
    }

    @Test
    void explainsWhichChecksumWasExpected() {
        AgentClient.Response response = client.pay("0x70997970c51812dC3A010C7d01b50e0d17dc79C8", "1");

        assertThat(response.text("detail")).contains("checksum").contains(MERCHANT);
    }

    @Test
    void refusesUnknownApiKeyAndWrongKeyAlike() {
        AgentClient stranger = new AgentClient(guardian.baseUrl(), "grd_not-a-real-key");
        AgentClient anonymous = new AgentClient(guardian.baseUrl(), null);

        AgentClient.Response wrongKey = stranger.pay(MERCHANT, "1");
        AgentClient.Response noKey = anonymous.pay(MERCHANT, "1");

        for (AgentClient.Response response : new AgentClient.Response[] {wrongKey, noKey}) {
            assertThat(response.status()).isEqualTo(401);
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(response.text("type")).isEqualTo("https://guardian.dev/problems/unauthenticated");
            assertThat(response.header("WWW-Authenticate")).startsWith("Bearer");
        }
        assertThat(wrongKey.text("detail")).isEqualTo(noKey.text("detail"));
        assertNothingChanged();
    }

    @Test
    void refusesAPersonWithoutTheAgentRoleOnAgentEndpoints() {
        AgentClient approver = new AgentClient(guardian.baseUrl(), APPROVER_TOKEN);

        AgentClient.Response response = approver.pay(MERCHANT, "1");

        assertThat(response.status()).isEqualTo(403);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.text("type")).isEqualTo("https://guardian.dev/problems/forbidden");
        assertThat(response.text("detail")).contains("agent");
        assertNothingChanged();
    }

    @Test
    void refusesOversizedBodyWith413() {
        String padding = "x".repeat(5000);
        AgentClient.Response response = client.post(
                "/v1/payments",
                "{\"recipient\":\"" + MERCHANT + "\",\"amount\":\"1\",\"asset\":\"" + padding + "\"}",
                Optional.empty());

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.text("type")).isEqualTo("https://guardian.dev/problems/payload-too-large");
        assertNothingChanged();
    }

    @Test
    void refusesMalformedIdempotencyKey() {
        AgentClient.Response response = client.pay(MERCHANT, "1", Optional.of("spaces are not allowed"));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text("type")).isEqualTo("https://guardian.dev/problems/validation-failed");
        assertNothingChanged();
    }

    @Test
    void refusesInvalidContractCallData() {
        AgentClient.Response response = client.callContract(MERCHANT, "0xabc", "0");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().get("errors").findValuesAsString("pointer")).contains("/data");
        assertNothingChanged();
    }

    @Test
    void answersUnknownRequestAndUnknownPathWithNotFoundProblem() {
        AgentClient.Response unknownRequest = client.request("6f1c8a59-3c47-4b43-9a0e-8f7c9d7f0c11");
        AgentClient.Response notAUuid = client.request("nope");

        assertThat(unknownRequest.status()).isEqualTo(404);
        assertThat(unknownRequest.text("type")).isEqualTo("https://guardian.dev/problems/not-found");
        assertThat(notAUuid.status()).isEqualTo(404);
    }

    private static String body(String recipient, String amount) {
        return "{\"recipient\":\"" + recipient + "\",\"amount\":\"" + amount + "\"}";
    }

    private void assertNothingChanged() {
        assertThat(count("requests")).as("stored requests").isEqualTo(requestsBefore);
        assertThat(count("audit_log")).as("audit records").isEqualTo(auditBefore);
        assertThat(count("reservations")).as("reservations").isZero();
    }

    private static long count(String table) {
        return jdbc.sql("select count(*) from " + table).query(Long.class).single();
    }
}
