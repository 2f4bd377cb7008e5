package dev.guardian.service.identity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.service.testsupport.AgentClient;
import dev.guardian.service.testsupport.AgentSpec;
import dev.guardian.service.testsupport.AnvilExtension;
import dev.guardian.service.testsupport.GuardianInstance;
import dev.guardian.service.testsupport.PersonSpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * The administrators' people API on a real Guardian over real HTTP: a new person's token works at
 * once, rotation and revocation take effect on the very next call, a disabled person is refused, the
 * last administrator cannot lock everyone out, bad input changes nothing, and no token is ever seen
 * again after the answer that issued it. The configured administrator {@code root} stays the only
 * administrator throughout; every test works on people of its own.
 */
@ExtendWith(OutputCaptureExtension.class)
class PeopleApiTest {
    @RegisterExtension
    static final AnvilExtension CHAIN = new AnvilExtension();

    private static final PersonSpec ROOT = PersonSpec.person("root", Role.ADMIN, Role.AUDITOR);
    private static final PersonSpec ALICE = PersonSpec.person("alice", Role.APPROVER);
    private static final AgentSpec AGENT = AgentSpec.agent("people-test-agent");

    private static GuardianInstance guardian;
    private static Api api;

    @BeforeAll
    static void start() {
        Address usdc = CHAIN.devChain().deployTestUsdc();
        guardian = GuardianInstance.builder(CHAIN.anvil().rpcUrl(), usdc)
                .person(ROOT)
                .person(ALICE)
                .agent(AGENT)
                .start();
        api = new Api(guardian.baseUrl());
    }

    @AfterAll
    static void stop() {
        guardian.close();
    }

    @Test
    void createsAPersonWhoseFirstTokenWorksAtOnce() {
        AgentClient.Response created = api.post(ROOT.token(), "/v1/people", """
                {"id": "carol", "name": "Carol Approver", "roles": ["approver", "AUDITOR"]}""");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/v1/people/carol");
        assertThat(created.body().get("person").get("roles").toString()).isEqualTo("[\"approver\",\"auditor\"]");
        assertThat(created.body().get("person").get("status").asString()).isEqualTo("ACTIVE");
        String token = created.body().get("credential").get("token").asString();
        assertThat(token).startsWith("grd_");
        assertThat(api.get(token, "/v1/approvals").status()).isEqualTo(200);
        assertThat(api.get(token, "/v1/audit/public-keys").status()).isEqualTo(200);
        assertThat(api.get(token, "/v1/people").status())
                .as("not an administrator")
                .isEqualTo(403);
    }

    @Test
    void rotationRefusesTheOldTokenOnTheVeryNextCall() {
        String old = createPerson("dave", "approver");

        AgentClient.Response rotated = api.post(ROOT.token(), "/v1/people/dave/credentials", null);

        assertThat(rotated.status()).isEqualTo(201);
        String fresh = rotated.text("token");
        assertThat(api.get(old, "/v1/approvals").status()).isEqualTo(401);
        assertThat(api.get(fresh, "/v1/approvals").status()).isEqualTo(200);
        JsonNode credentials = api.get(ROOT.token(), "/v1/people/dave").body().get("credentials");
        assertThat(credentials).hasSize(1);
        assertThat(credentials.get(0).get("id").asString()).isEqualTo(rotated.text("credentialId"));
    }

    @Test
    void revokedTokensGetTheSame401AsUnknownOnes() {
        String token = createPerson("erin", "auditor");

        AgentClient.Response revoked = api.delete(ROOT.token(), "/v1/people/erin/credentials");

        assertThat(revoked.status()).isEqualTo(200);
        assertThat(revoked.body().get("revoked").asInt()).isEqualTo(1);
        AgentClient.Response refused = api.get(token, "/v1/audit/public-keys");
        AgentClient.Response unknown = api.get(ApiKeys.generate(), "/v1/audit/public-keys");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.raw().body()).isEqualTo(unknown.raw().body());
    }

    @Test
    void aDisabledPersonIsRefusedAndGetsNoNewToken() {
        String token = createPerson("frank", "approver");

        AgentClient.Response disabled = api.post(ROOT.token(), "/v1/people/frank/disable", null);

        assertThat(disabled.status()).isEqualTo(200);
        assertThat(disabled.text("status")).isEqualTo("DISABLED");
        assertThat(disabled.text("disabledAt")).isNotNull();
        assertThat(api.get(token, "/v1/approvals").status()).isEqualTo(401);
        AgentClient.Response rotation = api.post(ROOT.token(), "/v1/people/frank/credentials", null);
        assertThat(rotation.status()).isEqualTo(409);
        assertThat(rotation.text("reason")).isEqualTo("person-disabled");
        assertThat(api.post(ROOT.token(), "/v1/people/frank/disable", null).status())
                .as("disabling twice is harmless")
                .isEqualTo(200);
    }

    @Test
    void theLastAdministratorCannotBeDisabledDemotedOrLeftWithoutTokens() {
        JsonNode before = api.get(ROOT.token(), "/v1/people/root").body();

        List<AgentClient.Response> refusals = List.of(
                api.post(ROOT.token(), "/v1/people/root/disable", null),
                api.put(ROOT.token(), "/v1/people/root/roles", "{\"roles\": [\"auditor\"]}"),
                api.delete(ROOT.token(), "/v1/people/root/credentials"));

        for (AgentClient.Response refusal : refusals) {
            assertThat(refusal.status()).isEqualTo(409);
            assertThat(refusal.contentType()).startsWith("application/problem+json");
            assertThat(refusal.text("type")).isEqualTo("https://guardian.dev/problems/conflict/last-admin");
            assertThat(refusal.text("reason")).isEqualTo("last-admin");
        }
        assertThat(api.get(ROOT.token(), "/v1/people/root").body()).isEqualTo(before);

        createPerson("second-admin", "admin");
        assertThat(api.post(ROOT.token(), "/v1/people/second-admin/disable", null)
                        .status())
                .as("an administrator who is not the last one can be disabled")
                .isEqualTo(200);
        assertThat(api.post(ROOT.token(), "/v1/people/root/disable", null).status())
                .isEqualTo(409);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            agent role       | {"id": "bad-1", "name": "B", "roles": ["agent"]}      | 400 | /roles/0
            unknown role     | {"id": "bad-2", "name": "B", "roles": ["superuser"]}  | 400 | /roles/0
            no roles         | {"id": "bad-3", "name": "B", "roles": []}             | 400 | /roles
            upper case id    | {"id": "Bad-4", "name": "B", "roles": ["auditor"]}    | 400 | /id
            id with a space  | {"id": "bad 5", "name": "B", "roles": ["auditor"]}    | 400 | /id
            blank name       | {"id": "bad-6", "name": " ", "roles": ["auditor"]}    | 400 | /name
            unknown field    | {"id": "bad-7", "name": "B", "roles": ["auditor"], "token": "x"} | 400 |
            taken id         | {"id": "alice", "name": "B", "roles": ["auditor"]}    | 409 |
            """)
    void invalidNewPeopleAreRefusedAndNothingChanges(String what, String body, int status, String pointer) {
        List<String> before = ids(api.get(ROOT.token(), "/v1/people").body());

        AgentClient.Response refused = api.post(ROOT.token(), "/v1/people", body);

        assertThat(refused.status()).as(what).isEqualTo(status);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        if (pointer != null) {
            assertThat(StreamSupport.stream(refused.body().get("errors").spliterator(), false)
                            .map(e -> e.get("pointer").asString()))
                    .contains(pointer);
        }
        assertThat(ids(api.get(ROOT.token(), "/v1/people").body())).isEqualTo(before);
    }

    @Test
    void invalidRolesForAnExistingPersonChangeNothing() {
        JsonNode before = api.get(ROOT.token(), "/v1/people/alice").body();

        AgentClient.Response refused =
                api.put(ROOT.token(), "/v1/people/alice/roles", "{\"roles\": [\"approver\", \"agent\"]}");

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().get("errors").get(0).get("pointer").asString())
                .isEqualTo("/roles/1");
        assertThat(api.get(ROOT.token(), "/v1/people/alice").body()).isEqualTo(before);
        assertThat(api.get(ALICE.token(), "/v1/approvals").status()).isEqualTo(200);
    }

    @Test
    void rolesChangeTakesEffectOnTheNextCall() {
        String token = createPerson("gina", "approver");

        AgentClient.Response changed = api.put(ROOT.token(), "/v1/people/gina/roles", "{\"roles\": [\"auditor\"]}");

        assertThat(changed.status()).isEqualTo(200);
        assertThat(api.get(token, "/v1/approvals").status()).isEqualTo(403);
        assertThat(api.get(token, "/v1/audit/public-keys").status()).isEqualTo(200);
    }

    @Test
    void onlyAdministratorsManagePeople() {
        assertThat(api.get(ALICE.token(), "/v1/people").status()).isEqualTo(403);
        assertThat(api.get(AGENT.apiKey(), "/v1/people").status()).isEqualTo(403);
        assertThat(api.post(
                                ALICE.token(),
                                "/v1/people",
                                "{\"id\": \"sneaky\", \"name\": \"S\", \"roles\": [\"admin\"]}")
                        .status())
                .isEqualTo(403);
        assertThat(api.get(null, "/v1/people").status()).isEqualTo(401);
        assertThat(api.get(ROOT.token(), "/v1/people/sneaky").status()).isEqualTo(404);
    }

    @Test
    void unknownPeopleAreNotFoundWhateverTheOperation() {
        assertThat(api.get(ROOT.token(), "/v1/people/nobody").status()).isEqualTo(404);
        assertThat(api.put(ROOT.token(), "/v1/people/nobody/roles", "{\"roles\": [\"auditor\"]}")
                        .status())
                .isEqualTo(404);
        assertThat(api.post(ROOT.token(), "/v1/people/nobody/credentials", null).status())
                .isEqualTo(404);
        assertThat(api.delete(ROOT.token(), "/v1/people/nobody/credentials").status())
                .isEqualTo(404);
        assertThat(api.post(ROOT.token(), "/v1/people/nobody/disable", null).status())
                .isEqualTo(404);
    }

    @Test
    void tokensAreNeverSeenAgainInLogsResponsesOrTheDatabase(CapturedOutput output) {
        List<String> tokens = new ArrayList<>();
        tokens.add(createPerson("hank", "approver"));
        tokens.add(api.post(ROOT.token(), "/v1/people/hank/credentials", null).text("token"));
        tokens.add(api.post(ROOT.token(), "/v1/people/hank/credentials", null).text("token"));
        api.get(tokens.getFirst(), "/v1/approvals"); // a refused, revoked token
        api.get(tokens.getLast(), "/v1/approvals");

        List<String> later = List.of(
                api.get(ROOT.token(), "/v1/people").raw().body(),
                api.get(ROOT.token(), "/v1/people/hank").raw().body(),
                api.get(ROOT.token(), "/v1/audit/records?limit=1000").raw().body());
        JdbcClient database = guardian.bean(JdbcClient.class);
        String credentialRows = String.join(
                "\n",
                database.sql("select row_to_json(c)::text from credentials c")
                        .query(String.class)
                        .list());
        String auditRows = String.join(
                "\n",
                database.sql("select row_to_json(a)::text from audit_log a")
                        .query(String.class)
                        .list());

        for (String token : tokens) {
            String hash = HexFormat.of().formatHex(ApiKeys.sha256(token));
            assertThat(output.getAll()).as("logs").doesNotContain(token).doesNotContainIgnoringCase(hash);
            assertThat(String.join("\n", later))
                    .as("later responses")
                    .doesNotContain(token)
                    .doesNotContainIgnoringCase(hash);
            assertThat(auditRows).as("audit log").doesNotContain(token).doesNotContainIgnoringCase(hash);
            assertThat(credentialRows)
                    .as("credentials, which hold only the hash")
                    .doesNotContain(token);
        }
    }

    private static String createPerson(String id, String role) {
        AgentClient.Response created = api.post(
                ROOT.token(),
                "/v1/people",
                "{\"id\": \"" + id + "\", \"name\": \"" + id + "\", \"roles\": [\"" + role + "\"]}");
        assertThat(created.status()).as(created.raw().body()).isEqualTo(201);
        return created.body().get("credential").get("token").asString();
    }

    private static List<String> ids(JsonNode people) {
        return StreamSupport.stream(people.spliterator(), false)
                .map(p -> p.get("id").asString())
                .toList();
    }
}
