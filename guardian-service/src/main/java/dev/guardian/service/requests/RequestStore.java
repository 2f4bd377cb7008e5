package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.TxHash;
import dev.guardian.policy.WalletId;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.policy.rules.SpendingState;
import dev.guardian.policy.rules.TeamBudgets;
import dev.guardian.service.agents.AgentLocks;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * SQL for requests, budget reservations and nonces. Every method runs in the caller's transaction;
 * the locking methods say which lock they take and the caller decides how long it is held.
 */
public class RequestStore {
    private static final String COLUMNS = """
            id, agent_id, wallet_id, idempotency_key, fingerprint, kind, to_address, value_wei, data, description,
            status, verdict, reasons, effects, policy_version, screening_version, nonce, tx_hash, raw_tx,
            block_number, failure, approvals_required, approval_deadline, created_at, updated_at
            """;

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final AssetRegistry assets;
    private final StatusListener listener;

    /**
     * Told of every status a request takes, inside the transaction that sets it, so whatever it writes
     * (a notification in an outbox) commits or rolls back with the change itself.
     */
    public interface StatusListener {
        StatusListener NONE = new StatusListener() {
            @Override
            public boolean interestedIn(RequestStatus status) {
                return false;
            }

            @Override
            public void statusChanged(StoredRequest request) {}
        };

        /** Whether {@link #statusChanged} wants requests that take this status (saves reading them back). */
        default boolean interestedIn(RequestStatus status) {
            return true;
        }

        void statusChanged(StoredRequest request);
    }

    public RequestStore(JdbcClient jdbc, JsonMapper json, AssetRegistry assets) {
        this(jdbc, json, assets, StatusListener.NONE);
    }

    public RequestStore(JdbcClient jdbc, JsonMapper json, AssetRegistry assets, StatusListener listener) {
        this.jdbc = jdbc;
        this.json = json;
        this.assets = assets;
        this.listener = listener;
    }

    private void announce(UUID id, RequestStatus status) {
        if (listener.interestedIn(status)) {
            listener.statusChanged(find(id).orElseThrow());
        }
    }

    /**
     * Serialises every decision for one agent, on every instance, until the transaction ends: budgets
     * are per agent, so the spending read and the reservation written must not interleave.
     */
    public void lockAgent(AgentId agent) {
        AgentLocks.lock(jdbc, agent);
    }

    /**
     * Serialises every decision that draws on a team's budgets. Taken after the agent's lock and never
     * the other way round (an agent lock is never requested while a team lock is held), so two agents of
     * one team cannot deadlock.
     */
    public void lockTeam(String team) {
        AgentLocks.lockTeam(jdbc, team);
    }

    public Optional<StoredRequest> findByIdempotencyKey(AgentId agent, String key) {
        return jdbc.sql("select " + COLUMNS + " from requests where agent_id = :agent and idempotency_key = :key")
                .param("agent", agent.value())
                .param("key", key)
                .query(this::map)
                .optional();
    }

    public Optional<StoredRequest> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from requests where id = :id")
                .param("id", id)
                .query(this::map)
                .optional();
    }

    /** The agent's {@code limit} most recent requests, newest first. */
    public List<StoredRequest> recentOf(AgentId agent, int limit) {
        return jdbc.sql("select " + COLUMNS
                        + " from requests where agent_id = :agent order by created_at desc, id limit :limit")
                .param("agent", agent.value())
                .param("limit", limit)
                .query(this::map)
                .list();
    }

    /** Locks the request's row until the transaction ends. */
    public Optional<StoredRequest> lock(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from requests where id = :id for update")
                .param("id", id)
                .query(this::map)
                .optional();
    }

    /** Locks the row if no other transaction holds it; empty otherwise (another worker has claimed it). */
    public Optional<StoredRequest> claim(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from requests where id = :id for update skip locked")
                .param("id", id)
                .query(this::map)
                .optional();
    }

    /** Requests whose transaction is signed or submitted but not yet settled, least recently checked first. */
    public List<UUID> inFlight(int limit) {
        return jdbc.sql("""
                select id from requests where status in ('SIGNED', 'SUBMITTED')
                order by checked_at nulls first, updated_at limit :limit
                """).param("limit", limit).query(UUID.class).list();
    }

    /** ALLOWED or APPROVED requests last changed before {@code before}: their submission was interrupted (a crash, a restart). */
    public List<UUID> allowedBefore(Instant before, int limit) {
        return jdbc.sql("""
                select id from requests where status in ('ALLOWED', 'APPROVED') and updated_at < :before
                order by updated_at limit :limit
                """)
                .param("before", utc(before))
                .param("limit", limit)
                .query(UUID.class)
                .list();
    }

    public record NewRequest(
            UUID id,
            AgentId agentId,
            WalletId walletId,
            Optional<String> idempotencyKey,
            AgentRequest request,
            Address to,
            BigInteger valueWei,
            byte[] data,
            RequestStatus status,
            Verdict verdict,
            List<ReasonView> reasons,
            List<EffectView> effects,
            String policyVersion,
            Optional<TeamBudgets> team,
            Optional<String> screeningVersion,
            Optional<Integer> approvalsRequired,
            Optional<Instant> approvalDeadline,
            Instant at) {}

    public void insert(NewRequest r) {
        jdbc.sql("""
                insert into requests (id, agent_id, wallet_id, idempotency_key, fingerprint, kind, to_address, value_wei,
                    data, description, status, verdict, reasons, effects, policy_version, team_id, team_version,
                    screening_version, approvals_required, approval_deadline, created_at, updated_at)
                values (:id, :agent, :wallet, :key, :fingerprint, :kind, :to, :value, :data, cast(:description as jsonb),
                    :status, :verdict, cast(:reasons as jsonb), cast(:effects as jsonb), :policy, :team, :teamVersion,
                    :screening, :required, :deadline, :at, :at)
                """)
                .param("id", r.id())
                .param("agent", r.agentId().value())
                .param("wallet", r.walletId().value())
                .param("key", r.idempotencyKey().orElse(null))
                .param("fingerprint", r.request().fingerprint())
                .param("kind", r.request().kind())
                .param("to", r.to().toBytes())
                .param("value", new BigDecimal(r.valueWei()))
                .param("data", r.data())
                .param("description", json.writeValueAsString(r.request().describe()))
                .param("status", r.status().name())
                .param("verdict", r.verdict().name())
                .param("reasons", json.writeValueAsString(r.reasons()))
                .param("effects", json.writeValueAsString(r.effects()))
                .param("policy", r.policyVersion())
                .param("team", r.team().map(TeamBudgets::team).orElse(null))
                .param("teamVersion", r.team().map(TeamBudgets::version).orElse(null))
                .param("screening", r.screeningVersion().orElse(null))
                .param("required", r.approvalsRequired().orElse(null))
                .param("deadline", r.approvalDeadline().map(RequestStore::utc).orElse(null))
                .param("at", utc(r.at()))
                .update();
        announce(r.id(), r.status());
    }

    public void markStatus(UUID id, RequestStatus status, Optional<String> failure, Instant at) {
        jdbc.sql("update requests set status = :status, failure = :failure, updated_at = :at where id = :id")
                .param("id", id)
                .param("status", status.name())
                .param("failure", failure.orElse(null))
                .param("at", utc(at))
                .update();
        announce(id, status);
    }

    public void markSigned(UUID id, RequestStatus status, long nonce, TxHash hash, byte[] raw, Instant at) {
        jdbc.sql("""
                update requests set status = :status, nonce = :nonce, tx_hash = :hash, raw_tx = :raw, updated_at = :at
                where id = :id
                """)
                .param("id", id)
                .param("status", status.name())
                .param("nonce", nonce)
                .param("hash", hash.toBytes())
                .param("raw", raw)
                .param("at", utc(at))
                .update();
        announce(id, status);
    }

    public void markSettled(UUID id, RequestStatus status, long blockNumber, Optional<String> failure, Instant at) {
        jdbc.sql("""
                update requests set status = :status, block_number = :block, failure = :failure, updated_at = :at
                where id = :id
                """)
                .param("id", id)
                .param("status", status.name())
                .param("block", blockNumber)
                .param("failure", failure.orElse(null))
                .param("at", utc(at))
                .update();
        announce(id, status);
    }

    /** Holds {@code amount} against the agent's budgets and, when it has one, its team's. */
    public void reserve(UUID requestId, AgentId agent, Optional<String> team, TokenAmount amount, Instant at) {
        jdbc.sql("""
                insert into reservations (request_id, agent_id, team_id, asset, units, status, reserved_at)
                values (:request, :agent, :team, :asset, :units, 'HELD', :at)
                """)
                .param("request", requestId)
                .param("agent", agent.value())
                .param("team", team.orElse(null))
                .param("asset", AssetKeys.key(amount.asset()))
                .param("units", new BigDecimal(amount.units()))
                .param("at", utc(at))
                .update();
    }

    /**
     * Records what of a reservation goes to one counterparty, for per-counterparty caps. It counts for as
     * long as the request's reservation of that asset is not released.
     */
    public void reserveForCounterparty(UUID requestId, Address counterparty, TokenAmount amount) {
        jdbc.sql("""
                insert into counterparty_reservations (request_id, asset, counterparty, units)
                values (:request, :asset, :counterparty, :units)
                on conflict (request_id, asset, counterparty) do update
                    set units = counterparty_reservations.units + excluded.units
                """)
                .param("request", requestId)
                .param("asset", AssetKeys.key(amount.asset()))
                .param("counterparty", counterparty.toBytes())
                .param("units", new BigDecimal(amount.units()))
                .update();
    }

    /** Commits or releases the reservations a request still holds; settled ones are left alone. */
    public void settleReservations(UUID requestId, boolean commit, Instant at) {
        jdbc.sql("""
                update reservations set status = :status, settled_at = :at where request_id = :request and status = 'HELD'
                """)
                .param("request", requestId)
                .param("status", commit ? "COMMITTED" : "RELEASED")
                .param("at", utc(at))
                .update();
    }

    /**
     * What the agent's policy needs of its spending, and nothing more: held and committed reservations
     * since {@code budgetsSince}, what went to each counterparty since {@code counterpartiesSince}, and
     * the requests that count towards transaction limits since {@code transactionsSince}. An empty
     * instant means the policy has no such limit, so that part is not read.
     */
    public SpendingState spendingSince(
            AgentId agent,
            Optional<Instant> budgetsSince,
            Optional<Instant> counterpartiesSince,
            Optional<Instant> transactionsSince,
            Optional<UUID> excluding) {
        List<SpendingState.Spend> spends = budgetsSince
                .map(since -> reservationsSince(agent, since, excluding).stream()
                        .map(r -> new SpendingState.Spend(r.amount(), r.at()))
                        .toList())
                .orElse(List.of());
        List<SpendingState.CounterpartySpend> toCounterparties = counterpartiesSince
                .map(since -> jdbc.sql("""
                select c.counterparty, c.asset, c.units, r.reserved_at
                from counterparty_reservations c
                join reservations r on r.request_id = c.request_id and r.asset = c.asset
                where r.agent_id = :agent and r.status <> 'RELEASED' and r.reserved_at >= :since
                  and (cast(:excluding as uuid) is null or r.request_id <> cast(:excluding as uuid))
                """)
                        .param("agent", agent.value())
                        .param("since", utc(since))
                        .param("excluding", excluding.orElse(null))
                        .query((rs, n) -> new SpendingState.CounterpartySpend(
                                Address.of(rs.getBytes("counterparty")),
                                new TokenAmount(
                                        AssetKeys.resolve(rs.getString("asset"), assets),
                                        rs.getBigDecimal("units").toBigIntegerExact()),
                                rs.getObject("reserved_at", OffsetDateTime.class)
                                        .toInstant()))
                        .list())
                .orElse(List.of());
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

    /**
     * Held and committed reservations counted against {@code team}'s budgets since {@code since}, leaving
     * out those of {@code excluding}.
     */
    public List<Reservation> teamReservationsSince(String team, Instant since, Optional<UUID> excluding) {
        return jdbc.sql("""
                select asset, units, status, reserved_at from reservations
                where team_id = :team and status <> 'RELEASED' and reserved_at >= :since
                  and (cast(:excluding as uuid) is null or request_id <> cast(:excluding as uuid))
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
                .map(r -> new SpendingState.Spend(r.amount(), r.at()))
                .toList());
    }

    public record Reservation(TokenAmount amount, Instant at, boolean held) {}

    private Reservation reservation(ResultSet rs, int row) throws SQLException {
        return new Reservation(
                new TokenAmount(
                        AssetKeys.resolve(rs.getString("asset"), assets),
                        rs.getBigDecimal("units").toBigIntegerExact()),
                rs.getObject("reserved_at", OffsetDateTime.class).toInstant(),
                "HELD".equals(rs.getString("status")));
    }

    public List<Reservation> reservationsSince(AgentId agent, Instant since) {
        return reservationsSince(agent, since, Optional.empty());
    }

    /** The reservations a request holds or has settled (released ones included), per asset. */
    public List<Reservation> reservationsOf(UUID requestId) {
        return jdbc.sql("select asset, units, status, reserved_at from reservations where request_id = :id")
                .param("id", requestId)
                .query(this::reservation)
                .list();
    }

    public List<Reservation> reservationsSince(AgentId agent, Instant since, Optional<UUID> excluding) {
        return jdbc.sql("""
                select asset, units, status, reserved_at from reservations
                where agent_id = :agent and status <> 'RELEASED' and reserved_at >= :since
                  and (cast(:excluding as uuid) is null or request_id <> cast(:excluding as uuid))
                """)
                .param("agent", agent.value())
                .param("since", utc(since))
                .param("excluding", excluding.orElse(null))
                .query(this::reservation)
                .list();
    }

    /** Locks the nonce row of {@code address} (creating it at {@code initial} if absent) and returns the next nonce. */
    public long lockNextNonce(Address address, long initial) {
        jdbc.sql(
                        "insert into nonces (address, next_nonce) values (:address, :initial) on conflict (address) do nothing")
                .param("address", address.toBytes())
                .param("initial", initial)
                .update();
        return jdbc.sql("select next_nonce from nonces where address = :address for update")
                .param("address", address.toBytes())
                .query(Long.class)
                .single();
    }

    /** Notes that the worker looked at a request in flight, so the next pass starts with others. */
    public void markChecked(UUID id, Instant at) {
        jdbc.sql("update requests set checked_at = :at where id = :id")
                .param("id", id)
                .param("at", utc(at))
                .update();
    }

    /**
     * Gives a nonce that was never used back: the request that held it lets go of it (its audit records
     * keep the signed transaction's hash and nonce), and the next transaction of the address takes it.
     */
    public void releaseNonce(UUID requestId, Address address, long nonce) {
        jdbc.sql("update requests set nonce = null where id = :id and nonce = :nonce")
                .param("id", requestId)
                .param("nonce", nonce)
                .update();
        jdbc.sql("update nonces set next_nonce = least(next_nonce, :nonce) where address = :address")
                .param("address", address.toBytes())
                .param("nonce", nonce)
                .update();
    }

    /**
     * Counts a request's held reservations from {@code at}: the money of an approved request moves when
     * it is approved, not when it was escalated, so its place in the budget window starts then.
     */
    public void restampReservations(UUID requestId, Instant at) {
        jdbc.sql("update reservations set reserved_at = :at where request_id = :request and status = 'HELD'")
                .param("request", requestId)
                .param("at", utc(at))
                .update();
    }

    /**
     * Whether the agent is frozen, read under a share lock on its row: a freeze (an update of that row)
     * waits until this transaction ends, so it cannot slip in between this read and what it guards.
     */
    public boolean agentFrozenForShare(AgentId agent) {
        return jdbc.sql("select frozen from agents where id = :id for share")
                .param("id", agent.value())
                .query(Boolean.class)
                .single();
    }

    /** Raises the number of approvals a pending request needs (the version active now asks for more). */
    public void requireApprovals(UUID requestId, int required) {
        jdbc.sql("update requests set approvals_required = :required where id = :id")
                .param("required", required)
                .param("id", requestId)
                .update();
    }

    /**
     * Records what judged a request at its final approval: the policy version and team budgets active
     * then. Its held reservations move to that team (or to none), so the money counts against the team
     * that was checked, whatever team the agent was in when it asked.
     */
    public void recordFinalJudgement(UUID requestId, String policyVersion, Optional<TeamBudgets> team) {
        jdbc.sql(
                        "update requests set policy_version = :policy, team_id = :team, team_version = :teamVersion where id = :id")
                .param("policy", policyVersion)
                .param("team", team.map(TeamBudgets::team).orElse(null))
                .param("teamVersion", team.map(TeamBudgets::version).orElse(null))
                .param("id", requestId)
                .update();
        jdbc.sql("update reservations set team_id = :team where request_id = :id and status = 'HELD'")
                .param("team", team.map(TeamBudgets::team).orElse(null))
                .param("id", requestId)
                .update();
    }

    public void saveNextNonce(Address address, long next) {
        jdbc.sql("update nonces set next_nonce = :next where address = :address")
                .param("address", address.toBytes())
                .param("next", next)
                .update();
    }

    private StoredRequest map(ResultSet rs, int row) throws SQLException {
        Long nonce = rs.getObject("nonce", Long.class);
        byte[] hash = rs.getBytes("tx_hash");
        Long block = rs.getObject("block_number", Long.class);
        Integer required = rs.getObject("approvals_required", Integer.class);
        OffsetDateTime deadline = rs.getObject("approval_deadline", OffsetDateTime.class);
        return new StoredRequest(
                rs.getObject("id", UUID.class),
                new AgentId(rs.getString("agent_id")),
                new WalletId(rs.getString("wallet_id")),
                Optional.ofNullable(rs.getString("idempotency_key")),
                rs.getBytes("fingerprint"),
                rs.getString("kind"),
                Address.of(rs.getBytes("to_address")),
                rs.getBigDecimal("value_wei").toBigIntegerExact(),
                rs.getBytes("data"),
                json.readValue(rs.getString("description"), new TypeReference<Map<String, Object>>() {}),
                RequestStatus.valueOf(rs.getString("status")),
                Verdict.valueOf(rs.getString("verdict")),
                json.readValue(rs.getString("reasons"), new TypeReference<List<ReasonView>>() {}),
                json.readValue(rs.getString("effects"), new TypeReference<List<EffectView>>() {}),
                rs.getString("policy_version"),
                Optional.ofNullable(rs.getString("screening_version")),
                Optional.ofNullable(nonce),
                Optional.ofNullable(hash).map(TxHash::of),
                Optional.ofNullable(rs.getBytes("raw_tx")),
                Optional.ofNullable(block),
                Optional.ofNullable(rs.getString("failure")),
                Optional.ofNullable(required),
                Optional.ofNullable(deadline).map(OffsetDateTime::toInstant),
                rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant());
    }

    private static OffsetDateTime utc(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }
}
