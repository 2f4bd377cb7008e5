package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.rules.SpendingState;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * SQL for two-phase budget reservations ({@link Reservation}): held when a request is decided, then
 * posted, voided or renewed as {@link RequestTransitions} moves the request. Rows of
 * {@code reservations} and {@code reservation_outcomes} are only ever inserted (the database refuses
 * updates and deletes); what counts is computed from both. Every method runs in the caller's
 * transaction, under the request's row lock that the transition holds.
 */
public class Reservations {
    private static final String COLUMNS = """
            r.id, r.request_id, r.asset, r.counterparty, r.team_id, r.units, r.reserved_at, r.replaces,
            o.outcome, o.posted_units, o.settled_at
            """;
    private static final String FROM =
            " from reservations r left join reservation_outcomes o on o.reservation_id = r.id ";
    /** Pending or posted: what budgets count. */
    private static final String COUNTING = " (o.outcome is null or o.outcome = 'POSTED') ";

    private final JdbcClient jdbc;
    private final AssetRegistry assets;

    Reservations(JdbcClient jdbc, AssetRegistry assets) {
        this.jdbc = jdbc;
        this.assets = assets;
    }

    /** What one request holds of one asset for one counterparty. */
    public record Line(TokenAmount amount, Optional<Address> counterparty) {
        public Line {
            Objects.requireNonNull(amount, "amount");
            Objects.requireNonNull(counterparty, "counterparty");
        }
    }

    /** Holds each line, pending, against the agent's budgets and, when it has one, its team's. */
    public void hold(UUID requestId, AgentId agent, Optional<String> team, List<Line> lines, Instant at) {
        for (Line line : lines) {
            insert(requestId, agent, team, line, at, Optional.empty());
        }
    }

    /** Every reservation the request ever made, settled or not, oldest first. */
    public List<Reservation> ofRequest(UUID requestId) {
        return jdbc.sql("select " + COLUMNS + FROM + "where r.request_id = :request order by r.id")
                .param("request", requestId)
                .query(this::reservation)
                .list();
    }

    /** Posts every pending reservation of the request at {@code actual} of it (at most what it holds). */
    public void post(UUID requestId, Function<Reservation, TokenAmount> actual, Instant at) {
        for (Reservation pending : pendingOf(requestId)) {
            record(pending, pending.post(actual.apply(pending), at));
        }
    }

    /** Voids every pending reservation of the request: none of it left. */
    public void voidPending(UUID requestId, Instant at) {
        for (Reservation pending : pendingOf(requestId)) {
            record(pending, pending.voided(at));
        }
    }

    /**
     * Replaces every pending reservation of the request by a new one of the same amount and counterparty
     * made at {@code at} against {@code team}: the old one is voided and the new one names it.
     */
    public void renew(UUID requestId, AgentId agent, Optional<String> team, Instant at) {
        for (Reservation pending : pendingOf(requestId)) {
            record(pending, pending.voided(at));
            insert(
                    requestId,
                    agent,
                    team,
                    new Line(pending.amount(), pending.counterparty()),
                    at,
                    Optional.of(pending.id()));
        }
    }

    private List<Reservation> pendingOf(UUID requestId) {
        return ofRequest(requestId).stream().filter(Reservation::isPending).toList();
    }

    private void insert(
            UUID requestId, AgentId agent, Optional<String> team, Line line, Instant at, Optional<Long> replaces) {
        jdbc.sql("""
                insert into reservations (request_id, agent_id, team_id, asset, counterparty, units, reserved_at, replaces)
                values (:request, :agent, :team, :asset, :counterparty, :units, :at, :replaces)
                """)
                .param("request", requestId)
                .param("agent", agent.value())
                .param("team", team.orElse(null))
                .param("asset", AssetKeys.key(line.amount().asset()))
                .param("counterparty", line.counterparty().map(Address::toBytes).orElse(null))
                .param("units", new BigDecimal(line.amount().units()))
                .param("at", utc(at))
                .param("replaces", replaces.orElse(null))
                .update();
    }

    private void record(Reservation reservation, Reservation.Outcome outcome) {
        jdbc.sql("""
                insert into reservation_outcomes (reservation_id, pending_units, outcome, posted_units, settled_at)
                values (:id, :pending, :outcome, :posted, :at)
                """)
                .param("id", reservation.id())
                .param("pending", new BigDecimal(reservation.amount().units()))
                .param("outcome", outcome.kind().name())
                .param("posted", outcome.postedUnits().map(BigDecimal::new).orElse(null))
                .param("at", utc(outcome.at()))
                .update();
    }

    /**
     * What the agent's policy needs of its spending, and nothing more, in one read of its reservations:
     * what counts since {@code budgetsSince} (for budgets), what went to each counterparty since
     * {@code counterpartiesSince} (for per-counterparty caps), and the requests that count towards
     * transaction limits since {@code transactionsSince}. An empty instant means the policy has no such
     * limit, so that part is not read.
     *
     * @param excluding a request whose own reservations must not count (a re-check of it)
     */
    public SpendingState spendingSince(
            AgentId agent,
            Optional<Instant> budgetsSince,
            Optional<Instant> counterpartiesSince,
            Optional<Instant> transactionsSince,
            Optional<UUID> excluding) {
        Optional<Instant> earliest = budgetsSince.isEmpty()
                ? counterpartiesSince
                : counterpartiesSince
                        .map(c -> c.isBefore(budgetsSince.get()) ? c : budgetsSince.get())
                        .or(() -> budgetsSince);
        List<SpendingState.Spend> spends = new ArrayList<>();
        List<SpendingState.CounterpartySpend> toCounterparties = new ArrayList<>();
        if (earliest.isPresent()) {
            for (Counted r : countedSince(agent, earliest.get(), excluding)) {
                if (budgetsSince.isPresent() && !r.at().isBefore(budgetsSince.get())) {
                    spends.add(new SpendingState.Spend(r.amount(), r.at()));
                }
                if (counterpartiesSince.isPresent()
                        && r.counterparty() != null
                        && !r.at().isBefore(counterpartiesSince.get())) {
                    toCounterparties.add(new SpendingState.CounterpartySpend(r.counterparty(), r.amount(), r.at()));
                }
            }
        }
        List<Instant> transactions = transactionsSince
                .map(since -> transactionsSince(agent, since, excluding))
                .orElse(List.of());
        return new SpendingState(spends, toCounterparties, transactions);
    }

    /**
     * When the agent's requests that count towards transaction limits arrived: those that send value or
     * set an allowance and are awaiting approval, allowed, on their way to the chain, or reached it (a
     * reverted transaction was still sent). Denied, rejected and expired requests, and failures before
     * signing, moved nothing.
     */
    private List<Instant> transactionsSince(AgentId agent, Instant since, Optional<UUID> excluding) {
        return jdbc.sql("""
                select created_at from requests
                where agent_id = :agent and created_at >= :since
                  and (status in ('PENDING_APPROVAL', 'APPROVED', 'ALLOWED', 'SIGNED', 'SUBMITTED', 'CONFIRMED')
                       or (status = 'FAILED' and tx_hash is not null))
                  -- As the rule counts: a request that sends value or sets an allowance.
                  and (exists (select 1 from reservations r where r.request_id = requests.id and r.units > 0)
                       or effects @> '[{"type": "APPROVAL"}]')
                  and (cast(:excluding as uuid) is null or id <> cast(:excluding as uuid))
                """)
                .param("agent", agent.value())
                .param("since", utc(since))
                .param("excluding", excluding.orElse(null))
                .query((rs, n) ->
                        rs.getObject("created_at", OffsetDateTime.class).toInstant())
                .list();
    }

    /** What one reservation counts for: its posted amount once posted, else what it holds; to whom, or null. */
    private record Counted(TokenAmount amount, Address counterparty, Instant at) {}

    /**
     * {@link #agentReservationsSince}, reduced to what limits read. Every decision reads every row of the
     * agent's longest window under the agent's lock, so this reads three columns by position instead of
     * building whole reservations (profiled: the row mapping was most of a decision's database time).
     */
    private List<Counted> countedSince(AgentId agent, Instant since, Optional<UUID> excluding) {
        return jdbc.sql("""
                        select r.asset, r.counterparty, coalesce(o.posted_units, r.units), r.reserved_at
                        """ + FROM + """
                        where r.agent_id = :agent and r.reserved_at >= :since and """ + COUNTING + """
                          and (cast(:excluding as uuid) is null or r.request_id <> cast(:excluding as uuid))
                        """)
                .param("agent", agent.value())
                .param("since", utc(since))
                .param("excluding", excluding.orElse(null))
                .query((rs, n) -> {
                    byte[] counterparty = rs.getBytes(2);
                    return new Counted(
                            new TokenAmount(
                                    AssetKeys.resolve(rs.getString(1), assets),
                                    rs.getBigDecimal(3).toBigIntegerExact()),
                            counterparty == null ? null : Address.of(counterparty),
                            rs.getObject(4, OffsetDateTime.class).toInstant());
                })
                .list();
    }

    /** The agent's reservations that count (pending or posted), made since {@code since}, leaving out those of {@code excluding}. */
    public List<Reservation> agentReservationsSince(AgentId agent, Instant since, Optional<UUID> excluding) {
        return jdbc.sql("select " + COLUMNS + FROM + """
                        where r.agent_id = :agent and r.reserved_at >= :since and """ + COUNTING + """
                          and (cast(:excluding as uuid) is null or r.request_id <> cast(:excluding as uuid))
                        """)
                .param("agent", agent.value())
                .param("since", utc(since))
                .param("excluding", excluding.orElse(null))
                .query(this::reservation)
                .list();
    }

    /** The reservations that count against {@code team}'s budgets since {@code since}, leaving out those of {@code excluding}. */
    public List<Reservation> teamReservationsSince(String team, Instant since, Optional<UUID> excluding) {
        return jdbc.sql("select " + COLUMNS + FROM + """
                        where r.team_id = :team and r.reserved_at >= :since and """ + COUNTING + """
                          and (cast(:excluding as uuid) is null or r.request_id <> cast(:excluding as uuid))
                        """)
                .param("team", team)
                .param("since", utc(since))
                .param("excluding", excluding.orElse(null))
                .query(this::reservation)
                .list();
    }

    /** The team's spending as the team budget rule reads it. */
    public SpendingState teamSpendingSince(String team, Instant since, Optional<UUID> excluding) {
        return new SpendingState(teamReservationsSince(team, since, excluding).stream()
                .map(r -> new SpendingState.Spend(r.counted(), r.reservedAt()))
                .toList());
    }

    private Reservation reservation(ResultSet rs, int row) throws SQLException {
        byte[] counterparty = rs.getBytes("counterparty");
        long replaces = rs.getLong("replaces");
        boolean replacesNothing = rs.wasNull();
        String outcome = rs.getString("outcome");
        BigDecimal posted = rs.getBigDecimal("posted_units");
        return new Reservation(
                rs.getLong("id"),
                rs.getObject("request_id", UUID.class),
                new TokenAmount(
                        AssetKeys.resolve(rs.getString("asset"), assets),
                        rs.getBigDecimal("units").toBigIntegerExact()),
                Optional.ofNullable(counterparty).map(Address::of),
                Optional.ofNullable(rs.getString("team_id")),
                rs.getObject("reserved_at", OffsetDateTime.class).toInstant(),
                replacesNothing ? Optional.empty() : Optional.of(replaces),
                outcome == null
                        ? Optional.empty()
                        : Optional.of(new Reservation.Outcome(
                                Reservation.Kind.valueOf(outcome),
                                Optional.ofNullable(posted).map(BigDecimal::toBigIntegerExact),
                                rs.getObject("settled_at", OffsetDateTime.class).toInstant())));
    }

    private static OffsetDateTime utc(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }
}
