package dev.guardian.service.agents;

import dev.guardian.policy.rules.Policy;
import dev.guardian.policy.rules.TeamBudgets;
import dev.guardian.service.audit.Actor;
import dev.guardian.service.audit.AuditLog;
import dev.guardian.service.locks.AdvisoryLocks;
import dev.guardian.service.policies.PolicyDocument;
import dev.guardian.service.policies.PolicyDocuments;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Teams and the budgets their agents share, on top of each agent's own. A team's budgets are written in
 * the budget part of the policy document format (budgets and time zone only) and validated by the same
 * code; every change bumps the team's version and is audited with the old and new budgets. A request
 * records the team version that judged it.
 */
public class Teams {
    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final PolicyDocuments documents;
    private final JsonMapper json;
    private final AuditLog audit;
    private final Clock clock;
    /** Parsed budgets by team and version: a version never changes, so neither does its parse. */
    private final Map<String, TeamBudgets> parsed = new ConcurrentHashMap<>();

    Teams(
            JdbcClient jdbc,
            TransactionTemplate transactions,
            PolicyDocuments documents,
            JsonMapper json,
            AuditLog audit,
            Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.documents = documents;
        this.json = json;
        this.audit = audit;
        this.clock = clock;
    }

    public record Team(
            String id,
            String name,
            int version,
            PolicyDocument budgets,
            Instant updatedAt,
            String updatedBy,
            List<String> members) {}

    /**
     * Creates the team or replaces its name and budgets, as one new version.
     *
     * @param budgets a validated document holding budgets (and a time zone) only
     */
    public Team put(String id, String name, PolicyDocument budgets, Actor by) {
        String document = json.writeValueAsString(budgets);
        return transactions.execute(tx -> {
            AdvisoryLocks.team(jdbc, id);
            Optional<Team> before = find(id);
            int version = before.map(t -> t.version() + 1).orElse(1);
            jdbc.sql("""
                    insert into teams (id, name, budgets, version, updated_at, updated_by)
                    values (:id, :name, cast(:budgets as jsonb), :version, :at, :by)
                    on conflict (id) do update set name = excluded.name, budgets = excluded.budgets,
                        version = excluded.version, updated_at = excluded.updated_at, updated_by = excluded.updated_by
                    """)
                    .param("id", id)
                    .param("name", name)
                    .param("budgets", document)
                    .param("version", version)
                    .param("at", clock.instant().atOffset(ZoneOffset.UTC))
                    .param("by", by.value())
                    .update();
            Map<String, Object> recorded = asMap(budgets);
            audit.append(
                    before.isPresent()
                            ? new AgentEvents.TeamUpdated(
                                    id, name, version, asMap(before.get().budgets()), recorded)
                            : new AgentEvents.TeamCreated(id, name, version, recorded),
                    by);
            return find(id).orElseThrow();
        });
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> asMap(PolicyDocument budgets) {
        return json.convertValue(budgets, Map.class);
    }

    public Optional<Team> find(String id) {
        return jdbc.sql("""
                select t.id, t.name, t.version, t.budgets::text as budgets, t.updated_at, t.updated_by,
                       coalesce((select array_agg(a.id order by a.id) from agents a where a.team_id = t.id), '{}') as members
                from teams t where t.id = :id
                """).param("id", id).query((rs, n) -> team(rs)).optional();
    }

    public List<Team> list() {
        return jdbc.sql("""
                select t.id, t.name, t.version, t.budgets::text as budgets, t.updated_at, t.updated_by,
                       coalesce((select array_agg(a.id order by a.id) from agents a where a.team_id = t.id), '{}') as members
                from teams t order by t.id
                """).query((rs, n) -> team(rs)).list();
    }

    private Team team(ResultSet rs) throws SQLException {
        String[] members = (String[]) rs.getArray("members").getArray();
        return new Team(
                rs.getString("id"),
                rs.getString("name"),
                rs.getInt("version"),
                json.readValue(rs.getString("budgets"), PolicyDocument.class),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant(),
                rs.getString("updated_by"),
                List.of(members));
    }

    /** The team's current budgets as the rules read them, if the team exists. */
    public Optional<TeamBudgets> budgets(String id) {
        Optional<Integer> version = jdbc.sql("select version from teams where id = :id")
                .param("id", id)
                .query(Integer.class)
                .optional();
        if (version.isEmpty()) {
            return Optional.empty();
        }
        TeamBudgets cached = parsed.get(id);
        if (cached != null && cached.version() == version.get()) {
            return Optional.of(cached);
        }
        Team team = find(id).orElseThrow();
        Policy policy = documents.toPolicy(team.budgets(), "team-" + id + "-" + team.version());
        TeamBudgets budgets = new TeamBudgets(id, team.version(), policy.budgets());
        parsed.put(id, budgets);
        return Optional.of(budgets);
    }
}
