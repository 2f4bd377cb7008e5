package dev.guardian.service.agents;

import dev.guardian.service.audit.Actor;
import dev.guardian.service.audit.AuditLog;
import dev.guardian.service.locks.AdvisoryLocks;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The deployment-wide kill switch: while engaged, every agent's next request is refused
 * ({@code guardian.all-agents-frozen}) and no pending approval of any agent can complete, on every
 * instance, because each decision reads the switch from the database. Releasing it does not unfreeze
 * agents that were frozen one by one: the two are separate on purpose.
 */
public class KillSwitch {
    private static final String NAME = "freeze-all";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final AuditLog audit;
    private final Clock clock;

    KillSwitch(JdbcClient jdbc, TransactionTemplate transactions, AuditLog audit, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.audit = audit;
        this.clock = clock;
    }

    public record State(boolean engaged, Instant changedAt, String changedBy, String comment) {}

    /**
     * Whether the switch is engaged, read under a shared advisory lock that a decision holds until it
     * commits; {@link #set} takes the same lock exclusively, so once engaging returns no decision that
     * saw the switch off is still to commit. (An advisory lock, not a row lock: it writes nothing, so
     * thousands of concurrent decisions cost the switch's row nothing.)
     */
    public boolean engaged() {
        AdvisoryLocks.shared(jdbc, AdvisoryLocks.Lock.KILL_SWITCH);
        return jdbc.sql("select engaged from switches where name = :name")
                .param("name", NAME)
                .query(Boolean.class)
                .single();
    }

    public State state() {
        return jdbc.sql("select engaged, changed_at, changed_by, comment from switches where name = :name")
                .param("name", NAME)
                .query((rs, n) -> new State(
                        rs.getBoolean("engaged"),
                        rs.getObject("changed_at", OffsetDateTime.class).toInstant(),
                        rs.getString("changed_by"),
                        rs.getString("comment")))
                .single();
    }

    /**
     * Engages or releases the switch and records who did it and why. Setting it to the state it is
     * already in changes nothing and records nothing; the answer says so.
     */
    public Change set(boolean engage, String comment, Actor by) {
        return transactions.execute(tx -> {
            AdvisoryLocks.exclusive(jdbc, AdvisoryLocks.Lock.KILL_SWITCH);
            boolean was = jdbc.sql("select engaged from switches where name = :name for update")
                    .param("name", NAME)
                    .query(Boolean.class)
                    .single();
            if (was == engage) {
                return new Change(state(), false);
            }
            Instant now = clock.instant();
            jdbc.sql(
                            "update switches set engaged = :engaged, changed_at = :at, changed_by = :by, comment = :comment where name = :name")
                    .param("engaged", engage)
                    .param("at", now.atOffset(ZoneOffset.UTC))
                    .param("by", by.value())
                    .param("comment", comment)
                    .param("name", NAME)
                    .update();
            audit.append(
                    engage ? new AgentEvents.AllAgentsFrozen(comment) : new AgentEvents.AllAgentsUnfrozen(comment), by);
            return new Change(state(), true);
        });
    }

    public record Change(State state, boolean changed) {}
}
