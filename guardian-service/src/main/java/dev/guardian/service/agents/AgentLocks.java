package dev.guardian.service.agents;

import dev.guardian.policy.AgentId;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The per-agent advisory lock. Every decision for an agent and every change to the agent or its policy
 * holds it until its transaction ends, on every instance, so a request is judged by one consistent
 * state: the spending read and the reservation written never interleave with another decision, and a
 * freeze or a policy activation lands between two decisions, never inside one.
 */
public final class AgentLocks {
    private AgentLocks() {}

    public static void lock(JdbcClient jdbc, AgentId agent) {
        jdbc.sql("select pg_advisory_xact_lock(hashtextextended(:key, 0))")
                .param("key", "guardian.agent:" + agent.value())
                .query()
                .singleRow();
    }
}
