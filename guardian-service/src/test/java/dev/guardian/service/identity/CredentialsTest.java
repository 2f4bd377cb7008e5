package dev.guardian.service.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.service.audit.Actor;
import dev.guardian.service.audit.AuditLog;
import dev.guardian.service.testsupport.Concurrently;
import dev.guardian.service.testsupport.TestDatabase;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Tokens on a real PostgreSQL, as the application's restricted role: issued, rotated and revoked with
 * immediate effect, seeded from configuration, refused for retired agents and disabled people, and
 * audited by credential id without ever writing the token or its hash. Each test uses its own subjects.
 */
class CredentialsTest {
    private static final Actor ADMIN = Actor.person("root");

    private static TestDatabase database;
    private static JdbcClient jdbc;
    private static Credentials credentials;
    private static People people;

    @BeforeAll
    static void startDatabase() {
        database = TestDatabase.start();
        jdbc = database.jdbc();
        TransactionTemplate transactions = database.transactions();
        AuditLog audit = database.auditLog(100);
        credentials = new Credentials(jdbc, transactions, audit, Clock.systemUTC());
        people = new People(jdbc, transactions, audit, credentials, Clock.systemUTC());
    }

    @AfterAll
    static void stopDatabase() throws Exception {
        database.close();
    }

    @Test
    void issuedTokenAuthenticatesAsItsPersonWithTheirRolesAndOnlyItsHashIsStored() {
        people.create("issue-person", "Issue Person", Set.of(Role.APPROVER, Role.AUDITOR), ADMIN);

        IssuedToken issued = credentials.issue(Caller.Kind.PERSON, "issue-person", "laptop", ADMIN);

        assertThat(credentials.authenticate(issued.token()))
                .contains(new Caller("issue-person", Caller.Kind.PERSON, Set.of(Role.APPROVER, Role.AUDITOR)));
        byte[] stored = jdbc.sql("select token_sha256 from credentials where id = :id")
                .param("id", issued.credentialId())
                .query(byte[].class)
                .single();
        assertThat(stored).isEqualTo(ApiKeys.sha256(issued.token()));
        assertThat(credentials.active(Caller.Kind.PERSON, "issue-person"))
                .extracting(Credentials.CredentialInfo::label)
                .containsExactly(People.FIRST_TOKEN_LABEL, "laptop");
    }

    @Test
    void rotationRefusesEveryOldTokenFromTheNextCallOn() {
        IssuedToken first = people.create("rotate-person", "Rotate Person", Set.of(Role.TREASURY), ADMIN)
                .token();
        IssuedToken second = credentials.issue(Caller.Kind.PERSON, "rotate-person", "second", ADMIN);

        IssuedToken rotated = credentials.rotate(Caller.Kind.PERSON, "rotate-person", ADMIN);

        assertThat(credentials.authenticate(first.token())).isEmpty();
        assertThat(credentials.authenticate(second.token())).isEmpty();
        assertThat(credentials.authenticate(rotated.token())).map(Caller::id).contains("rotate-person");
        assertThat(credentials.active(Caller.Kind.PERSON, "rotate-person"))
                .extracting(Credentials.CredentialInfo::id)
                .containsExactly(rotated.credentialId());
    }

    @Test
    void revokingAllTokensRefusesThemAndCountsThem() {
        IssuedToken first = people.create("revoke-person", "Revoke Person", Set.of(Role.AUDITOR), ADMIN)
                .token();
        credentials.issue(Caller.Kind.PERSON, "revoke-person", "second", ADMIN);

        assertThat(credentials.revokeAll(Caller.Kind.PERSON, "revoke-person", ADMIN))
                .isEqualTo(2);

        assertThat(credentials.authenticate(first.token())).isEmpty();
        assertThat(credentials.revokeAll(Caller.Kind.PERSON, "revoke-person", ADMIN))
                .isZero();
    }

    @Test
    void concurrentRotationsLeaveExactlyOneActiveToken() throws Exception {
        people.create("busy-person", "Busy Person", Set.of(Role.APPROVER), ADMIN);
        List<IssuedToken> issued =
                Concurrently.run(8, i -> credentials.rotate(Caller.Kind.PERSON, "busy-person", ADMIN));

        assertThat(credentials.active(Caller.Kind.PERSON, "busy-person")).hasSize(1);
        assertThat(issued.stream()
                        .filter(token -> credentials.authenticate(token.token()).isPresent()))
                .hasSize(1);
    }

    @Test
    void agentTokenAuthenticatesOnlyWhileTheAgentIsActive() {
        jdbc.sql("insert into agents (id, name) values ('retiring-bot', 'Retiring bot')")
                .update();
        IssuedToken token = credentials.issue(Caller.Kind.AGENT, "retiring-bot", "first", ADMIN);
        assertThat(credentials.authenticate(token.token()))
                .contains(new Caller("retiring-bot", Caller.Kind.AGENT, Set.of(Role.AGENT)));

        jdbc.sql("update agents set status = 'RETIRED', retired_at = now() where id = 'retiring-bot'")
                .update();

        assertThat(credentials.authenticate(token.token())).isEmpty();
    }

    @Test
    void disabledPersonsTokenIsRefusedAndRevoked() {
        IssuedToken token = people.create("leaving-person", "Leaving Person", Set.of(Role.APPROVER), ADMIN)
                .token();

        people.disable("leaving-person", ADMIN);

        assertThat(credentials.authenticate(token.token())).isEmpty();
        assertThat(credentials.active(Caller.Kind.PERSON, "leaving-person")).isEmpty();
    }

    @Test
    void tokensOfSubjectsThatDoNotExistAreNotIssued() {
        assertThatThrownBy(() -> credentials.issue(Caller.Kind.PERSON, "nobody", "x", ADMIN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no person nobody");
        assertThatThrownBy(() -> credentials.rotate(Caller.Kind.AGENT, "no-bot", ADMIN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no agent no-bot");
    }

    @Test
    void unknownBlankAndOversizedTokensAuthenticateNobody() {
        assertThat(credentials.authenticate(ApiKeys.generate())).isEmpty();
        assertThat(credentials.authenticate("")).isEmpty();
        assertThat(credentials.authenticate(null)).isEmpty();
        assertThat(credentials.authenticate("x".repeat(Credentials.MAX_TOKEN_LENGTH + 1)))
                .isEmpty();
    }

    @Test
    void configuredHashIsStoredOnceAndARevokedOneStaysRevoked() {
        people.create("configured-person", "Configured Person", Set.of(Role.AUDITOR), ADMIN);
        String token = ApiKeys.generate();

        credentials.ensureConfigured(Caller.Kind.PERSON, "configured-person", ApiKeys.sha256(token));
        credentials.ensureConfigured(Caller.Kind.PERSON, "configured-person", ApiKeys.sha256(token));
        assertThat(credentials.active(Caller.Kind.PERSON, "configured-person"))
                .extracting(Credentials.CredentialInfo::label)
                .containsExactly(People.FIRST_TOKEN_LABEL, Credentials.CONFIGURED_LABEL);
        assertThat(credentials.authenticate(token)).map(Caller::id).contains("configured-person");

        credentials.rotate(Caller.Kind.PERSON, "configured-person", ADMIN);
        credentials.ensureConfigured(Caller.Kind.PERSON, "configured-person", ApiKeys.sha256(token));

        assertThat(credentials.authenticate(token))
                .as("a restart does not revive a rotated configured token")
                .isEmpty();
    }

    @Test
    void aNewConfiguredHashReplacesTheOldConfiguredTokenButNotIssuedOnes() {
        people.create("reconfigured", "Reconfigured", Set.of(Role.AUDITOR), ADMIN);
        String before = ApiKeys.generate();
        String after = ApiKeys.generate();
        credentials.ensureConfigured(Caller.Kind.PERSON, "reconfigured", ApiKeys.sha256(before));
        IssuedToken issued = credentials.issue(Caller.Kind.PERSON, "reconfigured", "script", ADMIN);

        credentials.ensureConfigured(Caller.Kind.PERSON, "reconfigured", ApiKeys.sha256(after));

        assertThat(credentials.authenticate(before)).isEmpty();
        assertThat(credentials.authenticate(after)).isPresent();
        assertThat(credentials.authenticate(issued.token())).isPresent();
    }

    @Test
    void aConfiguredHashThatIsAlreadyAnotherSubjectsTokenIsRefused() {
        IssuedToken theirs = people.create("owner-person", "Owner", Set.of(Role.AUDITOR), ADMIN)
                .token();
        people.create("copycat", "Copycat", Set.of(Role.AUDITOR), ADMIN);

        assertThatThrownBy(() ->
                        credentials.ensureConfigured(Caller.Kind.PERSON, "copycat", ApiKeys.sha256(theirs.token())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("person copycat")
                .hasMessageContaining("person owner-person")
                .hasMessageNotContaining(theirs.token());
        assertThat(credentials.authenticate(theirs.token())).map(Caller::id).contains("owner-person");
    }

    @Test
    void auditRecordsNameTheCredentialButNeverTheTokenNorItsHash() {
        IssuedToken created = people.create("audited-person", "Audited", Set.of(Role.AUDITOR), ADMIN)
                .token();
        IssuedToken rotated = credentials.rotate(Caller.Kind.PERSON, "audited-person", ADMIN);
        credentials.revokeAll(Caller.Kind.PERSON, "audited-person", ADMIN);

        List<String> records = jdbc.sql("""
                select event || ' ' || actor || ' ' || payload::text from audit_log
                where payload ->> 'subjectId' = 'audited-person' or payload ->> 'person' = 'audited-person' order by seq
                """).query(String.class).list();

        assertThat(records).hasSize(4);
        assertThat(records.get(0)).startsWith("person-created person:root");
        assertThat(records.get(1))
                .startsWith("credential-issued person:root")
                .contains(created.credentialId().toString());
        assertThat(records.get(2))
                .startsWith("credential-rotated person:root")
                .contains(
                        rotated.credentialId().toString(),
                        created.credentialId().toString());
        assertThat(records.get(3))
                .startsWith("credentials-revoked person:root")
                .contains(rotated.credentialId().toString());
        for (IssuedToken token : List.of(created, rotated)) {
            String hashHex = HexFormat.of().formatHex(ApiKeys.sha256(token.token()));
            assertThat(String.join("\n", records)).doesNotContain(token.token()).doesNotContainIgnoringCase(hashHex);
        }
    }

    @Test
    void issuedTokenNeverShowsInItsStringForm() {
        IssuedToken issued = new IssuedToken(UUID.randomUUID(), ApiKeys.generate());

        assertThat(issued.toString())
                .doesNotContain(issued.token())
                .contains(issued.credentialId().toString());
    }
}
