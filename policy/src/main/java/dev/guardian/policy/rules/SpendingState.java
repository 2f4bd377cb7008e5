package dev.guardian.policy.rules;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.effects.Approval;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * What has already been spent or reserved, as read from the database under the lock that guards it:
 * each reservation still held or committed with the moment it was made, the same split by
 * counterparty, and the moments of the requests that count towards transaction limits. Released
 * reservations are not in it.
 */
public record SpendingState(
        List<Spend> spends,
        List<CounterpartySpend> counterpartySpends,
        List<Instant> transactions,
        List<HeldExposure> exposures,
        List<Spend> fees,
        List<Instant> reverts) {
    public SpendingState {
        spends = spends.stream().sorted(Comparator.comparing(Spend::at)).toList();
        counterpartySpends = counterpartySpends.stream()
                .sorted(Comparator.comparing(CounterpartySpend::at))
                .toList();
        transactions = transactions.stream().sorted().toList();
        exposures = List.copyOf(exposures);
        fees = fees.stream().sorted(Comparator.comparing(Spend::at)).toList();
        reverts = reverts.stream().sorted().toList();
    }

    public SpendingState(List<Spend> spends, List<CounterpartySpend> counterpartySpends, List<Instant> transactions) {
        this(spends, counterpartySpends, transactions, List.of(), List.of(), List.of());
    }

    public SpendingState(List<Spend> spends) {
        this(spends, List.of(), List.of());
    }

    public static SpendingState none() {
        return new SpendingState(List.of());
    }

    public SpendingState plus(Spend spend) {
        return new SpendingState(
                Stream.concat(spends.stream(), Stream.of(spend)).toList(),
                counterpartySpends,
                transactions,
                exposures,
                fees,
                reverts);
    }

    /**
     * This state with what {@code evaluation}'s request reserves at {@code at} if it is not denied, as the
     * service records it: its charges against the budgets (outflow and new allowance exposure, each also
     * against its counterparty), the counterparty caps of onward payees, one transaction if it counts, and
     * its fee. The exposure it adds is held; exposure it releases or uses is settled when it is mined.
     */
    public SpendingState reserving(Evaluation evaluation, Instant at) {
        Charges charges = evaluation.charges();
        List<Spend> moreSpends = new ArrayList<>(spends);
        charges.total().values().forEach(amount -> moreSpends.add(new Spend(amount, at)));
        List<CounterpartySpend> moreSent = new ArrayList<>(counterpartySpends);
        charges.byCounterparty()
                .forEach((to, totals) ->
                        totals.values().forEach(amount -> moreSent.add(new CounterpartySpend(to, amount, at))));
        List<Instant> moreTransactions = new ArrayList<>(transactions);
        if (evaluation.effects().movesValueFrom(evaluation.wallet())) {
            moreTransactions.add(at);
        }
        List<HeldExposure> moreExposure = new ArrayList<>(exposures);
        charges.exposureIncreases()
                .forEach(increase ->
                        moreExposure.add(new HeldExposure(increase.amount(), increase.spender(), increase.kind(), at)));
        List<Spend> moreFees = new ArrayList<>(fees);
        evaluation.fee().ifPresent(fee -> moreFees.add(new Spend(fee.maxCost(Asset.ether()), at)));
        return new SpendingState(moreSpends, moreSent, moreTransactions, moreExposure, moreFees, reverts);
    }

    /**
     * Everything of {@code asset} spent after {@code from}, oldest first. The start is excluded so that
     * a window of length {@code w} ending now is {@code (now - w, now]}: a spend made at {@code t}
     * leaves it at exactly {@code t + w}, the instant a refusal tells the agent to come back.
     */
    public List<Spend> since(Asset asset, Instant from) {
        return spends.stream()
                .filter(s -> s.amount().asset().equals(asset) && s.at().isAfter(from))
                .toList();
    }

    /** What of {@code asset} went to {@code counterparty} after {@code from}, oldest first. */
    public List<CounterpartySpend> sentTo(Address counterparty, Asset asset, Instant from) {
        return counterpartySpends.stream()
                .filter(s -> s.counterparty().equals(counterparty)
                        && s.amount().asset().equals(asset)
                        && s.at().isAfter(from))
                .toList();
    }

    /** The moments of counted requests after {@code from}, oldest first. */
    public List<Instant> transactionsSince(Instant from) {
        return transactions.stream().filter(at -> at.isAfter(from)).toList();
    }

    /** The fees reserved or paid after {@code from}, oldest first. */
    public List<Spend> feesSince(Instant from) {
        return fees.stream().filter(s -> s.at().isAfter(from)).toList();
    }

    /** The moments of on-chain reverts after {@code from}, oldest first. */
    public List<Instant> revertsSince(Instant from) {
        return reverts.stream().filter(at -> at.isAfter(from)).toList();
    }

    /** How much allowance exposure is held for one spender of one asset, by kind of allowance. */
    public TokenAmount heldExposure(Asset asset, Address spender, Approval.Kind kind) {
        TokenAmount held = TokenAmount.zero(asset);
        for (HeldExposure exposure : exposures) {
            if (exposure.amount().asset().equals(asset)
                    && exposure.spender().equals(spender)
                    && exposure.kind() == kind) {
                held = held.plus(exposure.amount());
            }
        }
        return held;
    }

    public record Spend(TokenAmount amount, Instant at) {
        public Spend {
            Objects.requireNonNull(amount, "amount");
            Objects.requireNonNull(at, "at");
        }
    }

    /**
     * An allowance the wallet granted that is still held against its budgets: the amount a spender may
     * still move, as the service reconciled it with the chain before this decision.
     */
    public record HeldExposure(TokenAmount amount, Address spender, Approval.Kind kind, Instant at) {
        public HeldExposure {
            Objects.requireNonNull(amount, "amount");
            Objects.requireNonNull(spender, "spender");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(at, "at");
        }
    }

    public record CounterpartySpend(Address counterparty, TokenAmount amount, Instant at) {
        public CounterpartySpend {
            Objects.requireNonNull(counterparty, "counterparty");
            Objects.requireNonNull(amount, "amount");
            Objects.requireNonNull(at, "at");
        }
    }
}
