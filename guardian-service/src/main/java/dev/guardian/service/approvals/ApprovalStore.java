package dev.guardian.service.approvals;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/** SQL for the approvals of requests and for finding pending requests; runs in the caller's transaction. */
public class ApprovalStore {
    private final JdbcClient jdbc;

    ApprovalStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** One approver's decision on one request. */
    public record Vote(String approver, String decision, String comment, Instant at) {}

    public List<Vote> votes(UUID requestId) {
        return jdbc.sql(
                        "select approver, decision, comment, decided_at from approvals where request_id = :id order by decided_at, approver")
                .param("id", requestId)
                .query((rs, n) -> new Vote(
                        rs.getString("approver"),
                        rs.getString("decision"),
                        rs.getString("comment"),
                        rs.getObject("decided_at", OffsetDateTime.class).toInstant()))
                .list();
    }

    /** Records a vote; false when this approver has already decided this request (the primary key says so). */
    public boolean record(UUID requestId, String approver, String decision, String comment, Instant at) {
        return jdbc.sql("""
                insert into approvals (request_id, approver, decision, comment, decided_at)
                values (:id, :approver, :decision, :comment, :at) on conflict (request_id, approver) do nothing
                """)
                        .param("id", requestId)
                        .param("approver", approver)
                        .param("decision", decision)
                        .param("comment", comment)
                        .param("at", OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
                        .update()
                == 1;
    }

    public int approvals(UUID requestId) {
        return jdbc.sql("select count(*) from approvals where request_id = :id and decision = 'APPROVE'")
                .param("id", requestId)
                .query(Integer.class)
                .single();
    }

    public List<UUID> pending(int limit) {
        return jdbc.sql(
                        "select id from requests where status = 'PENDING_APPROVAL' order by approval_deadline, created_at limit :limit")
                .param("limit", limit)
                .query(UUID.class)
                .list();
    }

    /** Pending requests past their deadline, locked for this transaction; those another sweep holds are skipped. */
    public List<UUID> claimDue(Instant now, int limit) {
        return jdbc.sql("""
                select id from requests where status = 'PENDING_APPROVAL' and approval_deadline <= :now
                order by approval_deadline limit :limit for update skip locked
                """)
                .param("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                .param("limit", limit)
                .query(UUID.class)
                .list();
    }
}
