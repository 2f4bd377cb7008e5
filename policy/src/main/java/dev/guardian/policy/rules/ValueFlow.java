package dev.guardian.policy.rules;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.effects.Effect;
import dev.guardian.policy.effects.Transfer;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where the wallet's value goes within one transaction: its first recipients, and everyone those pass
 * value on to, hop after hop. Every movement out of an address the wallet's value reached counts as
 * passing it on, whatever its order in the call (a router paid first and paying out after, or the other
 * way round): the whole call is the wallet's doing. Value coming back to the wallet ends there; the zero
 * address (a burn) is an end too, and never a source.
 */
public final class ValueFlow {
    private final Set<Address> direct;
    private final Set<Address> onward;
    private final Map<Address, Map<Asset, TokenAmount>> received;
    private final Map<Address, Map<Asset, TokenAmount>> kept;

    private ValueFlow(
            Set<Address> direct,
            Set<Address> onward,
            Map<Address, Map<Asset, TokenAmount>> received,
            Map<Address, Map<Asset, TokenAmount>> kept) {
        this.direct = direct;
        this.onward = onward;
        this.received = received;
        this.kept = kept;
    }

    public static ValueFlow of(List<Effect> effects, Address wallet) {
        List<Transfer> transfers = effects.stream()
                .filter(e -> e instanceof Transfer t
                        && !t.amount().isZero()
                        && !t.from().equals(t.to()))
                .map(Transfer.class::cast)
                .toList();
        Set<Address> direct = new LinkedHashSet<>();
        for (Transfer t : transfers) {
            if (t.from().equals(wallet) && !t.to().equals(wallet)) {
                direct.add(t.to());
            }
        }
        Set<Address> reached = new LinkedHashSet<>(direct);
        Deque<Address> toFollow = new ArrayDeque<>(direct);
        while (!toFollow.isEmpty()) {
            Address node = toFollow.pop();
            if (node.equals(Address.ZERO)) {
                continue;
            }
            for (Transfer t : transfers) {
                if (t.from().equals(node) && !t.to().equals(wallet) && reached.add(t.to())) {
                    toFollow.add(t.to());
                }
            }
        }
        Set<Address> onward = new LinkedHashSet<>(reached);
        onward.removeAll(direct);
        Map<Address, Map<Asset, BigInteger>> in = new LinkedHashMap<>();
        Map<Address, Map<Asset, BigInteger>> out = new LinkedHashMap<>();
        Set<Address> sources = new LinkedHashSet<>(reached);
        sources.add(wallet);
        for (Transfer t : transfers) {
            if (sources.contains(t.from()) && reached.contains(t.to())) {
                in.computeIfAbsent(t.to(), a -> new LinkedHashMap<>())
                        .merge(t.amount().asset(), t.amount().units(), BigInteger::add);
            }
            if (reached.contains(t.from())) {
                out.computeIfAbsent(t.from(), a -> new LinkedHashMap<>())
                        .merge(t.amount().asset(), t.amount().units(), BigInteger::add);
            }
        }
        Map<Address, Map<Asset, TokenAmount>> received = new LinkedHashMap<>();
        Map<Address, Map<Asset, TokenAmount>> kept = new LinkedHashMap<>();
        in.forEach((node, amounts) -> amounts.forEach((asset, units) -> {
            received.computeIfAbsent(node, a -> new LinkedHashMap<>()).put(asset, new TokenAmount(asset, units));
            BigInteger sent = out.getOrDefault(node, Map.of()).getOrDefault(asset, BigInteger.ZERO);
            if (units.compareTo(sent) > 0) {
                kept.computeIfAbsent(node, a -> new LinkedHashMap<>())
                        .put(asset, new TokenAmount(asset, units.subtract(sent)));
            }
        }));
        return new ValueFlow(direct, onward, received, kept);
    }

    /** Who the wallet's value reached first. */
    public Set<Address> direct() {
        return direct;
    }

    /** Who it reached through another recipient. */
    public Set<Address> onward() {
        return onward;
    }

    /** What each address the wallet's value reached received of it, per asset. */
    public Map<Address, Map<Asset, TokenAmount>> received() {
        return received;
    }

    /** What stayed with each address (received and not passed on), per asset: where the value ended. */
    public Map<Address, Map<Asset, TokenAmount>> kept() {
        return kept;
    }

    /** What reached each onward address, per asset. */
    public Map<Address, Map<Asset, TokenAmount>> receivedOnward() {
        Map<Address, Map<Asset, TokenAmount>> result = new LinkedHashMap<>();
        for (Address node : onward) {
            Map<Asset, TokenAmount> amounts = received.get(node);
            if (amounts != null) {
                result.put(node, amounts);
            }
        }
        return result;
    }
}
