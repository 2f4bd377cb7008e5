package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.effects.Approval;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One budget reservation, two-phase like TigerBeetle's pending transfers: created pending, then settled
 * exactly once, by being posted (at most the pending amount: what really left), voided (nothing left) or
 * expired (an authorisation that lapsed unused). It is never edited: a different amount, moment or team
 * is a new reservation that names the one it {@code replaces}. Budgets count what is pending or posted.
 *
 * @param requestId    the request it holds or charges for; empty for the charge of an outflow nobody asked
 *                     Guardian for (wallet reconciliation's external outflow)
 * @param purpose      what the line holds: value moved, an allowance, value further down, or gas
 * @param amount       what is held, pending
 * @param counterparty who the amount goes to (the spender of an allowance), for per-counterparty caps;
 *                     empty for fees and for reservations migrated from before they were split
 * @param allowance    the kind of allowance, for an {@link Purpose#EXPOSURE} line
 * @param team         the team whose budgets it counts against as well, if any
 */
public record Reservation(
        long id,
        Optional<UUID> requestId,
        Purpose purpose,
        TokenAmount amount,
        Optional<Address> counterparty,
        Optional<Approval.Kind> allowance,
        Optional<String> team,
        Instant reservedAt,
        Optional<Long> replaces,
        Optional<Outcome> outcome) {

    /** What a reservation line holds, and so which limits it counts against. */
    public enum Purpose {
        /** Value leaving the wallet, by its first recipient: budgets and counterparty caps. */
        OUTFLOW,
        /**
         * An allowance, by spender: budgets and counterparty caps, as if it moved when granted. Pending while
         * the allowance lasts; posted as it is used, voided as it is lowered or revoked.
         */
        EXPOSURE,
        /** Value that reached a payee further down the call: that payee's caps only. */
        ONWARD,
        /** The most the transaction can cost in gas: fee budgets; posted at what it really cost. */
        FEE;

        /** Whether the line counts against the agent's (and team's) value budgets. */
        public boolean countsInBudgets() {
            return this == OUTFLOW || this == EXPOSURE;
        }
    }

    public Reservation {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(purpose, "purpose");
        Objects.requireNonNull(allowance, "allowance");
        if ((purpose == Purpose.EXPOSURE) != allowance.isPresent()) {
            throw new IllegalArgumentException("an exposure line, and only one, names its kind of allowance");
        }
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(counterparty, "counterparty");
        Objects.requireNonNull(team, "team");
        Objects.requireNonNull(reservedAt, "reservedAt");
        Objects.requireNonNull(replaces, "replaces");
        Objects.requireNonNull(outcome, "outcome");
        outcome.ifPresent(o -> o.requireWithin(amount));
    }

    /** How a reservation was settled. */
    public enum Kind {
        POSTED,
        VOIDED,
        EXPIRED
    }

    /** The one settlement of a reservation; {@code postedUnits} only for a posting. */
    public record Outcome(Kind kind, Optional<BigInteger> postedUnits, Instant at) {
        public Outcome {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(postedUnits, "postedUnits");
            Objects.requireNonNull(at, "at");
            if ((kind == Kind.POSTED) != postedUnits.isPresent()) {
                throw new IllegalArgumentException("a posting, and only a posting, has an amount");
            }
        }

        void requireWithin(TokenAmount pending) {
            postedUnits.ifPresent(units -> {
                if (units.signum() < 0 || units.compareTo(pending.units()) > 0) {
                    throw new IllegalArgumentException("a reservation is posted at most at its pending amount "
                            + pending.units() + ", not " + units);
                }
            });
        }
    }

    public boolean isPending() {
        return outcome.isEmpty();
    }

    /** Whether it counts against budgets: pending, or posted. */
    public boolean counts() {
        return outcome.map(o -> o.kind() == Kind.POSTED).orElse(true);
    }

    /** What it counts for: the posted amount once posted, the pending amount before. */
    public TokenAmount counted() {
        return outcome.flatMap(Outcome::postedUnits)
                .map(units -> new TokenAmount(amount.asset(), units))
                .orElse(amount);
    }

    /**
     * Its posting at {@code actual}: what really left, never more than was held.
     *
     * @throws IllegalStateException    if it is settled already
     * @throws IllegalArgumentException if {@code actual} is another asset or more than the pending amount
     */
    public Outcome post(TokenAmount actual, Instant at) {
        requirePending();
        if (!actual.asset().equals(amount.asset())) {
            throw new IllegalArgumentException(
                    "a reservation of " + amount.asset() + " is posted in it, not in " + actual.asset());
        }
        Outcome posted = new Outcome(Kind.POSTED, Optional.of(actual.units()), at);
        posted.requireWithin(amount);
        return posted;
    }

    /** Its voiding: nothing left. @throws IllegalStateException if it is settled already */
    public Outcome voided(Instant at) {
        requirePending();
        return new Outcome(Kind.VOIDED, Optional.empty(), at);
    }

    /** Its expiry: what it held can no longer move. @throws IllegalStateException if it is settled already */
    public Outcome expired(Instant at) {
        requirePending();
        return new Outcome(Kind.EXPIRED, Optional.empty(), at);
    }

    private void requirePending() {
        if (!isPending()) {
            throw new IllegalStateException(
                    "reservation " + id + " is " + outcome.get().kind() + " already; a reservation is settled once");
        }
    }
}
