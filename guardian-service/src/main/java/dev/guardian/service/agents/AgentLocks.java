package dev.guardian.service.agents;

import dev.guardian.policy.AgentId;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The advisory locks of the decision path. The per-agent lock: Every decision for an agent and every change to the agent or its policy
 * holds it until its transaction ends, on every instance, so a request is judged by one consistent
 * state: the spending read and the reservation written never interleave with another decision, and a
 * freeze or a policy activation lands between two decisions, never inside one. The per-team lock
 * does the same for a team's shared budgets; it is always taken after the agent's and never the other
 * way round, so two agents of one team cannot deadlock.
 */
public final class AgentLocks {
    private AgentLocks() {}

    public static void lock(JdbcClient jdbc, AgentId agent) {
        lock(jdbc, "guardian.agent:" + agent.value());
    }

    public static void lockTeam(JdbcClient jdbc, String team) {
        lock(jdbc, "guardian.team:" + team);
    }

    private static void lock(JdbcClient jdbc, String key) {
        jdbc.sql("select pg_advisory_xact_lock(hashtextextended(:key, 0))")
                .param("key", key)
                .query()
                .singleRow();
    }
}
