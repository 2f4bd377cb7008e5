package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.WalletId;
import dev.guardian.policy.effects.Approval;
import dev.guardian.policy.rules.SpendingState;
import java.math.BigDecimal;
import java.math.BigInteger;
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
 * posted, voided or renewed as {@link RequestTransitions} moves the request, and allowance exposure
 * settled as allowances are used, lowered and revoked. Rows of {@code reservations} and
 * {@code reservation_outcomes} are only ever inserted (the database refuses updates and deletes); what
 * counts is computed from both. Every method runs in the caller's transaction.
 */
public class Reservations {
    private static final String COLUMNS = """
            r.id, r.request_id, r.kind, r.asset, r.counterparty, r.allowance_kind, r.team_id, r.units, r.reserved_at,
            r.replaces, o.outcome, o.posted_units, o.settled_at
            """;
    private static final String FROM =
            " from reservations r left join reservation_outcomes o on o.reservation_id = r.id ";
    /** Pending or posted: what limits count. */
    private static final String COUNTING = " (o.outcome is null or o.outcome = 'POSTED') ";

    private final JdbcClient jdbc;
    private final AssetRegistry assets;

    public Reservations(JdbcClient jdbc, AssetRegistry assets) {
        this.jdbc = jdbc;
        this.assets = assets;
    }

    /** What one request holds: of one asset, for one purpose and counterparty (and kind of allowance). */
    public record Line(
            Reservation.Purpose purpose,
            TokenAmount amount,
            Optional<Address> counterparty,
            Optional<Approval.Kind> allowance) {
        public Line {
            Objects.requireNonNull(purpose, "purpose");
            Objects.requireNonNull(amount, "amount");
            Objects.requireNonNull(counterparty, "counterparty");
            Objects.requireNonNull(allowance, "allowance");
            if ((purpose == Reservation.Purpose.EXPOSURE) != allowance.isPresent()) {
                throw new IllegalArgumentException("an exposure line, and only one, names its kind of allowance");
            }
        }

        /** Value leaving the wallet for {@code to}. */
        public static Line outflow(TokenAmount amount, Address to) {
            return new Line(Reservation.Purpose.OUTFLOW, amount, Optional.of(to), Optional.empty());
        }

        /** An allowance of {@code amount} granted to {@code spender}. */
        public static Line exposure(TokenAmount amount, Address spender, Approval.Kind kind) {
            return new Line(Reservation.Purpose.EXPOSURE, amount, Optional.of(spender), Optional.of(kind));
        }

        /** Value that reaches {@code payee} further down the call. */
        public static Line onward(TokenAmount amount, Address payee) {
            return new Line(Reservation.Purpose.ONWARD, amount, Optional.of(payee), Optional.empty());
        }

        /** The most the transaction can cost in gas. */
        public static Line fee(TokenAmount amount) {
            return new Line(Reservation.Purpose.FEE, amount, Optional.empty(), Optional.empty());
        }
    }

    /** Holds each line, pending, against the agent's limits and, when it has one, its team's. */
    public void hold(UUID requestId, AgentId agent, Optional<String> team, List<Line> lines, Instant at) {
        for (Line line : lines) {
            insert(requestId, agent, team, line, at, Optional.empty());
        }
    }

    /**
     * Charges what left beyond any reservation (a transaction that did more than was judged): the line is
     * reserved and posted in full at once, so the budgets count it from {@code at} like any other spend.
     */
    public void charge(UUID requestId, AgentId agent, Optional<String> team, Line line, Instant at) {
        insert(requestId, agent, team, line, at, Optional.empty());
        Reservation made = ofRequest(requestId).getLast();
        record(made, made.post(line.amount(), at));
    }

    /**
     * Holds {@code maxCost} for the request's fee instead of what it holds now (a replacement with higher
     * fees): the pending fee reservation is voided and a new one, naming it, keeps its moment and team.
     */
    public void raiseFee(UUID requestId, AgentId agent, TokenAmount maxCost, Instant at) {
        for (Reservation pending : pendingOf(requestId)) {
            if (pending.purpose() == Reservation.Purpose.FEE) {
                record(pending, pending.voided(at));
                insert(
                        requestId,
                        agent,
                        pending.team(),
                        lineOf(pending, maxCost),
                        pending.reservedAt(),
                        Optional.of(pending.id()));
                return;
            }
        }
        insert(requestId, agent, Optional.empty(), Line.fee(maxCost), at, Optional.empty());
    }

    /**
     * Charges what left a wallet outside Guardian (wallet reconciliation's external outflow {@code outflowId}):
     * the line is reserved and posted in full at once against the agent's budgets and, when it has one, its
     * team's, counting from {@code at}.
     */
    public void chargeExternal(UUID outflowId, AgentId agent, Optional<String> team, Line line, Instant at) {
        Objects.requireNonNull(outflowId, "outflowId");
        long id = jdbc.sql("""
                        insert into reservations (external_outflow_id, agent_id, team_id, kind, asset, counterparty,
                            allowance_kind, units, reserved_at)
                        values (:outflow, :agent, :team, :kind, :asset, :counterparty, :allowance, :units, :at)
                        returning id
                        """)
                .param("outflow", outflowId)
                .param("agent", agent.value())
                .param("team", team.orElse(null))
                .param("kind", line.purpose().name())
                .param("asset", AssetKeys.key(line.amount().asset()))
                .param("counterparty", line.counterparty().map(Address::toBytes).orElse(null))
                .param("allowance", line.allowance().map(Enum::name).orElse(null))
                .param("units", new BigDecimal(line.amount().units()))
                .param("at", utc(at))
                .query(Long.class)
                .single();
        Reservation made = jdbc.sql("select " + COLUMNS + FROM + "where r.id = :id")
                .param("id", id)
                .query(this::reservation)
                .single();
        record(made, made.post(line.amount(), at));
    }

    /**
     * What the agent's allowance exposure for {@code spender} over {@code wallet}'s {@code asset} counts for,
     * all time: every exposure line that is pending or posted (at its posted amount), of requests whose
     * transaction was signed (an allowance only exists on chain once it is). This is how much of the wallet's
     * {@code asset} the budgets have counted as that spender's to take; lowering or revoking gives back only
     * what it could no longer take, and using it moves exposure from pending to posted without changing it.
     */
    public BigInteger exposureCounted(AgentId agent, WalletId wallet, Asset asset, Address spender) {
        return jdbc.sql("select coalesce(sum(coalesce(o.posted_units, r.units)), 0)" + FROM + """
                        join requests q on q.id = r.request_id
                        where r.agent_id = :agent and r.kind = 'EXPOSURE' and r.asset = :asset and r.counterparty = :spender
                          and q.wallet_id = :wallet and q.status in ('SIGNED', 'SUBMITTED', 'CONFIRMED', 'DIVERGED')
                          and """ + COUNTING)
                .param("agent", agent.value())
                .param("asset", AssetKeys.key(asset))
                .param("spender", spender.toBytes())
                .param("wallet", wallet.value())
                .query(BigDecimal.class)
                .single()
                .toBigIntegerExact();
    }

    /** Every reservation the request ever made, settled or not, oldest first. */
    public List<Reservation> ofRequest(UUID requestId) {
        return jdbc.sql("select " + COLUMNS + FROM + "where r.request_id = :request order by r.id")
                .param("request", requestId)
                .query(this::reservation)
                .list();
    }

    /**
     * Settles each pending reservation of the request as {@code settle} decides (its outcome, from the
     * reservation's own {@link Reservation#post}, {@link Reservation#voided} or {@link Reservation#expired});
     * an empty answer leaves it pending.
     */
    public void settle(UUID requestId, Function<Reservation, Optional<Reservation.Outcome>> settle) {
        for (Reservation pending : pendingOf(requestId)) {
            settle.apply(pending).ifPresent(outcome -> record(pending, outcome));
        }
    }

    /** Voids every pending reservation of the request: none of it left, and no allowance it held remains. */
    public void voidPending(UUID requestId, Instant at) {
        settle(requestId, pending -> Optional.of(pending.voided(at)));
    }

    /**
     * Replaces every pending reservation of the request by a new one of the same purpose, amount and
     * counterparty made at {@code at} against {@code team}: the old one is voided and the new one names it.
     */
    public void renew(UUID requestId, AgentId agent, Optional<String> team, Instant at) {
        for (Reservation pending : pendingOf(requestId)) {
            record(pending, pending.voided(at));
            insert(requestId, agent, team, lineOf(pending, pending.amount()), at, Optional.of(pending.id()));
        }
    }

    /**
     * Settles {@code amount} of the given pending reservations, oldest first: posted (money moved through
     * an allowance) or voided (an allowance lowered). A reservation settled in part is settled whole and
     * its remainder held again, pending, by a new reservation made at the same moment that names it, so it
     * keeps its place in the windows. Returns what could not be settled (the reservations held less).
     */
    public TokenAmount settleAmount(
            AgentId agent, List<Reservation> pending, TokenAmount amount, boolean post, Instant at) {
        TokenAmount left = amount;
        for (Reservation reservation : pending) {
            if (left.isZero()) {
                break;
            }
            if (!reservation.isPending() || !reservation.amount().asset().equals(amount.asset())) {
                throw new IllegalArgumentException(
                        "only pending reservations of " + amount.asset() + " are settled so");
            }
            TokenAmount taken = left.exceeds(reservation.amount()) ? reservation.amount() : left;
            record(reservation, post ? reservation.post(taken, at) : reservation.voided(at));
            TokenAmount remainder = reservation.amount().minus(taken);
            if (!remainder.isZero()) {
                insert(
                        reservation.requestId().orElseThrow(),
                        agent,
                        reservation.team(),
                        lineOf(reservation, remainder),
                        reservation.reservedAt(),
                        Optional.of(reservation.id()));
            }
            left = left.minus(taken);
        }
        return left;
    }

    /** An allowance exposure still held, with the wallet whose allowance it is. */
    public record HeldExposure(Address wallet, Reservation reservation) {}

    /**
     * The agent's allowance exposure still held (pending {@code EXPOSURE} reservations), oldest first, with
     * the address of the wallet that granted each. Empty {@code spender} and {@code asset}: all of them.
     */
    public List<HeldExposure> heldExposure(AgentId agent, Optional<Asset> asset, Optional<Address> spender) {
        return jdbc.sql("select " + COLUMNS + ", w.address as wallet_address" + FROM + """
                        join requests q on q.id = r.request_id
                        join wallets w on w.id = q.wallet_id
                        where r.agent_id = :agent and r.kind = 'EXPOSURE' and o.outcome is null
                          and (cast(:asset as text) is null or r.asset = cast(:asset as text))
                          and (cast(:spender as bytea) is null or r.counterparty = cast(:spender as bytea))
                        order by r.reserved_at, r.id
                        """)
                .param("agent", agent.value())
                .param("asset", asset.map(AssetKeys::key).orElse(null))
                .param("spender", spender.map(Address::toBytes).orElse(null))
                .query((rs, n) -> new HeldExposure(Address.of(rs.getBytes("wallet_address")), reservation(rs, n)))
                .list();
    }

    /** The agents that hold allowance exposure, for the schedule that follows allowances on chain. */
    public List<AgentId> agentsHoldingExposure(int limit) {
        return jdbc.sql("""
                        select distinct r.agent_id from reservations r
                        where r.kind = 'EXPOSURE'
                          and not exists (select 1 from reservation_outcomes o where o.reservation_id = r.id)
                        order by r.agent_id limit :limit
                        """)
                .param("limit", limit)
                .query((rs, n) -> new AgentId(rs.getString(1)))
                .list();
    }

    private List<Reservation> pendingOf(UUID requestId) {
        return ofRequest(requestId).stream().filter(Reservation::isPending).toList();
    }

    private static Line lineOf(Reservation reservation, TokenAmount amount) {
        return new Line(reservation.purpose(), amount, reservation.counterparty(), reservation.allowance());
    }

    private void insert(
            UUID requestId, AgentId agent, Optional<String> team, Line line, Instant at, Optional<Long> replaces) {
        jdbc.sql("""
                        insert into reservations (request_id, agent_id, team_id, kind, asset, counterparty, allowance_kind,
                            units, reserved_at, replaces)
                        values (:request, :agent, :team, :kind, :asset, :counterparty, :allowance, :units, :at, :replaces)
                        """)
                .param("request", requestId)
                .param("agent", agent.value())
                .param("team", team.orElse(null))
                .param("kind", line.purpose().name())
                .param("asset", AssetKeys.key(line.amount().asset()))
                .param("counterparty", line.counterparty().map(Address::toBytes).orElse(null))
                .param("allowance", line.allowance().map(Enum::name).orElse(null))
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
     * what counts against budgets since {@code budgetsSince} (value moved and allowances held or used),
     * what went to each counterparty since {@code counterpartiesSince}, the allowance exposure still held
     * (always), fees since {@code feesSince}, requests that count towards transaction limits since
     * {@code transactionsSince}, and on-chain reverts since {@code revertsSince}. An empty instant means the
     * policy has no such limit, so that part is not read.
     *
     * @param excluding a request whose own reservations must not count (a re-check of it)
     */
    public SpendingState spendingSince(
            AgentId agent,
            Optional<Instant> budgetsSince,
            Optional<Instant> counterpartiesSince,
            Optional<Instant> feesSince,
            Optional<Instant> transactionsSince,
            Optional<Instant> revertsSince,
            Optional<UUID> excluding) {
        Optional<Instant> earliest = earliest(earliest(budgetsSince, counterpartiesSince), feesSince);
        List<SpendingState.Spend> spends = new ArrayList<>();
        List<SpendingState.CounterpartySpend> toCounterparties = new ArrayList<>();
        List<SpendingState.Spend> fees = new ArrayList<>();
        if (earliest.isPresent()) {
            for (Counted r : countedSince(agent, earliest.get(), excluding)) {
                boolean budgets = budgetsSince.isPresent() && !r.at().isBefore(budgetsSince.get());
                boolean parties = counterpartiesSince.isPresent() && !r.at().isBefore(counterpartiesSince.get());
                boolean gas = feesSince.isPresent() && !r.at().isBefore(feesSince.get());
                if (budgets && r.purpose().countsInBudgets()) {
                    spends.add(new SpendingState.Spend(r.amount(), r.at()));
                }
                if (parties && r.counterparty() != null && r.purpose() != Reservation.Purpose.FEE) {
                    toCounterparties.add(new SpendingState.CounterpartySpend(r.counterparty(), r.amount(), r.at()));
                }
                if (gas && r.purpose() == Reservation.Purpose.FEE) {
                    fees.add(new SpendingState.Spend(r.amount(), r.at()));
                }
            }
        }
        List<SpendingState.HeldExposure> exposures = new ArrayList<>();
        for (HeldExposure held : heldExposure(agent, Optional.empty(), Optional.empty())) {
            Reservation r = held.reservation();
            if (excluding.isPresent() && r.requestId().equals(excluding)) {
                continue;
            }
            exposures.add(new SpendingState.HeldExposure(
                    r.amount(), r.counterparty().orElseThrow(), r.allowance().orElseThrow(), r.reservedAt()));
        }
        List<Instant> transactions = transactionsSince
                .map(since -> transactionsSince(agent, since, excluding))
                .orElse(List.of());
        List<Instant> reverts =
                revertsSince.map(since -> revertsSince(agent, since)).orElse(List.of());
        return new SpendingState(spends, toCounterparties, transactions, exposures, fees, reverts);
    }

    private static Optional<Instant> earliest(Optional<Instant> a, Optional<Instant> b) {
        if (a.isEmpty()) {
            return b;
        }
        return b.map(x -> x.isBefore(a.get()) ? x : a.get()).or(() -> a);
    }

    /**
     * When the agent's requests that count towards transaction limits arrived: those that send value or
     * set an allowance and are awaiting approval, allowed, on their way to the chain, or reached it (a
     * reverted transaction was still sent). Denied, rejected and expired requests, and failures before
     * signing, moved nothing. Treasury actions on the agent's wallets are not the agent's requests.
     */
    private List<Instant> transactionsSince(AgentId agent, Instant since, Optional<UUID> excluding) {
        return jdbc.sql("""
                select created_at from requests
                where agent_id = :agent and created_at >= :since
                  and (status in ('PENDING_APPROVAL', 'APPROVED', 'ALLOWED', 'SIGNED', 'SUBMITTED', 'CONFIRMED')
                       or (status = 'FAILED' and tx_hash is not null))
                  -- As the rule counts: a request that sends value or sets an allowance.
                  and (exists (select 1 from reservations r where r.request_id = requests.id and r.units > 0
                                 and r.kind in ('OUTFLOW', 'EXPOSURE'))
                       or effects @> '[{"type": "APPROVAL"}]')
                  and (cast(:excluding as uuid) is null or id <> cast(:excluding as uuid))
                """ + "  and kind not in " + RequestKind.TREASURY_KINDS_SQL)
                .param("agent", agent.value())
                .param("since", utc(since))
                .param("excluding", excluding.orElse(null))
                .query((rs, n) ->
                        rs.getObject("created_at", OffsetDateTime.class).toInstant())
                .list();
    }

    /** When the agent's own transactions (not treasury actions) that were mined and reverted were made. */
    private List<Instant> revertsSince(AgentId agent, Instant since) {
        return jdbc.sql("""
                select created_at from requests
                where agent_id = :agent and created_at >= :since and status = 'FAILED' and block_number is not null
                  and kind not in """ + RequestKind.TREASURY_KINDS_SQL)
                .param("agent", agent.value())
                .param("since", utc(since))
                .query((rs, n) ->
                        rs.getObject("created_at", OffsetDateTime.class).toInstant())
                .list();
    }

    /** What one reservation counts for: its posted amount once posted, else what it holds; to whom, or null. */
    private record Counted(Reservation.Purpose purpose, TokenAmount amount, Address counterparty, Instant at) {}

    /**
     * {@link #agentReservationsSince}, reduced to what limits read. Every decision reads every row of the
     * agent's longest window under the agent's lock, so this reads four columns by position instead of
     * building whole reservations (profiled: the row mapping was most of a decision's database time).
     */
    private List<Counted> countedSince(AgentId agent, Instant since, Optional<UUID> excluding) {
        return jdbc.sql("""
                        select r.kind, r.asset, r.counterparty, coalesce(o.posted_units, r.units), r.reserved_at
                        """ + FROM + """
                        where r.agent_id = :agent and r.reserved_at >= :since and """ + COUNTING + """
                          and (cast(:excluding as uuid) is null or r.request_id <> cast(:excluding as uuid))
                        """)
                .param("agent", agent.value())
                .param("since", utc(since))
                .param("excluding", excluding.orElse(null))
                .query((rs, n) -> {
                    byte[] counterparty = rs.getBytes(3);
                    return new Counted(
                            Reservation.Purpose.valueOf(rs.getString(1)),
                            new TokenAmount(
                                    AssetKeys.resolve(rs.getString(2), assets),
                                    rs.getBigDecimal(4).toBigIntegerExact()),
                            counterparty == null ? null : Address.of(counterparty),
                            rs.getObject(5, OffsetDateTime.class).toInstant());
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

    /**
     * The reservations that count against {@code team}'s budgets since {@code since} (value moved and
     * allowances), leaving out those of {@code excluding}.
     */
    public List<Reservation> teamReservationsSince(String team, Instant since, Optional<UUID> excluding) {
        return jdbc.sql("select " + COLUMNS + FROM + """
                        where r.team_id = :team and r.reserved_at >= :since and r.kind in ('OUTFLOW', 'EXPOSURE')
                          and """ + COUNTING + """
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
                Optional.ofNullable(rs.getObject("request_id", UUID.class)),
                Reservation.Purpose.valueOf(rs.getString("kind")),
                new TokenAmount(
                        AssetKeys.resolve(rs.getString("asset"), assets),
                        rs.getBigDecimal("units").toBigIntegerExact()),
                Optional.ofNullable(counterparty).map(Address::of),
                Optional.ofNullable(rs.getString("allowance_kind")).map(Approval.Kind::valueOf),
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
