package dev.guardian.service.requests;

import static dev.guardian.service.requests.RequestStatus.ALLOWED;
import static dev.guardian.service.requests.RequestStatus.APPROVED;
import static dev.guardian.service.requests.RequestStatus.AUTHORIZED;
import static dev.guardian.service.requests.RequestStatus.DENIED;
import static dev.guardian.service.requests.RequestStatus.EXPIRED;
import static dev.guardian.service.requests.RequestStatus.FAILED;
import static dev.guardian.service.requests.RequestStatus.PENDING_APPROVAL;
import static dev.guardian.service.requests.RequestStatus.REJECTED;
import static dev.guardian.service.requests.RequestStatus.SIGNED;
import static dev.guardian.service.requests.RequestStatus.SUBMITTED;

import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The states of a request and the events that move it, as one table: for each {@link Trigger}, the
 * states it may leave, the state it leads to, and what happens to the request's budget reservation.
 * {@link #next} is a pure function of (state, event); an event that does not apply to the state is an
 * {@link Transition.Illegal} value, never a silent overwrite. {@link RequestTransitions} is the only
 * place that applies a transition to the database. docs/lifecycle.md is checked against this table.
 */
final class RequestLifecycle {

    /** What happens to a request's budget reservation when it moves. */
    public enum ReservationChange {
        /** Nothing: the reservation, if any, stays as it is. */
        NONE,
        /** The request's outgoing amounts are reserved, pending, against its budgets. */
        HOLD,
        /**
         * The pending reservation is posted: the money left, the fee at what it really cost. Allowances
         * granted stay held (as exposure) while they last; those the request used or lowered are settled.
         */
        POST,
        /** The pending reservation is voided: nothing left, no allowance was granted, no fee was paid. */
        VOID,
        /**
         * Mined but reverted: nothing moved and no allowance was granted (voided), but the gas was burned:
         * the fee is posted at what it really cost.
         */
        CHARGE_FEE,
        /**
         * Mined, and it did more than was judged: the pending reservation is voided, and what really left
         * is charged instead: each movement out of the wallet posted as spent, each allowance it left held
         * as exposure, the fee posted at what it cost.
         */
        CHARGE_ACTUAL,
        /**
         * A replacement with higher fees was signed: the fee reservation is voided and held anew, pointing
         * at the old one, at the most the replacement can cost.
         */
        RAISE_FEE,
        /**
         * The pending reservation is voided and reserved anew, pointing at the old one: money approved
         * now counts from now, against the team that was checked now.
         */
        RENEW
    }

    /** One line of the table per kind of event. */
    public enum Trigger {
        ALLOWED,
        /** A treasury action the treasury check accepted: it reserves nothing against the agent's limits. */
        TREASURY_ACCEPTED,
        ESCALATED,
        DENIED,
        VOTED,
        APPROVED,
        RECHECK_FAILED,
        REJECTED,
        EXPIRED,
        SIGNED,
        SIGNING_FAILED,
        SUBMITTED,
        BROADCAST_UNANSWERED,
        REFUSED_BY_NODE,
        REPLACED,
        CANCELLATION_SIGNED,
        CANCELLED,
        CONFIRMED,
        DIVERGED,
        /** A treasury action that did what was not judged: charged to none of the agent's limits. */
        TREASURY_DIVERGED,
        REVERTED,
        SUPERSEDED,
        /** Typed data that moves value was signed and handed over: it is outstanding until used or lapsed. */
        AUTHORIZATION_SIGNED,
        /** Typed data that moves no value (a message the policy lists) was signed: nothing to follow. */
        MESSAGE_SIGNED,
        /** The signature was used on chain: what it authorised happened. */
        AUTHORIZATION_USED,
        /** The signature can no longer be used on chain, and was not. */
        AUTHORIZATION_LAPSED,
        /** Guardian cancelled the outstanding authorization on chain before anyone used it. */
        AUTHORIZATION_CANCELLED
    }

    /**
     * One line: a request in one of {@code from} (none: a request not recorded yet) moves to {@code to},
     * and its reservation changes so. No line gives a nonce back to the wallet: once signed, a transaction
     * may be mined whatever a node said of it, so its nonce is settled only by the chain (a receipt, or
     * another transaction that took the nonce).
     */
    public record Row(Set<RequestStatus> from, RequestStatus to, ReservationChange reservation) {
        public Row {
            from = Set.copyOf(from);
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(reservation, "reservation");
        }

        /** Whether this line starts a request: it moves from no state at all. */
        public boolean starts() {
            return from.isEmpty();
        }
    }

    private static final Map<Trigger, Row> TABLE = Collections.unmodifiableMap(build());

    private RequestLifecycle() {}

    private static Map<Trigger, Row> build() {
        Map<Trigger, Row> t = new EnumMap<>(Trigger.class);
        Set<RequestStatus> none = Set.of();
        t.put(Trigger.ALLOWED, new Row(none, ALLOWED, ReservationChange.HOLD));
        t.put(Trigger.TREASURY_ACCEPTED, new Row(none, ALLOWED, ReservationChange.NONE));
        t.put(Trigger.ESCALATED, new Row(none, PENDING_APPROVAL, ReservationChange.HOLD));
        t.put(Trigger.DENIED, new Row(none, DENIED, ReservationChange.NONE));
        t.put(Trigger.VOTED, new Row(Set.of(PENDING_APPROVAL), PENDING_APPROVAL, ReservationChange.NONE));
        t.put(Trigger.APPROVED, new Row(Set.of(PENDING_APPROVAL), APPROVED, ReservationChange.RENEW));
        t.put(Trigger.RECHECK_FAILED, new Row(Set.of(PENDING_APPROVAL), FAILED, ReservationChange.VOID));
        t.put(Trigger.REJECTED, new Row(Set.of(PENDING_APPROVAL), REJECTED, ReservationChange.VOID));
        t.put(Trigger.EXPIRED, new Row(Set.of(PENDING_APPROVAL), EXPIRED, ReservationChange.VOID));
        t.put(Trigger.SIGNED, new Row(Set.of(ALLOWED, APPROVED), SIGNED, ReservationChange.NONE));
        t.put(Trigger.SIGNING_FAILED, new Row(Set.of(ALLOWED, APPROVED), FAILED, ReservationChange.VOID));
        t.put(Trigger.SUBMITTED, new Row(Set.of(SIGNED), SUBMITTED, ReservationChange.NONE));
        t.put(Trigger.BROADCAST_UNANSWERED, new Row(Set.of(SIGNED), SIGNED, ReservationChange.NONE));
        // A node's refusal is not final (another node behind the same provider may have taken the transaction,
        // and a refusal for the balance or the fees may pass later): the request stays in flight, holding its
        // reservation and its nonce, and the receipt worker keeps sending the same bytes. Only a receipt, or
        // another transaction that took its nonce on chain (SUPERSEDED), settles it.
        t.put(Trigger.REFUSED_BY_NODE, new Row(Set.of(SIGNED, SUBMITTED), SIGNED, ReservationChange.NONE));
        t.put(Trigger.REPLACED, new Row(Set.of(SIGNED, SUBMITTED), SIGNED, ReservationChange.RAISE_FEE));
        t.put(Trigger.CANCELLATION_SIGNED, new Row(Set.of(SIGNED, SUBMITTED), SIGNED, ReservationChange.NONE));
        t.put(Trigger.CANCELLED, new Row(Set.of(SIGNED, SUBMITTED), FAILED, ReservationChange.CHARGE_FEE));
        t.put(Trigger.CONFIRMED, new Row(Set.of(SIGNED, SUBMITTED), RequestStatus.CONFIRMED, ReservationChange.POST));
        t.put(
                Trigger.DIVERGED,
                new Row(Set.of(SIGNED, SUBMITTED), RequestStatus.DIVERGED, ReservationChange.CHARGE_ACTUAL));
        t.put(
                Trigger.TREASURY_DIVERGED,
                new Row(Set.of(SIGNED, SUBMITTED), RequestStatus.DIVERGED, ReservationChange.NONE));
        t.put(Trigger.REVERTED, new Row(Set.of(SIGNED, SUBMITTED), FAILED, ReservationChange.CHARGE_FEE));
        // Only once the chain's confirmed nonce of the sending address has passed the request's nonce, and the
        // transaction has no receipt: another transaction took the nonce, so this one can never be mined.
        t.put(Trigger.SUPERSEDED, new Row(Set.of(SIGNED, SUBMITTED), FAILED, ReservationChange.VOID));
        // A typed-data signature is never broadcast: once handed over, only the chain says whether it was used.
        t.put(Trigger.AUTHORIZATION_SIGNED, new Row(Set.of(ALLOWED, APPROVED), AUTHORIZED, ReservationChange.NONE));
        t.put(
                Trigger.MESSAGE_SIGNED,
                new Row(Set.of(ALLOWED, APPROVED), RequestStatus.CONFIRMED, ReservationChange.POST));
        t.put(Trigger.AUTHORIZATION_USED, new Row(Set.of(AUTHORIZED), RequestStatus.CONFIRMED, ReservationChange.POST));
        t.put(Trigger.AUTHORIZATION_LAPSED, new Row(Set.of(AUTHORIZED), EXPIRED, ReservationChange.VOID));
        t.put(Trigger.AUTHORIZATION_CANCELLED, new Row(Set.of(AUTHORIZED), FAILED, ReservationChange.VOID));
        if (!t.keySet().equals(EnumSet.allOf(Trigger.class))) {
            throw new IllegalStateException("every trigger has a line in the lifecycle table");
        }
        return t;
    }

    /** The whole table, in the order of {@link Trigger}: for documentation and tests. */
    public static Map<Trigger, Row> table() {
        return TABLE;
    }

    /**
     * Where {@code event} takes a request that is in {@code from} (empty: not recorded yet).
     *
     * @return the move, or why the event does not apply to a request in that state
     */
    public static Transition next(Optional<RequestStatus> from, RequestEvent event) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(event, "event");
        Row row = TABLE.get(event.trigger());
        boolean applies = from.map(row.from()::contains).orElse(row.starts());
        if (!applies) {
            return new Transition.Illegal(from, event.trigger(), row);
        }
        return new Transition.Moves(from, row.to(), row.reservation(), event);
    }

    /** A request already recorded, in state {@code from}. */
    public static Transition next(RequestStatus from, RequestEvent event) {
        return next(Optional.of(from), event);
    }

    /** What an event does to a request in a given state. */
    public sealed interface Transition {

        /** The request moves {@code from} (empty: it is being recorded) {@code to}. */
        record Moves(Optional<RequestStatus> from, RequestStatus to, ReservationChange reservation, RequestEvent event)
                implements Transition {}

        /** The event does not apply to a request in {@code from}: nothing changes. */
        record Illegal(Optional<RequestStatus> from, Trigger trigger, Row row) implements Transition {
            public String why() {
                String state = from.map(Enum::name).orElse("not yet recorded");
                String allowed = row.starts()
                        ? "a request not yet recorded"
                        : row.from().stream().map(Enum::name).sorted().collect(Collectors.joining(", "));
                return trigger + " cannot happen to a request that is " + state + "; only to one that is " + allowed;
            }
        }
    }
}
