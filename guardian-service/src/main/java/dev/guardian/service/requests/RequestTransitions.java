package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.TxHash;
import dev.guardian.policy.WalletId;
import dev.guardian.service.audit.Actor;
import dev.guardian.service.audit.AuditLog;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The only writer of a request's state. It applies {@link RequestLifecycle} transitions to the database:
 * the request row changes with a compare-and-set on the state the caller expects it to leave, the
 * reservation changes as the table says, the event is appended to the audit log, and the
 * {@link StatusListener} (the webhook outbox) hears of it, all in the caller's transaction, so they
 * commit or roll back together. A transaction that lost a race (the row had already moved) changes
 * nothing and says so; so does an event the table does not allow in the current state.
 */
public class RequestTransitions {
    private static final Logger log = LoggerFactory.getLogger(RequestTransitions.class);

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final RequestStore store;
    private final Reservations reservations;
    private final AuditLog audit;
    private final AssetRegistry assets;
    private final StatusListener listener;

    /** Columns an event may set that hold JSON. */
    private static final Set<String> JSONB_COLUMNS = Set.of("executed_effects", "divergence", "on_chain_use");

    /**
     * Told of every state a request takes, inside the transaction that sets it, so whatever it writes
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

        /** Whether {@link #statusChanged} wants requests that take this status. */
        default boolean interestedIn(RequestStatus status) {
            return true;
        }

        void statusChanged(StoredRequest request);
    }

    RequestTransitions(
            JdbcClient jdbc,
            JsonMapper json,
            RequestStore store,
            Reservations reservations,
            AuditLog audit,
            AssetRegistry assets,
            StatusListener listener) {
        this.jdbc = jdbc;
        this.json = json;
        this.store = store;
        this.reservations = reservations;
        this.audit = audit;
        this.assets = assets;
        this.listener = listener;
    }

    /** What applying an event did. */
    public sealed interface Result {
        /** The request as it stands now: moved, or as it was found. */
        StoredRequest request();

        /** The request moved; it is now {@code request}. */
        record Applied(StoredRequest request) implements Result {}

        /** Another transaction moved the request first; it is {@code request} and nothing was changed. */
        record LostRace(StoredRequest request, RequestStatus expected) implements Result {}

        /** The event does not apply to a request in its state; nothing was changed. */
        record Illegal(StoredRequest request, RequestLifecycle.Transition.Illegal transition) implements Result {}

        default boolean applied() {
            return this instanceof Applied;
        }
    }

    /**
     * A request as it is first recorded, before its decision: what was asked for, the exact call,
     * and the simulated effects the decision was made on.
     */
    public record NewRequest(
            UUID id,
            AgentId agentId,
            WalletId walletId,
            Optional<String> idempotencyKey,
            RequestDescription request,
            Address to,
            BigInteger valueWei,
            byte[] data,
            List<EffectView> effects,
            Optional<JudgedFee> fee,
            List<AllowanceChange> allowanceChanges,
            Instant at,
            Optional<String> typedData,
            Optional<UUID> cancels,
            Optional<String> relayer) {
        /** A request that signs a transaction, sent from its own wallet. */
        public NewRequest(
                UUID id,
                AgentId agentId,
                WalletId walletId,
                Optional<String> idempotencyKey,
                RequestDescription request,
                Address to,
                BigInteger valueWei,
                byte[] data,
                List<EffectView> effects,
                Optional<JudgedFee> fee,
                List<AllowanceChange> allowanceChanges,
                Instant at) {
            this(
                    id,
                    agentId,
                    walletId,
                    idempotencyKey,
                    request,
                    to,
                    valueWei,
                    data,
                    effects,
                    fee,
                    allowanceChanges,
                    at,
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty());
        }
    }

    /**
     * Records a new request with its decision, the records of the steps that led to it ({@code steps}:
     * received, simulated, screened), and, unless it is denied, the reservation of {@code lines} against
     * its budgets (and {@code team}'s, if it has one).
     */
    public StoredRequest record(
            NewRequest request,
            List<AuditLog.Entry> steps,
            RequestEvent.Decided decided,
            Optional<String> team,
            List<Reservations.Line> lines) {
        RequestLifecycle.Transition.Moves move = switch (RequestLifecycle.next(Optional.empty(), decided)) {
            case RequestLifecycle.Transition.Moves m -> m;
            case RequestLifecycle.Transition.Illegal illegal -> throw new IllegalStateException(illegal.why());
        };
        StoredRequest stored = jdbc.sql("""
                        insert into requests (id, agent_id, wallet_id, idempotency_key, fingerprint, kind, to_address,
                            value_wei, data, description, status, verdict, reasons, effects, policy_version, team_id,
                            team_version, screening_version, approvals_required, approval_deadline, created_at, updated_at,
                            gas_limit, max_fee_per_gas, max_priority_fee_per_gas, l1_fee, allowance_changes, typed_data,
                            cancels, relayer)
                        values (:id, :agent, :wallet, :key, :fingerprint, :kind, :to, :value, :data,
                            cast(:description as jsonb), :status, :verdict, cast(:reasons as jsonb),
                            cast(:effects as jsonb), :policy, :team, :teamVersion, :screening, :required, :deadline,
                            :at, :at, :gasLimit, :maxFee, :tip, :l1Fee, cast(:allowanceChanges as jsonb),
                            cast(:typedData as jsonb), :cancels, :relayer)
                        """ + " returning " + RequestStore.COLUMNS)
                .param("id", request.id())
                .param("agent", request.agentId().value())
                .param("wallet", request.walletId().value())
                .param("key", request.idempotencyKey().orElse(null))
                .param("fingerprint", request.request().fingerprint())
                .param("kind", request.request().kind())
                .param("to", request.to().toBytes())
                .param("value", new BigDecimal(request.valueWei()))
                .param("data", request.data())
                .param("description", json.writeValueAsString(request.request().describe()))
                .param("status", move.to().name())
                .param("verdict", decided.verdict().name())
                .param("reasons", json.writeValueAsString(decided.reasons()))
                .param("effects", json.writeValueAsString(request.effects()))
                .param("policy", decided.policyVersion())
                .param("team", decided.team().map(RequestEvent.TeamVersion::id).orElse(null))
                .param(
                        "teamVersion",
                        decided.team().map(RequestEvent.TeamVersion::version).orElse(null))
                .param("screening", decided.screeningVersion().orElse(null))
                .param("required", decided.approvalsRequired().orElse(null))
                .param(
                        "deadline",
                        decided.approvalDeadline().map(RequestTransitions::utc).orElse(null))
                .param("at", utc(request.at()))
                .param("gasLimit", request.fee().map(JudgedFee::gasLimit).orElse(null))
                .param(
                        "maxFee",
                        request.fee()
                                .map(f -> new BigDecimal(f.maxFeePerGasWei()))
                                .orElse(null))
                .param(
                        "tip",
                        request.fee()
                                .map(f -> new BigDecimal(f.maxPriorityFeePerGasWei()))
                                .orElse(null))
                .param(
                        "l1Fee",
                        request.fee().map(f -> new BigDecimal(f.l1FeeWei())).orElse(null))
                .param("allowanceChanges", store.allowanceChangesJson(request.allowanceChanges()))
                .param("typedData", request.typedData().orElse(null))
                .param("cancels", request.cancels().orElse(null))
                .param("relayer", request.relayer().orElse(null))
                .query(store::map)
                .single();
        if (move.reservation() == RequestLifecycle.ReservationChange.HOLD) {
            reservations.hold(request.id(), request.agentId(), team, lines, request.at());
        }
        List<AuditLog.Entry> records = new ArrayList<>(steps);
        records.add(new AuditLog.Entry(decided, Actor.GUARDIAN));
        audit.appendAll(request.id(), records);
        announce(stored);
        return stored;
    }

    /**
     * Applies {@code event} to {@code current} (as the caller read it, usually under its row lock), if
     * the lifecycle allows it and the row is still in {@code current}'s state.
     */
    public Result apply(StoredRequest current, RequestEvent event, Actor actor, Instant at) {
        Objects.requireNonNull(current, "current");
        RequestLifecycle.Transition.Moves move;
        switch (RequestLifecycle.next(current.status(), event)) {
            case RequestLifecycle.Transition.Moves m -> move = m;
            case RequestLifecycle.Transition.Illegal illegal -> {
                log.warn("request {}: {}", current.id(), illegal.why());
                return new Result.Illegal(current, illegal);
            }
        }
        Map<String, Object> columns = columnsFor(current, event);
        columns.put("status", move.to().name());
        columns.put("updated_at", utc(at));
        String assignments = columns.keySet().stream()
                .map(c -> c + " = " + (JSONB_COLUMNS.contains(c) ? "cast(:" + c + " as jsonb)" : ":" + c))
                .collect(Collectors.joining(", "));
        Optional<StoredRequest> moved = jdbc.sql("update requests set " + assignments
                        + " where id = :id and status = :expected returning " + RequestStore.COLUMNS)
                .params(columns)
                .param("id", current.id())
                .param("expected", current.status().name())
                .query(store::map)
                .optional();
        if (moved.isEmpty()) {
            StoredRequest now = store.find(current.id()).orElseThrow();
            log.debug(
                    "request {}: expected {} to apply {}, found {}",
                    current.id(),
                    current.status(),
                    move.event().trigger(),
                    now.status());
            return new Result.LostRace(now, current.status());
        }
        switch (move.reservation()) {
            case NONE -> {}
            case HOLD -> throw new IllegalStateException("only a decision holds a reservation: " + move);
            case POST -> {
                if (!(event instanceof RequestEvent.Confirmed confirmed)) {
                    // A signature used on chain (or a message, which holds nothing): what it authorised is exact, so
                    // each amount is posted as judged; the allowances it granted are held as exposure while they last.
                    reservations.settle(
                            current.id(),
                            r -> r.purpose() == Reservation.Purpose.EXPOSURE
                                    ? Optional.empty()
                                    : Optional.of(r.post(r.amount(), at)));
                    applyAllowanceChanges(moved.get(), at);
                    break;
                }
                ExecutedFlows executed = ExecutedFlows.of(confirmed.executed(), walletOf(current), assets);
                reservations.settle(current.id(), r -> switch (r.purpose()) {
                    // The allowance it granted lasts: held as exposure until used, lowered or revoked.
                    case EXPOSURE -> Optional.empty();
                    case FEE -> Optional.of(r.post(atMost(r.amount(), confirmed.feeWei()), at));
                    // What was judged is an upper bound: the budgets count what really left.
                    case OUTFLOW ->
                        Optional.of(r.post(
                                r.counterparty()
                                        .map(to -> atMost(
                                                r.amount(),
                                                executed.outflowTo(
                                                        to, r.amount().asset())))
                                        .orElse(r.amount()),
                                at));
                    case ONWARD ->
                        Optional.of(r.post(
                                r.counterparty()
                                        .map(to -> atMost(
                                                r.amount(),
                                                executed.onwardTo(to, r.amount().asset())))
                                        .orElse(r.amount()),
                                at));
                });
                applyAllowanceChanges(moved.get(), at);
            }
            case CHARGE_ACTUAL -> {
                RequestEvent.Diverged diverged = (RequestEvent.Diverged) event;
                reservations.settle(
                        current.id(),
                        r -> Optional.of(
                                r.purpose() == Reservation.Purpose.FEE
                                        ? r.post(atMost(r.amount(), diverged.feeWei()), at)
                                        : r.voided(at)));
                ExecutedFlows executed = ExecutedFlows.of(diverged.executed(), diverged.wallet(), assets);
                Optional<String> team = reservations.ofRequest(current.id()).stream()
                        .map(Reservation::team)
                        .flatMap(Optional::stream)
                        .findFirst();
                for (Reservations.Line line : executed.outflowLines()) {
                    reservations.charge(current.id(), current.agentId(), team, line, at);
                }
                // A spender's pull uses the exposure held for its allowance (it already counts); only what
                // no held exposure covers is charged anew.
                for (ExecutedFlows.Pull pull : executed.pulls()) {
                    List<Reservation> held = reservations
                            .heldExposure(
                                    current.agentId(), Optional.of(pull.amount().asset()), Optional.of(pull.spender()))
                            .stream()
                            .filter(h -> h.wallet().equals(diverged.wallet()))
                            .map(Reservations.HeldExposure::reservation)
                            .toList();
                    TokenAmount uncovered = reservations.settleAmount(current.agentId(), held, pull.amount(), true, at);
                    if (!uncovered.isZero()) {
                        reservations.charge(
                                current.id(),
                                current.agentId(),
                                team,
                                Reservations.Line.outflow(uncovered, pull.spender()),
                                at);
                    }
                }
                reservations.hold(current.id(), current.agentId(), team, executed.exposureLines(), at);
            }
            case VOID -> reservations.voidPending(current.id(), at);
            case CHARGE_FEE -> {
                BigInteger fee = switch (event) {
                    case RequestEvent.Reverted reverted -> reverted.feeWei();
                    case RequestEvent.Cancelled cancelled -> cancelled.feeWei();
                    default -> throw new IllegalStateException("no fee paid in " + event);
                };
                BigInteger held = heldFee(current.id());
                reservations.settle(
                        current.id(),
                        r -> Optional.of(
                                r.purpose() == Reservation.Purpose.FEE
                                        ? r.post(atMost(r.amount(), fee), at)
                                        : r.voided(at)));
                chargeFeeBeyond(current, held, fee, at);
            }
            case RAISE_FEE -> {
                RequestEvent.Replaced replaced = (RequestEvent.Replaced) event;
                BigInteger l1Fee = current.fee().map(JudgedFee::l1FeeWei).orElse(BigInteger.ZERO);
                BigInteger maxCost = BigInteger.valueOf(replaced.gasLimit())
                        .multiply(replaced.maxFeePerGasWei())
                        .add(l1Fee);
                reservations.raiseFee(
                        current.id(), current.agentId(), new TokenAmount(assets.nativeAsset(), maxCost), at);
            }
            case RENEW ->
                reservations.renew(
                        current.id(),
                        current.agentId(),
                        ((RequestEvent.Approved) event).team().map(RequestEvent.TeamVersion::id),
                        at);
        }
        if (event instanceof RequestEvent.SignedTransactionEvent signed) {
            store.recordAttempt(current.id(), signed, event instanceof RequestEvent.CancellationSigned, at);
        }
        audit.append(current.id(), event, actor);
        announce(moved.get());
        return new Result.Applied(moved.get());
    }

    /**
     * Notes that {@code current} (read under its row lock, ALLOWED or APPROVED) could not be signed because
     * the chain could not be used ({@code chainError}; nothing was signed), and appends {@code began} to the
     * audit log if this begins a postponement: the request was not waiting for the chain already. A later
     * failed attempt in the same outage only updates the note (when it was tried, the chain's last error), so
     * a long outage leaves one record per request, not one per retry. The status is left alone, and so is
     * {@code updated_at} (it dates an approval): the request has not moved, and nothing is announced.
     *
     * @return the request as it stands now; unchanged if it was no longer in {@code current}'s state
     */
    public StoredRequest postponeSigning(
            StoredRequest current, String chainError, SigningPostponement.Began began, Instant at) {
        Objects.requireNonNull(current, "current");
        if (!current.readyToSign()) {
            throw new IllegalArgumentException(
                    "only a request ready to sign is postponed, not one that is " + current.status());
        }
        Optional<StoredRequest> noted = jdbc.sql("""
                        update requests set signing_postponed_at = coalesce(signing_postponed_at, :at),
                            signing_retried_at = :at, signing_postponed_error = :error
                        where id = :id and status = :expected
                        """ + " returning " + RequestStore.COLUMNS)
                .param("at", utc(at))
                .param("error", chainError)
                .param("id", current.id())
                .param("expected", current.status().name())
                .query(store::map)
                .optional();
        if (noted.isEmpty()) {
            return store.find(current.id()).orElseThrow();
        }
        if (current.signingPostponed().isEmpty()) {
            audit.append(current.id(), began, Actor.GUARDIAN);
        }
        return noted.get();
    }

    /** The fee the request holds, pending. */
    private BigInteger heldFee(UUID requestId) {
        return reservations.ofRequest(requestId).stream()
                .filter(r -> r.isPending() && r.purpose() == Reservation.Purpose.FEE)
                .map(r -> r.amount().units())
                .reduce(BigInteger.ZERO, BigInteger::add);
    }

    /**
     * A fee paid beyond what was held (a cancellation's, which may cost more than the transaction it
     * stopped) is charged too: the fee budgets count what was really paid.
     */
    private void chargeFeeBeyond(StoredRequest request, BigInteger held, BigInteger paid, Instant at) {
        if (paid.compareTo(held) > 0) {
            reservations.charge(
                    request.id(),
                    request.agentId(),
                    Optional.empty(),
                    Reservations.Line.fee(new TokenAmount(assets.nativeAsset(), paid.subtract(held))),
                    at);
        }
    }

    /** What a reservation is posted at: what really left (or the fee really paid), never more than was held. */
    private static TokenAmount atMost(TokenAmount held, BigInteger paid) {
        return paid.compareTo(held.units()) >= 0 ? held : new TokenAmount(held.asset(), paid);
    }

    private Address walletOf(StoredRequest request) {
        return store.walletAddress(request.walletId());
    }

    /**
     * What a mined request did to allowances the wallet already held: the exposure it used becomes money
     * moved (posted), the exposure it lowered or revoked is released (voided), oldest first.
     */
    private void applyAllowanceChanges(StoredRequest request, Instant at) {
        for (AllowanceChange change : request.allowanceChanges()) {
            for (boolean post : new boolean[] {true, false}) {
                BigInteger units = post ? change.used() : change.released();
                if (units.signum() == 0) {
                    continue;
                }
                List<Reservation> held = reservations
                        .heldExposure(request.agentId(), Optional.of(assetOf(change)), Optional.of(change.spender()))
                        .stream()
                        .map(Reservations.HeldExposure::reservation)
                        .filter(r -> r.allowance().equals(Optional.of(change.kind())))
                        .toList();
                if (!held.isEmpty()) {
                    reservations.settleAmount(
                            request.agentId(),
                            held,
                            new TokenAmount(held.getFirst().amount().asset(), units),
                            post,
                            at);
                }
            }
        }
    }

    private Asset assetOf(AllowanceChange change) {
        return AssetKeys.resolve(change.asset(), assets);
    }

    /** The columns an event sets besides the status, named as in the table. */
    private Map<String, Object> columnsFor(StoredRequest current, RequestEvent event) {
        Map<String, Object> columns = new LinkedHashMap<>();
        switch (event) {
            case RequestEvent.Decided decided ->
                throw new IllegalArgumentException("a decision is recorded with the request, not applied to it");
            case RequestEvent.ApprovalVoted voted -> columns.put("approvals_required", voted.required());
            case RequestEvent.Rejected rejected ->
                columns.put("failure", "rejected by " + rejected.approver() + ": " + rejected.comment());
            case RequestEvent.Approved approved -> {
                // What judged it at its final approval: the policy version and team active then.
                columns.put("policy_version", approved.policyVersion());
                columns.put(
                        "team_id",
                        approved.team().map(RequestEvent.TeamVersion::id).orElse(null));
                columns.put(
                        "team_version",
                        approved.team().map(RequestEvent.TeamVersion::version).orElse(null));
            }
            case RequestEvent.ApprovalRecheckFailed failed -> columns.put("failure", failed.failure());
            case RequestEvent.ApprovalExpired expired ->
                columns.put("failure", "no decision by the deadline " + expired.deadline() + "; nothing was signed");
            case RequestEvent.Signed signed -> {
                columns.put("nonce", signed.nonce());
                columns.put("tx_hash", signed.txHash().toBytes());
                columns.put("raw_tx", signed.rawTransaction());
            }
            case RequestEvent.Replaced replaced -> {
                // The request now stands for the replacement; the attempt it replaced stays among its attempts.
                columns.put("tx_hash", replaced.txHash().toBytes());
                columns.put("raw_tx", replaced.rawTransaction());
                columns.put("gas_limit", replaced.gasLimit());
                columns.put("max_fee_per_gas", new BigDecimal(replaced.maxFeePerGasWei()));
                columns.put("max_priority_fee_per_gas", new BigDecimal(replaced.maxPriorityFeePerGasWei()));
            }
            case RequestEvent.CancellationSigned cancelling ->
                columns.put("failure", "being cancelled: " + cancelling.why());
            case RequestEvent.Cancelled cancelled -> {
                columns.put("block_number", cancelled.block());
                columns.put("fee_paid", new BigDecimal(cancelled.feeWei()));
                columns.put(
                        "failure",
                        "cancelled before it was mined: the cancellation " + cancelled.txHash()
                                + " took its nonce in block " + cancelled.block()
                                + "; why it was cancelled is in its cancellation-signed audit record");
            }
            case RequestEvent.SigningFailed failed -> columns.put("failure", failed.reason());
            case RequestEvent.Submitted submitted -> columns.put("failure", null);
            case RequestEvent.BroadcastUnanswered unanswered -> {}
            // The request keeps its nonce: a node's refusal does not prove the transaction was never mined.
            case RequestEvent.RefusedByNode refused -> columns.put("failure", refusedByNode(refused.refusedBy()));
            case RequestEvent.Confirmed confirmed -> {
                // A refusal on the way (by a node that did not have it) is history now; the audit log keeps it.
                columns.put("tx_hash", confirmed.txHash().toBytes()); // the attempt that was mined
                columns.put("failure", null);
                columns.put("block_number", confirmed.block());
                columns.put("fee_paid", new BigDecimal(confirmed.feeWei()));
                columns.put("executed_effects", json.writeValueAsString(confirmed.executed()));
            }
            case RequestEvent.Diverged diverged -> {
                columns.put("tx_hash", diverged.txHash().toBytes());
                columns.put("block_number", diverged.block());
                columns.put("fee_paid", new BigDecimal(diverged.feeWei()));
                columns.put("executed_effects", json.writeValueAsString(diverged.executed()));
                columns.put("divergence", json.writeValueAsString(diverged.differences()));
                columns.put(
                        "failure",
                        "the mined transaction did what was not judged; agent " + diverged.agent() + " was frozen: "
                                + String.join("; ", diverged.differences()));
            }
            case RequestEvent.Reverted reverted -> {
                columns.put("tx_hash", reverted.txHash().toBytes());
                columns.put("block_number", reverted.block());
                columns.put("fee_paid", new BigDecimal(reverted.feeWei()));
                columns.put("failure", "the transaction reverted on chain in block " + reverted.block());
            }
            case RequestEvent.TypedDataSigned signed -> {
                columns.put("signature", signed.signature());
                columns.put(
                        "usable_until",
                        signed.usableUntil().map(RequestTransitions::utc).orElse(null));
                columns.put(
                        "on_chain_use",
                        signed.use()
                                .map(use -> json.writeValueAsString(use.toJson()))
                                .orElse(null));
                columns.put("failure", null);
            }
            case RequestEvent.AuthorizationUsed used -> {
                columns.put("settled_in", used.txHash().map(TxHash::toBytes).orElse(null));
                columns.put("block_number", used.block());
            }
            case RequestEvent.AuthorizationLapsed lapsed ->
                columns.put(
                        "failure",
                        "the signature was not used on chain before it stopped being usable at " + lapsed.usableUntil()
                                + " (block " + lapsed.block() + " is at " + lapsed.blockTime()
                                + "); nothing was paid by it");
            case RequestEvent.AuthorizationCancelled cancelled -> {
                columns.put(
                        "settled_in", cancelled.txHash().map(TxHash::toBytes).orElse(null));
                columns.put("block_number", cancelled.block());
                columns.put(
                        "failure",
                        "Guardian cancelled the authorization on chain (request " + cancelled.cancellation()
                                + ") before" + " anyone used it: " + cancelled.why() + "; nothing was paid by it");
            }
            case RequestEvent.Superseded superseded ->
                columns.put(
                        "failure",
                        "its nonce " + superseded.nonce() + " was taken by another transaction (the sending address's"
                                + " confirmed nonce is " + superseded.confirmedNonce() + ") and it has no receipt, so"
                                + " it can never be mined; nothing was paid by it");
        }
        return columns;
    }

    /**
     * What a request says while nodes refuse its transaction: their words, and that it is still in flight,
     * holding its nonce, so that whoever looks at a wallet whose payments stopped sees why.
     */
    static String refusedByNode(String refusal) {
        return "the node refused the transaction (" + refusal + "); it stays in flight: Guardian sends the same"
                + " bytes again until they are mined, and fails it only once another transaction has taken its"
                + " nonce on chain; until then this wallet's later transactions wait behind it";
    }

    private void announce(StoredRequest request) {
        if (listener.interestedIn(request.status())) {
            listener.statusChanged(request);
        }
    }

    private static OffsetDateTime utc(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }
}
