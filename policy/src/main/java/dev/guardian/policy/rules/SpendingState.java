package dev.guardian.policy.rules;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.effects.SimulatedEffects;
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
        List<Spend> spends, List<CounterpartySpend> counterpartySpends, List<Instant> transactions) {
    public SpendingState {
        spends = spends.stream().sorted(Comparator.comparing(Spend::at)).toList();
        counterpartySpends = counterpartySpends.stream()
                .sorted(Comparator.comparing(CounterpartySpend::at))
                .toList();
        transactions = transactions.stream().sorted().toList();
    }

    public SpendingState(List<Spend> spends) {
        this(spends, List.of(), List.of());
    }

    public static SpendingState none() {
        return new SpendingState(List.of());
    }

    public SpendingState plus(Spend spend) {
        return new SpendingState(
                Stream.concat(spends.stream(), Stream.of(spend)).toList(), counterpartySpends, transactions);
    }

    /**
     * This state with what a request that was not denied reserves at {@code at}: each asset's total
     * leaving {@code wallet}, the same per recipient, and one transaction if it counts towards
     * transaction limits ({@link SimulatedEffects#movesValueFrom}). The service records the same.
     */
    public SpendingState reserving(SimulatedEffects effects, Address wallet, Instant at) {
        List<Spend> moreSpends = new ArrayList<>(spends);
        effects.outgoingTotals(wallet).values().forEach(amount -> moreSpends.add(new Spend(amount, at)));
        List<CounterpartySpend> moreSent = new ArrayList<>(counterpartySpends);
        effects.outgoingTotalsByRecipient(wallet)
                .forEach((to, totals) ->
                        totals.values().forEach(amount -> moreSent.add(new CounterpartySpend(to, amount, at))));
        List<Instant> moreTransactions = new ArrayList<>(transactions);
        if (effects.movesValueFrom(wallet)) {
            moreTransactions.add(at);
        }
        return new SpendingState(moreSpends, moreSent, moreTransactions);
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

    public record Spend(TokenAmount amount, Instant at) {
        public Spend {
            Objects.requireNonNull(amount, "amount");
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
