package dev.guardian.service.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.service.audit.Actor;
import dev.guardian.service.audit.AuditLog;
import dev.guardian.service.testsupport.Concurrently;
import dev.guardian.service.testsupport.TestDatabase;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * People on a real PostgreSQL: Guardian is never left without an active administrator, not even when
 * two administrators demote each other at the same moment; the initial administrator is created once
 * however many callers race; configured people follow their configuration. Each test has its own
 * database, because "is there an administrator?" is a question about all of it.
 */
class PeopleTest {
    private static final Actor CONFIGURATION = Actor.CONFIGURATION;

    private TestDatabase database;
    private JdbcClient jdbc;
    private Credentials credentials;
    private People people;

    @BeforeEach
    void startDatabase() {
        database = TestDatabase.start();
        jdbc = database.jdbc();
        TransactionTemplate transactions = database.transactions();
        AuditLog audit = database.auditLog(100);
        credentials = new Credentials(jdbc, transactions, audit, Clock.systemUTC());
        people = new People(jdbc, transactions, audit, credentials, Clock.systemUTC());
    }

    @AfterEach
    void stopDatabase() throws Exception {
        database.close();
    }

    @Test
    void theLastActiveAdministratorCannotBeDemotedDisabledOrLeftWithoutTokens() {
        IssuedToken token = people.create("root", "Root", Set.of(Role.ADMIN, Role.AUDITOR), CONFIGURATION)
                .token();
        long recordsBefore = auditRecords();

        for (Runnable change : List.<Runnable>of(
                () -> people.changeRoles("root", Set.of(Role.AUDITOR), Actor.person("root")),
                () -> people.disable("root", Actor.person("root")),
                () -> people.revokeAll("root", Actor.person("root")))) {
            assertThatThrownBy(change::run)
                    .isInstanceOfSatisfying(
                            PeopleChangeRefusedException.class,
                            refused ->
                                    assertThat(refused.why()).isEqualTo(PeopleChangeRefusedException.Why.LAST_ADMIN));
        }

        Person root = people.find("root").orElseThrow();
        assertThat(root.roles()).containsExactlyInAnyOrder(Role.ADMIN, Role.AUDITOR);
        assertThat(root.disabled()).isFalse();
        assertThat(credentials.authenticate(token.token())).isPresent();
        assertThat(auditRecords()).as("nothing recorded for refused changes").isEqualTo(recordsBefore);
    }

    @Test
    void anAdministratorMayStepDownOnceAnotherOneIsActive() {
        people.create("root", "Root", Set.of(Role.ADMIN), CONFIGURATION);
        people.create("second", "Second", Set.of(Role.ADMIN), Actor.person("root"));

        Person root = people.changeRoles("root", Set.of(Role.AUDITOR), Actor.person("second"));

        assertThat(root.roles()).containsExactly(Role.AUDITOR);
        assertThatThrownBy(() -> people.disable("second", Actor.person("second")))
                .isInstanceOf(PeopleChangeRefusedException.class);
    }

    @Test
    void anAdministratorWithoutUsableTokensDoesNotCountAsActive() {
        people.create("root", "Root", Set.of(Role.ADMIN), CONFIGURATION);
        people.create("tokenless", "Tokenless", Set.of(Role.ADMIN), Actor.person("root"));
        people.revokeAll("tokenless", Actor.person("root"));

        assertThatThrownBy(() -> people.disable("root", Actor.person("root")))
                .isInstanceOfSatisfying(
                        PeopleChangeRefusedException.class,
                        refused -> assertThat(refused.why()).isEqualTo(PeopleChangeRefusedException.Why.LAST_ADMIN));
    }

    @Test
    void twoAdministratorsDemotingEachOtherAtOnceLeaveOneAdministrator() throws Exception {
        people.create("ann", "Ann", Set.of(Role.ADMIN), CONFIGURATION);
        people.create("ben", "Ben", Set.of(Role.ADMIN), CONFIGURATION);
        for (int round = 0; round < 10; round++) {
            List<Optional<PeopleChangeRefusedException>> outcomes = race(
                    () -> people.changeRoles("ann", Set.of(Role.AUDITOR), Actor.person("ben")),
                    () -> people.changeRoles("ben", Set.of(Role.AUDITOR), Actor.person("ann")));

            assertThat(outcomes.stream().filter(Optional::isPresent))
                    .as("exactly one demotion is refused")
                    .hasSize(1);
            assertThat(people.list().stream().filter(p -> p.roles().contains(Role.ADMIN)))
                    .hasSize(1);
            people.changeRoles("ann", Set.of(Role.ADMIN), CONFIGURATION);
            people.changeRoles("ben", Set.of(Role.ADMIN), CONFIGURATION);
        }
    }

    @Test
    void theInitialAdministratorIsCreatedOnceHoweverManyCallersRace() throws Exception {
        List<IssuedToken> handedOver = Collections.synchronizedList(new ArrayList<>());
        long created = Concurrently.run(6, i -> people.ensureAdministrator(handedOver::add)).stream()
                .filter(Optional::isPresent)
                .count();

        assertThat(created).isEqualTo(1);
        assertThat(handedOver).hasSize(1);
        assertThat(credentials.authenticate(handedOver.getFirst().token()))
                .contains(new Caller(People.INITIAL_ADMIN, Caller.Kind.PERSON, Set.of(Role.ADMIN)));
        assertThat(people.ensureAdministrator(handedOver::add)).isEmpty();
    }

    @Test
    void theInitialAdministratorIsNotCreatedWhenTheHandOverFails() {
        assertThatThrownBy(() -> people.ensureAdministrator(token -> {
                    throw new IllegalStateException("disk full");
                }))
                .hasMessage("disk full");

        assertThat(people.find(People.INITIAL_ADMIN)).isEmpty();
        assertThat(jdbc.sql("select count(*) from credentials")
                        .query(Long.class)
                        .single())
                .isZero();
    }

    @Test
    void aStartWithoutActiveAdministratorRevivesTheInitialAdministratorWithANewToken() {
        IssuedToken first = people.ensureAdministrator(token -> {}).orElseThrow();
        people.create("helper", "Helper", Set.of(Role.ADMIN), Actor.person("admin"));
        people.disable(People.INITIAL_ADMIN, Actor.person("helper"));
        jdbc.sql("update people set disabled_at = now() where id = 'helper'").update(); // e.g. by hand in the database

        IssuedToken revived = people.ensureAdministrator(token -> {}).orElseThrow();

        assertThat(credentials.authenticate(first.token())).isEmpty();
        assertThat(credentials.authenticate(revived.token())).map(Caller::roles).contains(Set.of(Role.ADMIN));
    }

    @Test
    void configuredPeopleAreCreatedThenFollowTheirConfigurationButStayDisabled() {
        String token = ApiKeys.generate();
        String hash = HexFormat.of().formatHex(ApiKeys.sha256(token));
        people.loadConfigured(List.of(new PeopleProperties.Person("alice", null, hash, List.of(Role.APPROVER))));
        assertThat(credentials.authenticate(token))
                .contains(new Caller("alice", Caller.Kind.PERSON, Set.of(Role.APPROVER)));
        assertThat(people.find("alice").orElseThrow().name()).isEqualTo("alice");

        people.loadConfigured(List.of(
                new PeopleProperties.Person("alice", "Alice", "0x" + hash, List.of(Role.APPROVER, Role.AUDITOR))));
        assertThat(credentials.authenticate(token)).map(Caller::roles).contains(Set.of(Role.APPROVER, Role.AUDITOR));
        assertThat(people.find("alice").orElseThrow().name()).isEqualTo("Alice");

        people.disable("alice", CONFIGURATION);
        people.loadConfigured(List.of(new PeopleProperties.Person("alice", "Alice", hash, List.of(Role.APPROVER))));
        assertThat(people.find("alice").orElseThrow().disabled()).isTrue();
        assertThat(credentials.authenticate(token)).isEmpty();
        assertThat(jdbc.sql("select count(*) from audit_log where event = 'person-updated'")
                        .query(Long.class)
                        .single())
                .as("one record per real change")
                .isEqualTo(2);
    }

    @Test
    void invalidConfiguredPeopleFailNamingTheProperty() {
        String hash = HexFormat.of().formatHex(ApiKeys.sha256(ApiKeys.generate()));
        String other = HexFormat.of().formatHex(ApiKeys.sha256(ApiKeys.generate()));
        PeopleProperties.Person alice = new PeopleProperties.Person("alice", null, hash, List.of(Role.APPROVER));

        assertThatThrownBy(() -> people.loadConfigured(
                        List.of(alice, new PeopleProperties.Person("alice", null, other, List.of(Role.AUDITOR)))))
                .hasMessageStartingWith("guardian.people[1].id");
        assertThatThrownBy(() -> people.loadConfigured(
                        List.of(alice, new PeopleProperties.Person("bob", null, hash, List.of(Role.AUDITOR)))))
                .hasMessageStartingWith("guardian.people[1].api-key-sha256");
        assertThatThrownBy(() -> people.loadConfigured(
                        List.of(new PeopleProperties.Person("bot", null, hash, List.of(Role.AGENT)))))
                .hasMessageStartingWith("guardian.people[0].roles");
        assertThat(people.list())
                .as("nothing written when any entry is invalid")
                .isEmpty();
    }

    private long auditRecords() {
        return jdbc.sql("select count(*) from audit_log").query(Long.class).single();
    }

    /** Runs both changes at once; for each, the refusal it ended in, if any. */
    private static List<Optional<PeopleChangeRefusedException>> race(Runnable first, Runnable second) {
        List<Runnable> changes = List.of(first, second);
        return Concurrently.run(2, i -> {
            try {
                changes.get(i).run();
                return Optional.<PeopleChangeRefusedException>empty();
            } catch (PeopleChangeRefusedException refused) {
                return Optional.of(refused);
            }
        });
    }
}
