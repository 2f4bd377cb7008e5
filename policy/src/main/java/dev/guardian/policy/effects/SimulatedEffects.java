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

    /** The sum per asset of everything that leaves the wallet. */
    public Map<Asset, TokenAmount> outgoingTotals(Address wallet) {
        Map<Asset, TokenAmount> totals = new LinkedHashMap<>();
        for (Transfer transfer : outgoingTransfers(wallet)) {
            totals.merge(transfer.amount().asset(), transfer.amount(), TokenAmount::plus);
        }
        return totals;
    }

    /** Whoever receives value from the wallet or is granted an allowance by it. */
    public Set<Address> counterparties(Address wallet) {
        Set<Address> parties = new LinkedHashSet<>();
        outgoingTransfers(wallet).forEach(t -> parties.add(t.to()));
        approvalsBy(wallet).forEach(a -> parties.add(a.spender()));
        return parties;
    }
}
