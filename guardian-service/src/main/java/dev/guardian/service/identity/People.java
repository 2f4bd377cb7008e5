package dev.guardian.service.identity;

import dev.guardian.policy.Hex;
import dev.guardian.service.audit.Actor;
import dev.guardian.service.audit.AuditLog;
import dev.guardian.service.locks.AdvisoryLocks;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The people who use Guardian besides agents, kept in the database: created and managed by
 * administrators through the API, or named in configuration. Every change is audited in its own
 * transaction.
 *
 * <p>Guardian never lets itself be left without an administrator: a change that would leave no
 * <em>active</em> administrator (a person who is not disabled, holds {@link Role#ADMIN} and has a
 * usable token) is refused. The check and the change run under one advisory lock, so two
 * administrators demoting each other at the same moment cannot both succeed; the first start takes the
 * same lock to create the initial administrator exactly once across instances.
 */
public class People {
    /** What a person's id may look like; configuration and the API check the same form. */
    public static final String ID_PATTERN = "[a-z0-9][a-z0-9.@_-]{0,62}";

    public static final String ID_RULE =
            "must be 1-63 lower case letters, digits or . @ _ -, starting with a letter or digit";
    /** The id of the administrator created at first start. */
    public static final String INITIAL_ADMIN = "admin";

    static final String FIRST_TOKEN_LABEL = "created";
    public static final int MAX_NAME_LENGTH = 200;

    private static final Pattern ID = Pattern.compile(ID_PATTERN);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final AuditLog audit;
    private final Credentials credentials;
    private final Clock clock;

    People(JdbcClient jdbc, TransactionTemplate transactions, AuditLog audit, Credentials credentials, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.audit = audit;
        this.credentials = credentials;
        this.clock = clock;
    }

    /** A new person and the first token, shown once. */
    public record Created(Person person, IssuedToken token) {}

    /**
     * Creates a person with these roles and issues their first token.
     *
     * @throws IllegalArgumentException         if the id, name or roles are not valid
     * @throws PeopleChangeRefusedException if the id is taken
     */
    public Created create(String id, String name, Set<Role> roles, Actor by) {
        requireValidId(id);
        requireValidName(name);
        requireValidRoles(roles);
        return transactions.execute(tx -> {
            if (!insertPerson(id, name, roles, by)) {
                throw new PeopleChangeRefusedException(
                        PeopleChangeRefusedException.Why.ALREADY_EXISTS, "person " + id + " exists already");
            }
            IssuedToken token = credentials.issue(Caller.Kind.PERSON, id, FIRST_TOKEN_LABEL, by);
            return new Created(find(id).orElseThrow(), token);
        });
    }

    public List<Person> list() {
        return jdbc
                .sql("select id, name, roles, created_at, created_by, disabled_at from people order by id")
                .query(People::row)
                .list()
                .stream()
                .map(this::withCredentials)
                .toList();
    }

    public Optional<Person> find(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            return Optional.empty();
        }
        return jdbc.sql("select id, name, roles, created_at, created_by, disabled_at from people where id = :id")
                .param("id", id)
                .query(People::row)
                .optional()
                .map(this::withCredentials);
    }

    /** Whether a person with this id exists in Guardian and is disabled (people signing in by OIDC need not exist). */
    public boolean isDisabled(String id) {
        return jdbc.sql("select disabled_at is not null from people where id = :id")
                .param("id", id)
                .query(Boolean.class)
                .optional()
                .orElse(false);
    }

    /** Replaces the person's roles. Refused for a disabled person, and if it would remove the last active administrator. */
    public Person changeRoles(String id, Set<Role> roles, Actor by) {
        requireValidRoles(roles);
        return transactions.execute(tx -> {
            lockPeople();
            Person person = existing(id);
            requireEnabled(person);
            if (person.roles().equals(Set.copyOf(roles))) {
                return person;
            }
            if (!roles.contains(Role.ADMIN)) {
                requireAnotherActiveAdmin(person, "take the admin role from " + id);
            }
            jdbc.sql("update people set roles = string_to_array(:roles, ',') where id = :id")
                    .param("roles", rolesText(roles))
                    .param("id", id)
                    .update();
            audit.append(
                    new IdentityEvents.PersonUpdated(
                            id, person.name(), sorted(roles), sorted(person.roles()), Optional.empty()),
                    by);
            return existing(id);
        });
    }

    /** Revokes the person's tokens and issues a new one; the old ones stop working on the next request. */
    public IssuedToken rotate(String id, Actor by) {
        return transactions.execute(tx -> {
            lockPeople();
            requireEnabled(existing(id));
            return credentials.rotate(Caller.Kind.PERSON, id, by);
        });
    }

    /** Revokes every token of the person; refused if that would leave no active administrator. */
    public int revokeAll(String id, Actor by) {
        return transactions.execute(tx -> {
            lockPeople();
            Person person = existing(id);
            requireAnotherActiveAdmin(person, "revoke the tokens of " + id);
            return credentials.revokeAll(Caller.Kind.PERSON, id, by);
        });
    }

    /**
     * Disables the person for good: their tokens are revoked and refused from the next request on.
     * Disabling someone already disabled changes nothing. Refused if it would leave no active administrator.
     */
    public Person disable(String id, Actor by) {
        return transactions.execute(tx -> {
            lockPeople();
            Person person = existing(id);
            if (person.disabled()) {
                return person;
            }
            requireAnotherActiveAdmin(person, "disable " + id);
            jdbc.sql("update people set disabled_at = :at where id = :id")
                    .param("at", now())
                    .param("id", id)
                    .update();
            audit.append(new IdentityEvents.PersonDisabled(id), by);
            credentials.revokeAll(Caller.Kind.PERSON, id, by);
            return existing(id);
        });
    }

    /**
     * Writes the configured people into the database and seeds their configured token hashes. A
     * configured person's name and roles follow the configuration at every start (an administrator's
     * change through the API lasts until the next start); a person disabled through the API stays
     * disabled. Checks the whole list before writing anything.
     *
     * @throws IllegalArgumentException naming the property, if an entry is invalid
     */
    void loadConfigured(List<PeopleProperties.Person> configured) {
        validateConfigured(configured);
        for (PeopleProperties.Person entry : configured) {
            String name = entry.name() == null || entry.name().isBlank()
                    ? entry.id()
                    : entry.name().strip();
            Set<Role> roles = EnumSet.copyOf(entry.roles());
            transactions.executeWithoutResult(tx -> {
                lockPeople();
                Optional<Person> stored = find(entry.id());
                if (stored.isEmpty()) {
                    insertPerson(entry.id(), name, roles, Actor.CONFIGURATION);
                } else if (!stored.get().name().equals(name)
                        || !stored.get().roles().equals(roles)) {
                    jdbc.sql("update people set name = :name, roles = string_to_array(:roles, ',') where id = :id")
                            .param("name", name)
                            .param("roles", rolesText(roles))
                            .param("id", entry.id())
                            .update();
                    audit.append(
                            new IdentityEvents.PersonUpdated(
                                    entry.id(),
                                    name,
                                    sorted(roles),
                                    sorted(stored.get().roles()),
                                    Optional.empty()),
                            Actor.CONFIGURATION);
                }
                credentials.ensureConfigured(Caller.Kind.PERSON, entry.id(), Hex.decode(entry.apiKeySha256()));
            });
        }
    }

    /**
     * If no active administrator exists, makes person {@value #INITIAL_ADMIN} one (creating it, or
     * re-enabling it with the admin role if it exists) with a new token, and hands the token to
     * {@code handOver} inside the same transaction: if the hand-over fails, nothing is created. Runs
     * under the people lock, so instances starting together create one administrator.
     *
     * @return the new token's credential, or empty if an active administrator already existed
     */
    Optional<IssuedToken> ensureAdministrator(Consumer<IssuedToken> handOver) {
        return transactions.execute(tx -> {
            lockPeople();
            if (activeAdmins() > 0) {
                return Optional.empty();
            }
            Optional<Person> stored = find(INITIAL_ADMIN);
            if (stored.isEmpty()) {
                Set<Role> roles = EnumSet.of(Role.ADMIN);
                String name = "Initial administrator";
                insertPerson(INITIAL_ADMIN, name, roles, Actor.CONFIGURATION);
            } else {
                Set<Role> roles = EnumSet.copyOf(stored.get().roles());
                roles.add(Role.ADMIN);
                jdbc.sql("update people set roles = string_to_array(:roles, ','), disabled_at = null where id = :id")
                        .param("roles", rolesText(roles))
                        .param("id", INITIAL_ADMIN)
                        .update();
                audit.append(
                        new IdentityEvents.PersonUpdated(
                                INITIAL_ADMIN,
                                stored.get().name(),
                                sorted(roles),
                                sorted(stored.get().roles()),
                                Optional.of("no active administrator at start")),
                        Actor.CONFIGURATION);
                credentials.revokeAll(Caller.Kind.PERSON, INITIAL_ADMIN, Actor.CONFIGURATION);
            }
            IssuedToken token = credentials.issue(
                    Caller.Kind.PERSON, INITIAL_ADMIN, Credentials.INITIAL_ADMIN_LABEL, Actor.CONFIGURATION);
            handOver.accept(token);
            return Optional.of(token);
        });
    }

    private void requireAnotherActiveAdmin(Person person, String what) {
        boolean isActiveAdmin = !person.disabled()
                && person.roles().contains(Role.ADMIN)
                && !person.credentials().isEmpty();
        if (isActiveAdmin && activeAdminsOtherThan(person.id()) == 0) {
            throw new PeopleChangeRefusedException(
                    PeopleChangeRefusedException.Why.LAST_ADMIN,
                    "cannot " + what + ": "
                            + person.id()
                            + " is the last active administrator, and Guardian would have nobody left to manage it."
                            + " Make another person an administrator first.");
        }
    }

    private int activeAdmins() {
        return activeAdminsOtherThan("");
    }

    /** People other than {@code id} who are not disabled, hold the admin role and have a usable token. */
    private int activeAdminsOtherThan(String id) {
        return jdbc.sql("""
                select count(*) from people p
                where p.id <> :id and p.disabled_at is null and 'ADMIN' = any (p.roles)
                  and exists (select 1 from credentials c
                              where c.subject_kind = 'PERSON' and c.subject_id = p.id and c.revoked_at is null)
                """).param("id", id).query(Integer.class).single();
    }

    private void lockPeople() {
        AdvisoryLocks.exclusive(jdbc, AdvisoryLocks.Lock.PEOPLE);
    }

    private Person existing(String id) {
        return find(id).orElseThrow(() -> new PeopleChangeRefusedException(
                PeopleChangeRefusedException.Why.NOT_FOUND, "there is no person " + id));
    }

    private static void requireEnabled(Person person) {
        if (person.disabled()) {
            throw new PeopleChangeRefusedException(
                    PeopleChangeRefusedException.Why.DISABLED,
                    "person " + person.id() + " is disabled; create a new person instead");
        }
    }

    /** A row of {@code people}, before its credentials are read (a second query, never nested in the first). */
    private static Person row(ResultSet rs, int row) throws SQLException {
        return new Person(
                rs.getString("id"),
                rs.getString("name"),
                Credentials.roles(rs.getArray("roles")),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getString("created_by"),
                Optional.ofNullable(rs.getObject("disabled_at", OffsetDateTime.class)),
                List.of());
    }

    private Person withCredentials(Person person) {
        return new Person(
                person.id(),
                person.name(),
                person.roles(),
                person.createdAt(),
                person.createdBy(),
                person.disabledAt(),
                credentials.active(Caller.Kind.PERSON, person.id()));
    }

    static void requireValidId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("a person's id " + ID_RULE);
        }
    }

    static void requireValidName(String name) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw new IllegalArgumentException("a person's name is 1-" + MAX_NAME_LENGTH + " characters");
        }
    }

    static void requireValidRoles(Collection<Role> roles) {
        if (roles == null || roles.isEmpty()) {
            throw new IllegalArgumentException("a person holds at least one role");
        }
        if (roles.contains(Role.AGENT)) {
            throw new IllegalArgumentException("a person cannot hold the agent role");
        }
    }

    /** Checks the configured people as a whole, naming the offending property. */
    static void validateConfigured(List<PeopleProperties.Person> configured) {
        Set<String> ids = new HashSet<>();
        Set<String> hashes = new HashSet<>();
        for (int i = 0; i < configured.size(); i++) {
            PeopleProperties.Person person = configured.get(i);
            String path = "guardian.people[" + i + "]";
            if (person.id() == null || !ID.matcher(person.id()).matches()) {
                throw new IllegalArgumentException(path + ".id " + ID_RULE);
            }
            if (!ids.add(person.id())) {
                throw new IllegalArgumentException(path + ".id: person " + person.id() + " is configured twice");
            }
            if (person.roles() == null || person.roles().isEmpty()) {
                throw new IllegalArgumentException(path + ".roles: a person holds at least one role");
            }
            if (person.roles().contains(Role.AGENT)) {
                throw new IllegalArgumentException(path + ".roles: a person cannot hold the agent role");
            }
            if (person.name() != null && person.name().length() > MAX_NAME_LENGTH) {
                throw new IllegalArgumentException(path + ".name: at most " + MAX_NAME_LENGTH + " characters");
            }
            byte[] hash;
            try {
                hash = Hex.decode(person.apiKeySha256());
            } catch (IllegalArgumentException | NullPointerException e) {
                throw new IllegalArgumentException(
                        path + ".api-key-sha256: must be 64 hex digits (SHA-256 of the API token)");
            }
            if (hash.length != 32) {
                throw new IllegalArgumentException(
                        path + ".api-key-sha256: must be 64 hex digits (SHA-256 of the API token)");
            }
            if (!hashes.add(Hex.encode(hash))) {
                throw new IllegalArgumentException(
                        path + ".api-key-sha256: the same token is configured for two people");
            }
        }
    }

    private static List<String> sorted(Set<Role> roles) {
        return roles.stream().sorted().map(Role::name).toList();
    }

    /** The roles as PostgreSQL's {@code string_to_array(:roles, ',')} reads them into {@code text[]}. */
    private static String rolesText(Collection<Role> roles) {
        return EnumSet.copyOf(roles).stream().map(Role::name).collect(Collectors.joining(","));
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    /** Inserts a new person and audits {@code person-created}; false (and nothing written) if the id is taken. */
    private boolean insertPerson(String id, String name, Set<Role> roles, Actor by) {
        int inserted = jdbc.sql("""
                insert into people (id, name, roles, created_at, created_by) values (:id, :name, string_to_array(:roles, ','), :at, :by)
                on conflict (id) do nothing
                """)
                .param("id", id)
                .param("name", name)
                .param("roles", rolesText(roles))
                .param("at", now())
                .param("by", by.value())
                .update();
        if (inserted == 1) {
            audit.append(new IdentityEvents.PersonCreated(id, name, sorted(roles)), by);
        }
        return inserted == 1;
    }
}
