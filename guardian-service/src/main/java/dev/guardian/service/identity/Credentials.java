package dev.guardian.service.identity;

import dev.guardian.service.audit.Actor;
import dev.guardian.service.audit.AuditLog;
import java.security.MessageDigest;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The bearer tokens of people and agents, kept in the database as SHA-256 hashes only. Nothing is
 * cached: every call looks its token up, so a rotation or revocation takes effect on the very next
 * request, on every instance. Each change is audited in the transaction that makes it; the audit
 * payloads name the subject and the credential ids, never a token or its hash.
 *
 * <p>Changes to one subject's tokens run under a row lock on the subject (its {@code people} or
 * {@code agents} row), so two rotations at once leave exactly one active token, not two.
 */
public class Credentials {
    /** The label of a token whose hash came from configuration. */
    public static final String CONFIGURED_LABEL = "configuration";
    /** The label of the token created at first start for the initial administrator. */
    static final String INITIAL_ADMIN_LABEL = "initial-admin";

    static final String ROTATED_LABEL = "rotation";

    private static final Logger log = LoggerFactory.getLogger(Credentials.class);
    private static final Pattern SUBJECT_ID = Pattern.compile("[A-Za-z0-9.@_-]{1,64}");
    private static final int MAX_LABEL_LENGTH = 100;
    /** Guardian's tokens are 47 characters; anything much longer is not one and is not even hashed. */
    static final int MAX_TOKEN_LENGTH = 200;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final AuditLog audit;
    private final Clock clock;

    Credentials(JdbcClient jdbc, TransactionTemplate transactions, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.audit = audit;
        this.clock = clock;
    }

    /** What one stored credential says about itself; never its hash. */
    public record CredentialInfo(UUID id, String label, OffsetDateTime createdAt, String createdBy) {}

    /** A token that authenticated: the caller, and which credential it was. */
    record Authenticated(Caller caller, UUID credentialId, String label) {}

    /**
     * Issues a new token for the subject, stores only its SHA-256 and returns the token, which is shown
     * to its owner once. The subject must exist.
     *
     * @param label what the token is for, e.g. {@code ci-pipeline}; shown in listings
     * @param by    who issues it
     */
    public IssuedToken issue(Caller.Kind kind, String subjectId, String label, Actor by) {
        requireSubject(kind, subjectId);
        requireLabel(label);
        return transactions.execute(tx -> {
            lockSubject(kind, subjectId);
            IssuedToken issued = insertNew(kind, subjectId, label, by);
            audit.append(
                    new IdentityEvents.CredentialIssued(
                            IdentityEvents.Subject.of(kind, subjectId),
                            issued.credentialId().toString(),
                            label),
                    by);
            return issued;
        });
    }

    /**
     * Revokes every active token of the subject and issues a new one, in one transaction: the old
     * tokens stop working on the next request, and the subject is never left with two.
     */
    public IssuedToken rotate(Caller.Kind kind, String subjectId, Actor by) {
        requireSubject(kind, subjectId);
        return transactions.execute(tx -> {
            lockSubject(kind, subjectId);
            List<String> revoked = revoke(kind, subjectId, by);
            IssuedToken issued = insertNew(kind, subjectId, ROTATED_LABEL, by);
            audit.append(
                    new IdentityEvents.CredentialRotated(
                            IdentityEvents.Subject.of(kind, subjectId),
                            issued.credentialId().toString(),
                            revoked),
                    by);
            return issued;
        });
    }

    /** Revokes every active token of the subject and returns how many there were. */
    public int revokeAll(Caller.Kind kind, String subjectId, Actor by) {
        requireSubject(kind, subjectId);
        return transactions.execute(tx -> {
            lockSubject(kind, subjectId);
            List<String> revoked = revoke(kind, subjectId, by);
            if (!revoked.isEmpty()) {
                audit.append(
                        new IdentityEvents.CredentialsRevoked(
                                IdentityEvents.Subject.of(kind, subjectId), revoked, Optional.empty()),
                        by);
            }
            return revoked.size();
        });
    }

    /**
     * Stores a token hash that configuration names for the subject, unless that exact hash is stored
     * already. A hash that was stored and later revoked stays revoked: a rotation through the API
     * outlives restarts. When configuration replaces a subject's hash, the subject's earlier
     * configured token is revoked, because the operator meant to replace it; tokens issued through the
     * API are left alone.
     *
     * @throws IllegalStateException if the hash is already another subject's token
     */
    public void ensureConfigured(Caller.Kind kind, String subjectId, byte[] tokenSha256) {
        requireSubject(kind, subjectId);
        if (tokenSha256 == null || tokenSha256.length != 32) {
            throw new IllegalArgumentException("a token hash is 32 bytes (SHA-256)");
        }
        transactions.executeWithoutResult(tx -> {
            if (alreadyStored(kind, subjectId, tokenSha256)) {
                return;
            }
            lockSubject(kind, subjectId);
            UUID id = UUID.randomUUID();
            int inserted = jdbc.sql("""
                    insert into credentials (id, subject_kind, subject_id, token_sha256, label, created_at, created_by)
                    values (:id, :kind, :subject, :hash, :label, :at, :by)
                    on conflict (token_sha256) do nothing
                    """)
                    .param("id", id)
                    .param("kind", kind.name())
                    .param("subject", subjectId)
                    .param("hash", tokenSha256)
                    .param("label", CONFIGURED_LABEL)
                    .param("at", now())
                    .param("by", Actor.CONFIGURATION.value())
                    .update();
            if (inserted == 0) {
                alreadyStored(kind, subjectId, tokenSha256); // another instance stored it first; check whose it is
                return;
            }
            List<String> replaced = jdbc
                    .sql("""
                    update credentials set revoked_at = :at, revoked_by = :by
                    where subject_kind = :kind and subject_id = :subject and revoked_at is null
                      and label = :label and id <> :id
                    returning id
                    """)
                    .param("at", now())
                    .param("by", Actor.CONFIGURATION.value())
                    .param("kind", kind.name())
                    .param("subject", subjectId)
                    .param("label", CONFIGURED_LABEL)
                    .param("id", id)
                    .query(UUID.class)
                    .list()
                    .stream()
                    .map(UUID::toString)
                    .sorted()
                    .toList();
            IdentityEvents.Subject subject = IdentityEvents.Subject.of(kind, subjectId);
            audit.append(
                    new IdentityEvents.CredentialIssued(subject, id.toString(), CONFIGURED_LABEL), Actor.CONFIGURATION);
            if (!replaced.isEmpty()) {
                audit.append(
                        new IdentityEvents.CredentialsRevoked(subject, replaced, Optional.of(id.toString())),
                        Actor.CONFIGURATION);
            }
        });
    }

    /**
     * The caller this token belongs to, if it is an active credential of an active agent or of a
     * person who is not disabled. An unknown, revoked or retired token all give the same empty answer.
     */
    public Optional<Caller> authenticate(String token) {
        return lookup(token).map(Authenticated::caller);
    }

    /** The active credentials of a subject, oldest first: what they are, never their hashes. */
    public List<CredentialInfo> active(Caller.Kind kind, String subjectId) {
        return jdbc.sql("""
                select id, label, created_at, created_by from credentials
                where subject_kind = :kind and subject_id = :subject and revoked_at is null
                order by created_at, id
                """)
                .param("kind", kind.name())
                .param("subject", subjectId)
                .query((rs, n) -> new CredentialInfo(
                        rs.getObject("id", UUID.class),
                        rs.getString("label"),
                        rs.getObject("created_at", OffsetDateTime.class),
                        rs.getString("created_by")))
                .list();
    }

    Optional<Authenticated> lookup(String token) {
        if (token == null || token.isBlank() || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        byte[] hash = ApiKeys.sha256(token);
        return jdbc.sql("""
                select c.id, c.subject_kind, c.subject_id, c.label, c.token_sha256, p.roles
                from credentials c
                left join people p on c.subject_kind = 'PERSON' and p.id = c.subject_id
                left join agents a on c.subject_kind = 'AGENT' and a.id = c.subject_id
                where c.token_sha256 = :hash and c.revoked_at is null
                  and ((c.subject_kind = 'PERSON' and p.id is not null and p.disabled_at is null)
                    or (c.subject_kind = 'AGENT' and a.status = 'ACTIVE'))
                """)
                .param("hash", hash)
                // The index found the row by hash; the comparison in constant time is a belt to those braces.
                .query((rs, n) -> MessageDigest.isEqual(hash, rs.getBytes("token_sha256")) ? authenticated(rs) : null)
                .optional();
    }

    private static Authenticated authenticated(ResultSet rs) throws SQLException {
        Caller.Kind kind = Caller.Kind.valueOf(rs.getString("subject_kind"));
        String id = rs.getString("subject_id");
        Set<Role> roles = kind == Caller.Kind.AGENT ? Set.of(Role.AGENT) : roles(rs.getArray("roles"));
        return new Authenticated(new Caller(id, kind, roles), rs.getObject("id", UUID.class), rs.getString("label"));
    }

    static Set<Role> roles(Array array) throws SQLException {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (Object name : (Object[]) array.getArray()) {
            roles.add(Role.valueOf((String) name));
        }
        return roles;
    }

    /** Whether this hash is stored for this subject (active or not); throws if it belongs to someone else. */
    private boolean alreadyStored(Caller.Kind kind, String subjectId, byte[] hash) {
        record Owner(String kind, String subject, boolean revoked) {}
        Optional<Owner> owner = jdbc.sql(
                        "select subject_kind, subject_id, revoked_at is not null as revoked from credentials where token_sha256 = :hash")
                .param("hash", hash)
                .query((rs, n) ->
                        new Owner(rs.getString("subject_kind"), rs.getString("subject_id"), rs.getBoolean("revoked")))
                .optional();
        if (owner.isEmpty()) {
            return false;
        }
        if (!owner.get().kind().equals(kind.name()) || !owner.get().subject().equals(subjectId)) {
            throw new IllegalStateException(
                    "the token configured for " + describe(kind, subjectId) + " is already the token of "
                            + describe(
                                    Caller.Kind.valueOf(owner.get().kind()),
                                    owner.get().subject()) + "; every subject needs its own token");
        }
        if (owner.get().revoked()) {
            log.warn(
                    "the token configured for {} was revoked and stays revoked; configure a new token hash or issue one"
                            + " through the API",
                    describe(kind, subjectId));
        }
        return true;
    }

    private IssuedToken insertNew(Caller.Kind kind, String subjectId, String label, Actor by) {
        String token = ApiKeys.generate();
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                insert into credentials (id, subject_kind, subject_id, token_sha256, label, created_at, created_by)
                values (:id, :kind, :subject, :hash, :label, :at, :by)
                """)
                .param("id", id)
                .param("kind", kind.name())
                .param("subject", subjectId)
                .param("hash", ApiKeys.sha256(token))
                .param("label", label)
                .param("at", now())
                .param("by", by.value())
                .update();
        return new IssuedToken(id, token);
    }

    private List<String> revoke(Caller.Kind kind, String subjectId, Actor by) {
        return jdbc
                .sql("""
                update credentials set revoked_at = :at, revoked_by = :by
                where subject_kind = :kind and subject_id = :subject and revoked_at is null
                returning id
                """)
                .param("at", now())
                .param("by", by.value())
                .param("kind", kind.name())
                .param("subject", subjectId)
                .query(UUID.class)
                .list()
                .stream()
                .map(UUID::toString)
                .sorted()
                .toList();
    }

    /** Locks the subject's row for the rest of the transaction; fails if there is no such subject. */
    private void lockSubject(Caller.Kind kind, String subjectId) {
        String table = kind == Caller.Kind.AGENT ? "agents" : "people";
        boolean exists = jdbc.sql("select id from " + table + " where id = :id for update")
                .param("id", subjectId)
                .query(String.class)
                .optional()
                .isPresent();
        if (!exists) {
            throw new IllegalArgumentException("there is no " + describe(kind, subjectId));
        }
    }

    private static void requireSubject(Caller.Kind kind, String subjectId) {
        Objects.requireNonNull(kind, "kind");
        if (subjectId == null || !SUBJECT_ID.matcher(subjectId).matches()) {
            throw new IllegalArgumentException("a subject id is 1-64 letters, digits or . @ _ -");
        }
    }

    private static void requireLabel(String label) {
        if (label == null || label.isBlank() || label.length() > MAX_LABEL_LENGTH) {
            throw new IllegalArgumentException("a credential label is 1-" + MAX_LABEL_LENGTH + " characters");
        }
    }

    private static String describe(Caller.Kind kind, String subjectId) {
        return (kind == Caller.Kind.AGENT ? "agent " : "person ") + subjectId;
    }

    private OffsetDateTime now() {
        return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
