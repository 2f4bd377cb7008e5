package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.TxHash;
import dev.guardian.policy.WalletId;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.policy.effects.Approval;
import dev.guardian.service.locks.AdvisoryLocks;
import dev.guardian.service.signatures.OnChainUse;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads of requests, the decision path's locks, and nonces. Every method runs in the caller's
 * transaction; the locking methods say which lock they take and the caller decides how long it is
 * held. A request's state is written only by {@link RequestTransitions}.
 */
public class RequestStore {
    static final String COLUMNS = """
            id, agent_id, wallet_id, idempotency_key, fingerprint, kind, to_address, value_wei, data, description,
            status, verdict, reasons, effects, policy_version, screening_version, nonce, tx_hash, raw_tx,
            block_number, failure, approvals_required, approval_deadline, created_at, updated_at,
            gas_limit, max_fee_per_gas, max_priority_fee_per_gas, l1_fee, fee_paid,
            allowance_changes::text as allowance_changes, executed_effects::text as executed_effects,
            divergence::text as divergence, signing_postponed_at, signing_retried_at, signing_postponed_error,
            typed_data::text as typed_data, signature, usable_until, cancels, settled_in, relayer,
            on_chain_use::text as on_chain_use
            """;

    private final JdbcClient jdbc;
    private final JsonMapper json;

    RequestStore(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Serialises every decision for one agent, on every instance, until the transaction ends: budgets
     * are per agent, so the spending read and the reservation written must not interleave.
     */
    public void lockAgent(AgentId agent) {
        AdvisoryLocks.agent(jdbc, agent);
    }

    /**
     * Serialises every decision that draws on a team's budgets. Taken after the agent's lock and never
     * the other way round (an agent lock is never requested while a team lock is held), so two agents of
     * one team cannot deadlock.
     */
    public void lockTeam(String team) {
        AdvisoryLocks.team(jdbc, team);
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

    /**
     * The agent's {@code limit} most recent requests of its own, newest first: treasury actions on its
     * wallets were judged by the treasury check, not by a policy, and are left out.
     */
    public List<StoredRequest> recentOf(AgentId agent, int limit) {
        return jdbc.sql("select " + COLUMNS + " from requests where agent_id = :agent and kind not in "
                        + RequestKind.TREASURY_KINDS_SQL + " order by created_at desc, id limit :limit")
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

    /**
     * ALLOWED or APPROVED requests to sign again, least recently tried first: those whose signing met a chain
     * outage and were last tried before {@code retryBefore}, and those never postponed that last changed
     * before {@code interruptedBefore} (their submission was interrupted: a crash, a restart).
     */
    public List<UUID> resumable(Instant interruptedBefore, Instant retryBefore, int limit) {
        return jdbc.sql("""
                select id from requests
                where status in ('ALLOWED', 'APPROVED')
                  and (signing_retried_at < :retryBefore
                       or (signing_retried_at is null and updated_at < :interruptedBefore))
                order by coalesce(signing_retried_at, updated_at) limit :limit
                """)
                .param("interruptedBefore", utc(interruptedBefore))
                .param("retryBefore", utc(retryBefore))
                .param("limit", limit)
                .query(UUID.class)
                .list();
    }

    /** A transaction Guardian signed for a request: its first, a replacement, or a cancellation. */
    public record Attempt(
            TxHash txHash, long nonce, boolean cancellation, JudgedFee fee, byte[] rawTx, Instant signedAt) {}

    /** Keeps a signed transaction among the request's attempts (append-only). */
    void recordAttempt(UUID requestId, RequestEvent.SignedTransactionEvent signed, boolean cancellation, Instant at) {
        jdbc.sql("""
                        insert into transaction_attempts (tx_hash, request_id, nonce, purpose, gas_limit, max_fee_per_gas,
                            max_priority_fee_per_gas, raw_tx, signed_at)
                        values (:hash, :request, :nonce, :purpose, :gas, :maxFee, :tip, :raw, :at)
                        """)
                .param("hash", signed.txHash().toBytes())
                .param("request", requestId)
                .param("nonce", signed.nonce())
                .param("purpose", cancellation ? "CANCELLATION" : "PAYMENT")
                .param("gas", signed.gasLimit())
                .param("maxFee", new BigDecimal(signed.maxFeePerGasWei()))
                .param("tip", new BigDecimal(signed.maxPriorityFeePerGasWei()))
                .param("raw", signed.rawTransaction())
                .param("at", OffsetDateTime.ofInstant(at, ZoneOffset.UTC))
                .update();
    }

    /** Every transaction signed for the request, newest first: any of them may be the one mined. */
    public List<Attempt> attempts(UUID requestId) {
        return jdbc.sql("""
                        select tx_hash, nonce, purpose, gas_limit, max_fee_per_gas, max_priority_fee_per_gas, raw_tx,
                            signed_at
                        from transaction_attempts where request_id = :request order by signed_at desc, purpose
                        """)
                .param("request", requestId)
                .query((rs, n) -> new Attempt(
                        TxHash.of(rs.getBytes("tx_hash")),
                        rs.getLong("nonce"),
                        rs.getString("purpose").equals("CANCELLATION"),
                        new JudgedFee(
                                rs.getLong("gas_limit"),
                                rs.getBigDecimal("max_fee_per_gas").toBigIntegerExact(),
                                rs.getBigDecimal("max_priority_fee_per_gas").toBigIntegerExact(),
                                BigInteger.ZERO),
                        rs.getBytes("raw_tx"),
                        rs.getObject("signed_at", OffsetDateTime.class).toInstant()))
                .list();
    }

    /** Whether the agent is frozen now (read without a lock: for deciding to cancel, not for signing). */
    public boolean agentFrozen(AgentId agent) {
        return jdbc.sql("select frozen from agents where id = :id")
                .param("id", agent.value())
                .query(Boolean.class)
                .single();
    }

    /**
     * The transactions of the wallet's own that are on their way to the chain: allowed or approved (to be
     * signed), signed, or submitted and not yet settled by their receipt; oldest first. What the relayer sends
     * for the wallet (a cancellation of an authorization) is not among them: it spends none of the wallet's ETH
     * and takes none of its nonces.
     */
    public List<UUID> inFlightOf(WalletId wallet) {
        return jdbc.sql("""
                select id from requests
                where wallet_id = :wallet and relayer is null
                  and status in ('ALLOWED', 'APPROVED', 'SIGNED', 'SUBMITTED')
                order by created_at, id
                """).param("wallet", wallet.value()).query(UUID.class).list();
    }

    /** The requests whose transactions {@code relayer} signed and that are not settled yet, oldest first. */
    public List<UUID> relayedInFlight(String relayer) {
        return jdbc.sql("""
                select id from requests where relayer = :relayer and status in ('SIGNED', 'SUBMITTED')
                order by created_at, id
                """).param("relayer", relayer).query(UUID.class).list();
    }

    /** Treasury revocations of this allowance of the wallet that are on their way to the chain. */
    public List<UUID> revocationsInFlight(WalletId wallet, Address token, Address spender, Approval.Kind kind) {
        return jdbc.sql("""
                select id from requests
                where wallet_id = :wallet and kind = :kind and status in ('ALLOWED', 'APPROVED', 'SIGNED', 'SUBMITTED')
                  and description ->> 'tokenAddress' = :token and description ->> 'spender' = :spender
                  and description ->> 'allowance' = :allowance
                order by created_at, id
                """)
                .param("wallet", wallet.value())
                .param("kind", RequestKind.TREASURY_REVOKE.name())
                .param("token", token.toString())
                .param("spender", spender.toString())
                .param("allowance", kind.name())
                .query(UUID.class)
                .list();
    }

    /** The cancellation of an authorization that is on its way or done (one that failed or was denied is not). */
    public Optional<UUID> cancellationOf(UUID authorization) {
        return jdbc.sql("""
                select id from requests where cancels = :authorization and status not in ('FAILED', 'DENIED')
                """)
                .param("authorization", authorization)
                .query(UUID.class)
                .optional();
    }

    /** How many cancellations of an authorization were denied or failed, and when the last of them settled. */
    public record FailedCancellations(int count, Optional<Instant> lastAt) {}

    /**
     * The cancellations of an authorization that were denied or failed, whichever instance made them: the watcher
     * waits longer after each before it tries again ({@code CancellationBackoff}).
     */
    public FailedCancellations failedCancellationsOf(UUID authorization) {
        return jdbc.sql("""
                        select count(*) as n, max(updated_at) as last_at from requests
                        where cancels = :authorization and status in ('FAILED', 'DENIED')
                        """)
                .param("authorization", authorization)
                .query((rs, n) -> new FailedCancellations(
                        rs.getInt("n"),
                        Optional.ofNullable(rs.getObject("last_at", OffsetDateTime.class))
                                .map(OffsetDateTime::toInstant)))
                .single();
    }

    /** Outstanding typed-data signatures (AUTHORIZED), soonest to stop being usable first. */
    public List<UUID> authorized(int limit) {
        return jdbc.sql("""
                select id from requests where status = 'AUTHORIZED' order by usable_until, id limit :limit
                """).param("limit", limit).query(UUID.class).list();
    }

    /**
     * The typed-data request of {@code wallet} whose EIP-3009 authorization, signed by Guardian, one of
     * {@code nonces} is, paying {@code to} exactly {@code units} of {@code token}, other than those in
     * {@code excluding}: the judged payment a transfer made by someone else (an x402 facilitator) is.
     */
    public Optional<UUID> authorizationPaying(
            WalletId wallet, Address token, List<String> nonces, Address to, BigInteger units, Set<UUID> excluding) {
        return jdbc
                .sql("""
                        select id from requests
                        where wallet_id = :wallet and kind in ('TYPED_DATA', 'X402_PAYMENT') and signature is not null
                          and status in ('AUTHORIZED', 'CONFIRMED')
                          and typed_data ->> 'primaryType' in ('TransferWithAuthorization', 'ReceiveWithAuthorization')
                          and lower(typed_data -> 'domain' ->> 'verifyingContract') = :token
                          and lower(typed_data -> 'message' ->> 'nonce') in (:nonces)
                          and lower(typed_data -> 'message' ->> 'to') = :to
                          and typed_data -> 'message' ->> 'value' = :units
                        order by created_at, id
                        """)
                .param("wallet", wallet.value())
                .param("token", token.toLowerHex())
                .param(
                        "nonces",
                        nonces.stream().map(n -> n.toLowerCase(Locale.ROOT)).toList())
                .param("to", to.toLowerHex())
                .param("units", units.toString())
                .query(UUID.class)
                .list()
                .stream()
                .filter(id -> !excluding.contains(id))
                .findFirst();
    }

    /** Whether {@code address} is one of Guardian's own wallets, of any agent. */
    public boolean isWalletAddress(Address address) {
        return jdbc.sql("select exists (select 1 from wallets where address = :address)")
                .param("address", address.toBytes())
                .query(Boolean.class)
                .single();
    }

    /** The address of the wallet {@code wallet}. */
    public Address walletAddress(WalletId wallet) {
        return jdbc.sql("select address from wallets where id = :id")
                .param("id", wallet.value())
                .query((rs, n) -> Address.of(rs.getBytes(1)))
                .single();
    }

    /** Which of {@code hashes} are transactions Guardian signed for a request of {@code wallet}, of any attempt. */
    public Set<TxHash> ownTransactions(WalletId wallet, Collection<TxHash> hashes) {
        if (hashes.isEmpty()) {
            return Set.of();
        }
        // A request's own hash, and every other transaction signed for it (a replacement, a cancellation).
        return jdbc.sql("""
                        select tx_hash from requests where wallet_id = :wallet and tx_hash in (:hashes)
                        union
                        select a.tx_hash from transaction_attempts a join requests q on q.id = a.request_id
                        where q.wallet_id = :wallet and a.tx_hash in (:hashes)
                        """)
                .param("wallet", wallet.value())
                .param("hashes", hashes.stream().map(TxHash::toBytes).toList())
                .query((rs, n) -> TxHash.of(rs.getBytes(1)))
                .set();
    }

    /**
     * A transaction Guardian signed for a request of a wallet: its nonce, hash, the value it sends, and, once
     * the receipt worker has recorded it, the block it was mined in, whether it succeeded and its fee.
     */
    public record OwnTransaction(
            UUID request,
            Optional<Long> nonce,
            TxHash hash,
            RequestStatus status,
            BigInteger valueWei,
            Optional<Long> block,
            Optional<BigInteger> feePaid) {
        /** Still on its way to a receipt: it may be mined already without Guardian having recorded it. */
        public boolean inFlight() {
            return status == RequestStatus.SIGNED || status == RequestStatus.SUBMITTED;
        }

        /** Mined and succeeded (its value moved), as recorded. */
        public boolean succeeded() {
            return status == RequestStatus.CONFIRMED || status == RequestStatus.DIVERGED;
        }
    }

    /**
     * The transactions Guardian signed for {@code wallet} and sent from it that were recorded as mined in
     * blocks {@code (afterBlock, toBlock]}, and those still in flight (which may be mined already), by nonce.
     * Those the relayer sent for the wallet are not among them: their nonces are the relayer's, and their fees
     * left the relayer, not the wallet.
     */
    public List<OwnTransaction> ownTransactionsMinedOrInFlight(WalletId wallet, long afterBlock, long toBlock) {
        return jdbc.sql("""
                        select id, nonce, tx_hash, status, value_wei, block_number, fee_paid from requests
                        where wallet_id = :wallet and relayer is null and tx_hash is not null
                          and ((block_number > :after and block_number <= :to) or status in ('SIGNED', 'SUBMITTED'))
                        order by nonce nulls last, created_at
                        """)
                .param("wallet", wallet.value())
                .param("after", afterBlock)
                .param("to", toBlock)
                .query((rs, n) -> new OwnTransaction(
                        rs.getObject("id", UUID.class),
                        Optional.ofNullable(rs.getObject("nonce", Long.class)),
                        TxHash.of(rs.getBytes("tx_hash")),
                        RequestStatus.valueOf(rs.getString("status")),
                        rs.getBigDecimal("value_wei").toBigIntegerExact(),
                        Optional.ofNullable(rs.getObject("block_number", Long.class)),
                        Optional.ofNullable(rs.getBigDecimal("fee_paid")).map(BigDecimal::toBigIntegerExact)))
                .list();
    }

    /**
     * How much of {@code walletAddress}'s {@code asset} {@code spender} moved with the wallet's allowance
     * inside transactions Guardian signed for {@code wallet} and recorded as mined (their executed effects):
     * uses of an allowance that Guardian's own requests made.
     */
    public BigInteger pulledInOwnTransactions(WalletId wallet, Address walletAddress, String asset, Address spender) {
        return jdbc.sql("""
                        select coalesce(sum((e->>'units')::numeric), 0) from requests q
                        cross join lateral jsonb_array_elements(coalesce(q.executed_effects, '[]'::jsonb)) e
                        where q.wallet_id = :wallet and q.status in ('CONFIRMED', 'DIVERGED')
                          and e->>'type' = 'TRANSFER' and e->>'asset' = :asset
                          and lower(e->>'from') = :from and lower(e->>'operator') = :spender
                        """)
                .param("wallet", wallet.value())
                .param("asset", asset)
                .param("from", walletAddress.toLowerHex())
                .param("spender", spender.toLowerHex())
                .query(BigDecimal.class)
                .single()
                .toBigIntegerExact();
    }

    /**
     * The next nonce stored for {@code address}, read without a lock: what a transaction signed now would
     * most likely take (signing takes the larger of it and the chain's pending nonce, under the row lock).
     */
    public OptionalLong storedNextNonce(Address address) {
        return jdbc.sql("select next_nonce from nonces where address = :address")
                .param("address", address.toBytes())
                .query(Long.class)
                .optional()
                .map(OptionalLong::of)
                .orElse(OptionalLong.empty());
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

    /**
     * The wallet's confirmed nonce as wallet reconciliation last reviewed it (every nonce below it was either
     * signed by Guardian or recorded as an external outflow), or empty before its first pass.
     */
    public Optional<Long> reconciledNonce(WalletId wallet) {
        return jdbc.sql("select nonce from wallet_reconciliations where wallet_id = :wallet")
                .param("wallet", wallet.value())
                .query(Long.class)
                .optional();
    }

    /** The address that sends the request's transaction: the relayer's when it names one, else its wallet's. */
    public Address senderOf(StoredRequest request) {
        if (request.relayer().isPresent()) {
            return Address.of(jdbc.sql("select address from relayer_accounts where id = :relayer")
                    .param("relayer", request.relayer().get())
                    .query(byte[].class)
                    .single());
        }
        return walletAddress(request.walletId());
    }

    /**
     * Restarts a request's re-send clock (its {@code updated_at}) without changing its state: the node
     * refused a re-broadcast again, or the chain's nonce has just passed it, and the worker looks again
     * after the next interval.
     */
    public void touch(UUID id, Instant at) {
        jdbc.sql("update requests set updated_at = :at where id = :id")
                .param("id", id)
                .param("at", utc(at))
                .update();
    }

    /** Notes that the worker looked at a request in flight, so the next pass starts with others. */
    public void markChecked(UUID id, Instant at) {
        jdbc.sql("update requests set checked_at = :at where id = :id")
                .param("id", id)
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

    /**
     * Moves the address's next nonce up to {@code next}, never down: a nonce that was signed with may be
     * mined whatever a node said of it, so it is never handed out again (the unique {@code (wallet_id, nonce)}
     * of a wallet's own requests, and {@code (relayer, nonce)} of the relayer's, are the backstop).
     */
    public void saveNextNonce(Address address, long next) {
        jdbc.sql("update nonces set next_nonce = greatest(next_nonce, :next) where address = :address")
                .param("address", address.toBytes())
                .param("next", next)
                .update();
    }

    StoredRequest map(ResultSet rs, int row) throws SQLException {
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
                rs.getObject("updated_at", OffsetDateTime.class).toInstant(),
                fee(rs),
                Optional.ofNullable(rs.getBigDecimal("fee_paid")).map(BigDecimal::toBigIntegerExact),
                allowanceChanges(rs.getString("allowance_changes")),
                Optional.ofNullable(rs.getString("executed_effects"))
                        .map(text -> json.readValue(text, new TypeReference<List<EffectView>>() {})),
                Optional.ofNullable(rs.getString("divergence"))
                        .map(text -> json.readValue(text, new TypeReference<List<String>>() {}))
                        .orElse(List.of()),
                signingPostponed(rs),
                typedData(rs),
                Optional.ofNullable(rs.getObject("cancels", UUID.class)),
                Optional.ofNullable(rs.getString("relayer")));
    }

    private Optional<SignedTypedData> typedData(ResultSet rs) throws SQLException {
        String typedData = rs.getString("typed_data");
        if (typedData == null) {
            return Optional.empty();
        }
        OffsetDateTime usableUntil = rs.getObject("usable_until", OffsetDateTime.class);
        return Optional.of(new SignedTypedData(
                typedData,
                Optional.ofNullable(rs.getBytes("signature")),
                Optional.ofNullable(usableUntil).map(OffsetDateTime::toInstant),
                Optional.ofNullable(rs.getBytes("settled_in")).map(TxHash::of),
                Optional.ofNullable(rs.getString("on_chain_use"))
                        .map(text -> OnChainUse.fromJson(
                                json.readValue(text, new TypeReference<Map<String, Object>>() {})))));
    }

    private static Optional<SigningPostponement> signingPostponed(ResultSet rs) throws SQLException {
        OffsetDateTime since = rs.getObject("signing_postponed_at", OffsetDateTime.class);
        if (since == null) {
            return Optional.empty();
        }
        return Optional.of(new SigningPostponement(
                since.toInstant(),
                rs.getObject("signing_retried_at", OffsetDateTime.class).toInstant(),
                rs.getString("signing_postponed_error")));
    }

    private static Optional<JudgedFee> fee(ResultSet rs) throws SQLException {
        Long gasLimit = rs.getObject("gas_limit", Long.class);
        if (gasLimit == null) {
            return Optional.empty();
        }
        return Optional.of(new JudgedFee(
                gasLimit,
                rs.getBigDecimal("max_fee_per_gas").toBigIntegerExact(),
                rs.getBigDecimal("max_priority_fee_per_gas").toBigIntegerExact(),
                rs.getBigDecimal("l1_fee").toBigIntegerExact()));
    }

    /** The stored form of allowance changes: one object of strings each, as {@link #allowanceChangesJson} writes it. */
    private List<AllowanceChange> allowanceChanges(String stored) {
        List<Map<String, String>> entries = json.readValue(stored, new TypeReference<List<Map<String, String>>>() {});
        return entries.stream()
                .map(e -> new AllowanceChange(
                        e.get("asset"),
                        Address.parseLenient(e.get("spender")),
                        Approval.Kind.valueOf(e.get("kind")),
                        new BigInteger(e.get("used")),
                        new BigInteger(e.get("released"))))
                .toList();
    }

    String allowanceChangesJson(List<AllowanceChange> changes) {
        return json.writeValueAsString(changes.stream()
                .map(c -> Map.of(
                        "asset", c.asset(),
                        "spender", c.spender().toString(),
                        "kind", c.kind().name(),
                        "used", c.used().toString(),
                        "released", c.released().toString()))
                .toList());
    }

    private static OffsetDateTime utc(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }

    /**
     * Writes what a Safe transaction request records of the Safe transaction (the {@code safe_tx} column), in
     * the transaction that recorded its row, and answers the request as it now stands.
     */
    StoredRequest recordSafeTransaction(UUID id, String safeTransactionJson) {
        jdbc.sql("update requests set safe_tx = cast(:json as jsonb) where id = :id and safe_tx is null")
                .param("json", safeTransactionJson)
                .param("id", id)
                .update();
        return find(id).orElseThrow();
    }

    /** What a Safe transaction request recorded of its Safe transaction (JSON); empty for any other request. */
    Optional<String> safeTransaction(UUID id) {
        return jdbc.sql("select safe_tx::text from requests where id = :id")
                .param("id", id)
                .query(String.class)
                .optional();
    }

    /** The guard of a Safe wallet, as Guardian created it; empty for a key wallet. */
    Optional<Address> safeGuard(WalletId wallet) {
        return jdbc.sql("select guard from safe_wallets where wallet_id = :wallet")
                .param("wallet", wallet.value())
                .query((rs, n) -> Address.of(rs.getBytes("guard")))
                .optional();
    }

    /**
     * Replaces what an approved Safe transaction request signs with the co-signed execTransaction its final
     * re-check simulated, and what it records of the Safe transaction with the co-signed record.
     */
    void recordSafeCoSignature(UUID id, byte[] data, String safeTransactionJson) {
        jdbc.sql("""
                update requests set data = :data, safe_tx = cast(:json as jsonb)
                where id = :id and kind = 'SAFE_TRANSACTION'
                """)
                .param("data", data)
                .param("json", safeTransactionJson)
                .param("id", id)
                .update();
    }

    /**
     * The native coin that relayed transactions of {@code wallet} (a Safe's execTransaction, sent and paid for
     * by the relayer) moved out of {@code walletAddress}, mined in ({@code afterBlock}, {@code toBlock}] or still
     * in flight: what they did as the receipt worker recorded it, or, not yet recorded, what was judged. Their
     * fee is the relayer's, never the wallet's; a reverted one moved nothing.
     */
    public BigInteger relayedNativeOut(
            WalletId wallet, Address walletAddress, String nativeSymbol, long afterBlock, long toBlock) {
        return jdbc.sql("""
                        select coalesce(sum((e->>'units')::numeric), 0) from requests q
                        cross join lateral jsonb_array_elements(coalesce(q.executed_effects, q.effects)) e
                        where q.wallet_id = :wallet and q.relayer is not null and q.tx_hash is not null
                          and q.status in ('SIGNED', 'SUBMITTED', 'CONFIRMED', 'DIVERGED')
                          and ((q.block_number > :after and q.block_number <= :to) or q.status in ('SIGNED', 'SUBMITTED'))
                          and e->>'type' = 'TRANSFER' and e->>'asset' = :asset and lower(e->>'from') = :from
                        """)
                .param("wallet", wallet.value())
                .param("after", afterBlock)
                .param("to", toBlock)
                .param("asset", nativeSymbol)
                .param("from", walletAddress.toLowerHex())
                .query(BigDecimal.class)
                .single()
                .toBigIntegerExact();
    }
}
