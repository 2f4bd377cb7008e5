package dev.guardian.service.audit;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.TxHash;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.verifier.AuditRecord;
import dev.guardian.verifier.Jcs;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What auditors ask of the log: records filtered by agent, wallet, time, verdict, rule, transaction
 * hash, event or request, a page at a time (keyset on seq, so a page never skips or repeats a record
 * while the log grows), and the whole story of one request in order.
 *
 * <p>Filters on agent, wallet, verdict, rule and transaction hash select requests, and return every
 * record of those requests (received, simulated, screened, decided, approved, signed, submitted,
 * confirmed...); agent and wallet also match records that name them directly, such as configuration
 * changes. Time and event filters apply to the records themselves.
 */
public class AuditQueries {
    public static final int MAX_PAGE = 1000;

    /** The filters; empty ones do not filter. */
    public record Filter(
            Optional<AgentId> agent,
            Optional<Address> wallet,
            Optional<Instant> from,
            Optional<Instant> to,
            Optional<Verdict> verdict,
            Optional<String> ruleId,
            Optional<TxHash> txHash,
            Optional<String> event,
            Optional<UUID> requestId) {
        public Filter {
            Objects.requireNonNull(agent, "agent");
            Objects.requireNonNull(wallet, "wallet");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(verdict, "verdict");
            Objects.requireNonNull(ruleId, "ruleId");
            Objects.requireNonNull(txHash, "txHash");
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(requestId, "requestId");
        }

        public static Filter none() {
            return new Filter(
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty());
        }
    }

    /** One page, and the seq to ask for the next one after (empty on the last page). */
    public record Page(List<AuditRecord> records, Optional<Long> nextAfter) {
        public Page {
            records = List.copyOf(records);
            Objects.requireNonNull(nextAfter, "nextAfter");
        }
    }

    private final JdbcClient jdbc;

    AuditQueries(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Records matching every filter with {@code seq > after}, oldest first, at most {@code limit}.
     *
     * @throws IllegalArgumentException if the limit is not from 1 to {@value #MAX_PAGE}
     */
    public Page search(Filter filter, long after, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("limit must be from 1 to " + MAX_PAGE);
        }
        List<String> conditions = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        conditions.add("seq > :after");
        params.put("after", after);
        filter.agent().ifPresent(agent -> {
            conditions.add(
                    "(payload @> cast(:agent as jsonb) or request_id in"
                            + " (select a.request_id from audit_log a where a.request_id is not null and a.payload @> cast(:agent as jsonb)))");
            params.put("agent", containing(AuditEvent.AboutAgent.FIELD, agent.value()));
        });
        filter.wallet().ifPresent(wallet -> {
            conditions.add(
                    "(payload @> cast(:wallet as jsonb) or request_id in"
                            + " (select w.request_id from audit_log w where w.request_id is not null and w.payload @> cast(:wallet as jsonb)))");
            params.put("wallet", containing(AuditEvent.AboutWallet.FIELD, wallet.toString()));
        });
        filter.verdict().ifPresent(verdict -> {
            conditions.add("request_id in (select d.request_id from audit_log d where d.event = :decision"
                    + " and d.payload @> cast(:verdict as jsonb))");
            params.put("verdict", containing(AuditEvent.Judgement.VERDICT, verdict.name()));
        });
        filter.ruleId().ifPresent(rule -> {
            conditions.add("request_id in (select d.request_id from audit_log d where d.event = :decision"
                    + " and d.payload @> cast(:rule as jsonb))");
            params.put(
                    "rule",
                    Jcs.canonicalize(
                            Map.of(AuditEvent.Judgement.REASONS, List.of(Map.of(AuditEvent.Judgement.RULE_ID, rule)))));
        });
        filter.txHash().ifPresent(hash -> {
            // The records of the request the transaction belongs to, and records about the transaction outside any
            // request (wallet reconciliation's findings).
            conditions.add("(payload @> cast(:tx as jsonb) or request_id in"
                    + " (select t.request_id from audit_log t where t.request_id is not null"
                    + " and t.payload @> cast(:tx as jsonb)))");
            params.put("tx", containing(AuditEvent.AboutTransaction.FIELD, hash.toString()));
        });
        filter.from().ifPresent(from -> {
            conditions.add("recorded_at >= :from");
            params.put("from", OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
        });
        filter.to().ifPresent(to -> {
            conditions.add("recorded_at < :to");
            params.put("to", OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
        });
        filter.event().ifPresent(event -> {
            conditions.add("event = :event");
            params.put("event", event);
        });
        filter.requestId().ifPresent(id -> {
            conditions.add("request_id = :request");
            params.put("request", id);
        });
        params.put("decision", AuditEvent.Judgement.EVENT);
        params.put("limit", limit + 1);
        List<AuditRecord> found = jdbc.sql("select canonical, encode(hash, 'hex') as hash from audit_log where "
                        + String.join(" and ", conditions) + " order by seq limit :limit")
                .params(params)
                .query(AuditLog.RECORD)
                .list();
        if (found.size() <= limit) {
            return new Page(found, Optional.empty());
        }
        List<AuditRecord> page = found.subList(0, limit);
        return new Page(page, Optional.of(page.get(limit - 1).seq()));
    }

    /** Every record of one request, in order; empty if the log knows no such request. */
    public List<AuditRecord> story(UUID requestId) {
        return jdbc.sql(
                        "select canonical, encode(hash, 'hex') as hash from audit_log where request_id = :id order by seq")
                .param("id", requestId)
                .query(AuditLog.RECORD)
                .list();
    }

    private static String containing(String member, String value) {
        return Jcs.canonicalize(Map.of(member, value));
    }
}
