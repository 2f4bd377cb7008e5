package dev.guardian.service.policies;

import dev.guardian.policy.AgentId;
import dev.guardian.policy.rules.Policy;
import dev.guardian.service.audit.Actor;
import dev.guardian.service.audit.AuditLog;
import dev.guardian.service.locks.AdvisoryLocks;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The versions of every agent's policy, in the database. A version is immutable once written (a trigger
 * refuses updates and deletes); the agent's row names the active one, and activating another is the only
 * change. Creating and activating take the agent's advisory lock, the one every decision for the agent
 * holds, so an activation lands between two decisions, never inside one; each change is audited in its
 * own transaction. Every method joins the caller's transaction when there is one.
 *
 * <p>The active version is read from the database on every call, so a change made through any instance
 * takes effect on the next request without a restart. Parsed versions are cached: they never change.
 */
public class PolicyVersions {
    static final String CONFIGURED = "from configuration";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final AuditLog audit;
    private final PolicyDocuments documents;
    private final Clock clock;
    private final Map<VersionKey, Policy> parsed = new ConcurrentHashMap<>();

    PolicyVersions(
            JdbcClient jdbc, TransactionTemplate transactions, AuditLog audit, PolicyDocuments documents, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.audit = audit;
        this.documents = documents;
        this.clock = clock;
    }

    private record VersionKey(AgentId agent, int version) {}

    /**
     * The policy that judges the agent's next request, read now; {@link Policy#version()} is the version
     * number as text ("3"). Read it once per request and judge the whole request with it.
     *
     * @throws NoActivePolicyException when the agent has no active version or does not exist
     */
    public Policy activePolicy(AgentId agent) {
        int version = activeVersion(agent).orElseThrow(() -> new NoActivePolicyException(agent));
        // The foreign key from agents to policy_versions guarantees the active version exists.
        return policy(agent, version)
                .orElseThrow(() ->
                        new IllegalStateException("agent " + agent + ": active version " + version + " is missing"));
    }

    /** The number of the agent's active version; empty when it has none or does not exist. */
    public OptionalInt activeVersion(AgentId agent) {
        return jdbc.sql("select policy_version from agents where id = :id")
                .param("id", agent.value())
                .query((ResultSet rs) -> {
                    if (!rs.next()) {
                        return OptionalInt.empty();
                    }
                    int version = rs.getInt(1);
                    return rs.wasNull() ? OptionalInt.empty() : OptionalInt.of(version);
                });
    }

    /** The policy of one version, if the agent has it. */
    public Optional<Policy> policy(AgentId agent, int version) {
        VersionKey key = new VersionKey(agent, version);
        Policy cached = parsed.get(key);
        if (cached != null) {
            return Optional.of(cached);
        }
        return storedDocument(agent, version)
                .map(document ->
                        parsed.computeIfAbsent(key, k -> documents.toPolicy(document, Integer.toString(version))));
    }

    /** Whether the agent exists (with or without versions). */
    public boolean knows(AgentId agent) {
        return jdbc.sql("select exists (select 1 from agents where id = :id)")
                .param("id", agent.value())
                .query(Boolean.class)
                .single();
    }

    /** Versions with their documents and whether each is the active one; callers add the where clause. */
    private static final String SELECT_VERSIONS = """
            select p.version, p.document::text as document, p.comment, p.created_at, p.created_by,
                   coalesce(a.policy_version = p.version, false) as active
            from policy_versions p join agents a on a.id = p.agent_id
            """;

    /** One version with its document and whether it is active. */
    public Optional<PolicyVersion> version(AgentId agent, int version) {
        return jdbc.sql(SELECT_VERSIONS + "where p.agent_id = :agent and p.version = :version")
                .param("agent", agent.value())
                .param("version", version)
                .query((rs, n) -> map(agent, rs))
                .optional();
    }

    /** Every version of the agent's policy, newest first. */
    public List<PolicyVersion> versions(AgentId agent) {
        return jdbc.sql(SELECT_VERSIONS + "where p.agent_id = :agent order by p.version desc")
                .param("agent", agent.value())
                .query((rs, n) -> map(agent, rs))
                .list();
    }

    /**
     * Stores {@code document} as the agent's next version, not active. Audited as
     * {@code policy-version-created} with the differences from the active version.
     *
     * @throws InvalidPolicyException        if the document is not valid (nothing is stored)
     * @throws PolicyChangeRefusedException  for an unknown agent
     */
    public PolicyVersion create(AgentId agent, PolicyDocument document, String comment, Actor by) {
        Objects.requireNonNull(comment, "comment");
        Objects.requireNonNull(by, "by");
        PolicyDocument canonical = documents.canonical(document);
        return transactions.execute(tx -> {
            AdvisoryLocks.agent(jdbc, agent);
            requireAgent(agent);
            int version = jdbc.sql("select coalesce(max(version), 0) + 1 from policy_versions where agent_id = :agent")
                    .param("agent", agent.value())
                    .query(Integer.class)
                    .single();
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            jdbc.sql("""
                    insert into policy_versions (agent_id, version, document, comment, created_at, created_by)
                    values (:agent, :version, cast(:document as jsonb), :comment, :at, :by)
                    """)
                    .param("agent", agent.value())
                    .param("version", version)
                    .param("document", documents.toJson(canonical))
                    .param("comment", comment)
                    .param("at", now.atOffset(ZoneOffset.UTC))
                    .param("by", by.value())
                    .update();
            OptionalInt active = activeVersion(agent);
            Optional<PolicyDocument> activeDocument =
                    active.isPresent() ? storedDocument(agent, active.getAsInt()) : Optional.empty();
            audit.append(
                    new PolicyEvents.VersionCreated(
                            agent,
                            version,
                            comment,
                            active.isPresent() ? Optional.of(active.getAsInt()) : Optional.empty(),
                            documents.diff(activeDocument, canonical)),
                    by);
            return new PolicyVersion(agent, version, canonical, comment, now, by.value(), false);
        });
    }

    /**
     * Makes {@code version} the one that judges the agent's next request; rolling back is activating an
     * older version. Audited as {@code policy-activated} with the version it replaces.
     *
     * @throws PolicyChangeRefusedException for an unknown agent or version, or one that is active already
     */
    public PolicyVersion activate(AgentId agent, int version, String comment, Actor by) {
        Objects.requireNonNull(comment, "comment");
        Objects.requireNonNull(by, "by");
        return transactions.execute(tx -> {
            AdvisoryLocks.agent(jdbc, agent);
            requireAgent(agent);
            PolicyVersion chosen = version(agent, version)
                    .orElseThrow(() -> new PolicyChangeRefusedException(
                            PolicyChangeRefusedException.Why.UNKNOWN_VERSION,
                            "agent " + agent + " has no policy version " + version));
            if (chosen.active()) {
                throw new PolicyChangeRefusedException(
                        PolicyChangeRefusedException.Why.ALREADY_ACTIVE,
                        "policy version " + version + " of agent " + agent + " is active already");
            }
            OptionalInt previous = activeVersion(agent);
            jdbc.sql("""
                    update agents set policy_version = :version, policy_activated_at = :at, policy_activated_by = :by
                    where id = :agent
                    """)
                    .param("version", version)
                    .param("at", clock.instant().atOffset(ZoneOffset.UTC))
                    .param("by", by.value())
                    .param("agent", agent.value())
                    .update();
            audit.append(
                    new PolicyEvents.Activated(
                            agent,
                            previous.isPresent() ? Optional.of(previous.getAsInt()) : Optional.empty(),
                            version,
                            comment),
                    by);
            return new PolicyVersion(
                    agent, version, chosen.document(), chosen.comment(), chosen.createdAt(), chosen.createdBy(), true);
        });
    }

    /**
     * Brings a configured agent's policy in line with its configuration at start, and returns the active
     * version. Configuration seeds; it does not undo what a treasury team changed through the API: a new
     * version is created (by {@code configuration}) and activated only when the configured document
     * differs from what configuration last wrote, or when the agent has no active version. Under the
     * agent's lock, so instances starting together create one version between them.
     */
    public int ensureConfigured(AgentId agent, PolicyDocument document) {
        PolicyDocument configured = documents.canonical(document);
        Integer active = transactions.execute(tx -> {
            AdvisoryLocks.agent(jdbc, agent);
            requireAgent(agent);
            OptionalInt current = activeVersion(agent);
            Optional<PolicyVersion> lastConfigured = jdbc.sql(SELECT_VERSIONS
                            + "where p.agent_id = :agent and p.created_by = :by order by p.version desc limit 1")
                    .param("agent", agent.value())
                    .param("by", Actor.CONFIGURATION.value())
                    .query((rs, n) -> map(agent, rs))
                    .optional();
            boolean configurationUnchanged = lastConfigured.isPresent()
                    && documents.sameContent(lastConfigured.get().document(), configured);
            if (configurationUnchanged && current.isPresent()) {
                return current.getAsInt();
            }
            if (current.isPresent()
                    && storedDocument(agent, current.getAsInt())
                            .filter(d -> documents.sameContent(d, configured))
                            .isPresent()) {
                return current.getAsInt();
            }
            int version = configurationUnchanged
                    ? lastConfigured.get().version()
                    : create(agent, configured, CONFIGURED, Actor.CONFIGURATION).version();
            return activate(agent, version, CONFIGURED, Actor.CONFIGURATION).version();
        });
        return Objects.requireNonNull(active);
    }

    private void requireAgent(AgentId agent) {
        if (!knows(agent)) {
            throw new PolicyChangeRefusedException(PolicyChangeRefusedException.Why.UNKNOWN_AGENT, "no agent " + agent);
        }
    }

    private Optional<PolicyDocument> storedDocument(AgentId agent, int version) {
        return jdbc.sql("select document::text from policy_versions where agent_id = :agent and version = :version")
                .param("agent", agent.value())
                .param("version", version)
                .query(String.class)
                .optional()
                .map(documents::readStored);
    }

    private PolicyVersion map(AgentId agent, ResultSet rs) throws SQLException {
        return new PolicyVersion(
                agent,
                rs.getInt("version"),
                documents.readStored(rs.getString("document")),
                rs.getString("comment"),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getString("created_by"),
                rs.getBoolean("active"));
    }
}
