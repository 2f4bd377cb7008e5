package dev.guardian.policy.effects;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * All effects of one successful simulation, in the order they happened, and every address the
 * transaction touched (callers, callees, log emitters, parties of every movement).
 */
public record SimulatedEffects(List<Effect> effects, Set<Address> touched) {
    /** No effects and nothing touched: what a simulation that did not succeed leaves to judge. */
    public static final SimulatedEffects NONE = new SimulatedEffects(List.of(), Set.of());

    public SimulatedEffects {
        effects = List.copyOf(effects);
        Set<Address> all = new LinkedHashSet<>(touched);
        for (Effect effect : effects) {
            switch (effect) {
                case Transfer t -> {
                    all.add(t.from());
                    all.add(t.to());
                }
                case Approval a -> {
                    all.add(a.owner());
                    all.add(a.spender());
                }
                case UnknownEvent u -> all.add(u.emitter());
            }
        }
        touched = Set.copyOf(all);
    }

    public List<Transfer> outgoingTransfers(Address wallet) {
        return effects.stream()
                .filter(e -> e instanceof Transfer t && t.from().equals(wallet) && !t.to().equals(wallet))
                .map(Transfer.class::cast)
                .toList();
    }

    public List<Approval> approvalsBy(Address wallet) {
        return effects.stream()
                .filter(e -> e instanceof Approval a && a.owner().equals(wallet))
                .map(Approval.class::cast)
                .toList();
    }

    /** Every event the decoder did not understand, in order. */
    public List<UnknownEvent> unknownEvents() {
        return effects.stream()
                .filter(e -> e instanceof UnknownEvent)
                .map(UnknownEvent.class::cast)
                .toList();
    }

    /** The sum per asset of everything that leaves the wallet. */
    public Map<Asset, TokenAmount> outgoingTotals(Address wallet) {
        Map<Asset, TokenAmount> totals = new LinkedHashMap<>();
        for (Transfer transfer : outgoingTransfers(wallet)) {
            totals.merge(transfer.amount().asset(), transfer.amount(), TokenAmount::plus);
        }
        return totals;
    }

    /**
     * The sum per recipient and asset of everything that leaves the wallet, recipients in the order
     * they are first paid: what per-counterparty limits judge and what is recorded against them.
     */
    public Map<Address, Map<Asset, TokenAmount>> outgoingTotalsByRecipient(Address wallet) {
        Map<Address, Map<Asset, TokenAmount>> totals = new LinkedHashMap<>();
        for (Transfer transfer : outgoingTransfers(wallet)) {
            totals.computeIfAbsent(transfer.to(), to -> new LinkedHashMap<>())
                    .merge(transfer.amount().asset(), transfer.amount(), TokenAmount::plus);
        }
        return totals;
    }

    /**
     * Whether the wallet sends any amount or sets any allowance (a revocation included): what makes a
     * request count towards limits on the number of transactions.
     */
    public boolean movesValueFrom(Address wallet) {
        return !approvalsBy(wallet).isEmpty()
                || outgoingTransfers(wallet).stream().anyMatch(t -> !t.amount().isZero());
    }

    /** Whoever receives value from the wallet or is granted an allowance by it. */
    public Set<Address> counterparties(Address wallet) {
        Set<Address> parties = new LinkedHashSet<>();
        outgoingTransfers(wallet).forEach(t -> parties.add(t.to()));
        approvalsBy(wallet).forEach(a -> parties.add(a.spender()));
        return parties;
    }
}
