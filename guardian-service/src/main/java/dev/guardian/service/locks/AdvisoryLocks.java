package dev.guardian.service.locks;

import dev.guardian.policy.AgentId;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The advisory locks of the deployment, each transaction-scoped and the same on every instance.
 *
 * <p>When one transaction takes several, it takes them in this order and never the other way round, so
 * no two transactions can deadlock on them:
 * <ol>
 *   <li>{@link #agent} — every decision for an agent and every change to the agent, its wallets or its
 *       policy: a request is judged by one consistent state, so the spending read and the reservation
 *       written never interleave with another decision, and a freeze or a policy activation lands
 *       between two decisions, never inside one;
 *   <li>{@link #team} — the same for a team's shared budgets, always after the agent's;
 *   <li>{@link Lock#KILL_SWITCH} — held shared by every decision that read the switch, exclusively by
 *       whoever engages or releases it, so once engaging returns no decision that saw it off is still to
 *       commit;
 *   <li>{@link Lock#PEOPLE} — who administers Guardian: the check that an active administrator remains
 *       and the change that could remove one;
 *   <li>{@link Lock#KEY_RESEALING} — rotating the key-encryption key at start: the re-sealing of every
 *       stored key, so instances starting together re-seal once, one after the other, never interleaved;
 *   <li>{@link Lock#AUDIT_CHAIN} — the head of the audit chain, taken by every append, last of all, just
 *       before the head is read: it makes the sequence one gap-free line across instances.
 * </ol>
 */
public final class AdvisoryLocks {
    private AdvisoryLocks() {}

    /** The deployment-wide locks, one key each. */
    public enum Lock {
        /** Keyed {@code hashtextextended('guardian.kill-switch', 0)}. */
        KILL_SWITCH("hashtextextended(:key, 0)", "guardian.kill-switch"),
        /** Keyed {@code 0x6775617264706c65} ("guardple"). */
        PEOPLE(":key", 0x6775617264706c65L),
        /** Keyed {@code 0x67756172646b656b} ("guardkek"). */
        KEY_RESEALING(":key", 0x67756172646b656bL),
        /** Keyed {@code 0x6775617264696e61} ("guardina"): one chain per deployment. */
        AUDIT_CHAIN(":key", 0x6775617264696e61L);

        private final String key;
        private final Object value;

        Lock(String key, Object value) {
            this.key = key;
            this.value = value;
        }
    }

    /** Takes {@code lock} exclusively until the transaction ends. */
    public static void exclusive(JdbcClient jdbc, Lock lock) {
        take(jdbc, "pg_advisory_xact_lock", lock.key, lock.value);
    }

    /** Takes {@code lock} shared (others may share it; nobody may hold it exclusively) until the transaction ends. */
    public static void shared(JdbcClient jdbc, Lock lock) {
        take(jdbc, "pg_advisory_xact_lock_shared", lock.key, lock.value);
    }

    /** The agent's lock, exclusively: see the class comment. */
    public static void agent(JdbcClient jdbc, AgentId agent) {
        take(jdbc, "pg_advisory_xact_lock", "hashtextextended(:key, 0)", "guardian.agent:" + agent.value());
    }

    /** A team's lock, exclusively; only ever after the agent's. */
    public static void team(JdbcClient jdbc, String team) {
        take(jdbc, "pg_advisory_xact_lock", "hashtextextended(:key, 0)", "guardian.team:" + team);
    }

    private static void take(JdbcClient jdbc, String function, String key, Object value) {
        jdbc.sql("select " + function + "(" + key + ")")
                .param("key", value)
                .query()
                .singleRow();
    }
}
