package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.effects.Approval;
import dev.guardian.policy.effects.Effect;
import dev.guardian.policy.effects.Transfer;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a mined transaction really moved, in the terms its reservations are made in: value the wallet sent,
 * by recipient; value spenders pulled with its allowances, by spender; value reaching others further down;
 * and the allowances the wallet was left with.
 * Budgets are posted at these amounts.
 */
final class ExecutedFlows {
    private record Key(Address party, Asset asset) {}

    private record AllowanceKey(Asset asset, Address spender, Approval.Kind kind) {}

    /** What a spender pulled out of the wallet with an allowance: a use of exposure, where one is held. */
    record Pull(Address spender, TokenAmount amount) {}

    private final Map<Key, BigInteger> outflow;
    private final Map<Key, BigInteger> sent;
    private final Map<Key, BigInteger> pulled;
    private final Map<Key, BigInteger> onward;
    private final Map<AllowanceKey, BigInteger> allowances;

    private ExecutedFlows(
            Map<Key, BigInteger> outflow,
            Map<Key, BigInteger> sent,
            Map<Key, BigInteger> pulled,
            Map<Key, BigInteger> onward,
            Map<AllowanceKey, BigInteger> allowances) {
        this.outflow = outflow;
        this.sent = sent;
        this.pulled = pulled;
        this.onward = onward;
        this.allowances = allowances;
    }

    static ExecutedFlows of(List<EffectView> executed, Address wallet, AssetRegistry assets) {
        Map<Key, BigInteger> outflow = new LinkedHashMap<>();
        Map<Key, BigInteger> sent = new LinkedHashMap<>();
        Map<Key, BigInteger> pulled = new LinkedHashMap<>();
        Map<Key, BigInteger> onward = new LinkedHashMap<>();
        Map<AllowanceKey, BigInteger> allowances = new LinkedHashMap<>();
        for (EffectView view : executed) {
            Effect effect = view.toEffect(assets);
            if (effect instanceof Transfer t && !t.to().equals(wallet)) {
                BigInteger units = t.amount().units();
                if (!t.from().equals(wallet)) {
                    onward.merge(new Key(t.to(), t.amount().asset()), units, BigInteger::add);
                    continue;
                }
                outflow.merge(new Key(t.to(), t.amount().asset()), units, BigInteger::add);
                if (t.operator().isPresent()) {
                    pulled.merge(new Key(t.operator().get(), t.amount().asset()), units, BigInteger::add);
                } else {
                    sent.merge(new Key(t.to(), t.amount().asset()), units, BigInteger::add);
                }
            } else if (effect instanceof Approval a && a.owner().equals(wallet)) {
                allowances.put(
                        new AllowanceKey(a.amount().asset(), a.spender(), a.kind()),
                        a.amount().units());
            }
        }
        return new ExecutedFlows(outflow, sent, pulled, onward, allowances);
    }

    /** What left the wallet for {@code to}, sent by it or pulled by a spender, in units of {@code asset}. */
    BigInteger outflowTo(Address to, Asset asset) {
        return outflow.getOrDefault(new Key(to, asset), BigInteger.ZERO);
    }

    /** What spenders pulled out of the wallet with its allowances, by spender and asset. */
    List<Pull> pulls() {
        List<Pull> pulls = new ArrayList<>();
        pulled.forEach((key, units) -> pulls.add(new Pull(key.party(), new TokenAmount(key.asset(), units))));
        return pulls;
    }

    /** What reached {@code to} from others than the wallet, in units of {@code asset}. */
    BigInteger onwardTo(Address to, Asset asset) {
        return onward.getOrDefault(new Key(to, asset), BigInteger.ZERO);
    }

    /** One outflow line per recipient and asset of what the wallet itself sent, for charging what left. */
    List<Reservations.Line> outflowLines() {
        List<Reservations.Line> lines = new ArrayList<>();
        sent.forEach((key, units) -> {
            if (units.signum() > 0) {
                lines.add(Reservations.Line.outflow(new TokenAmount(key.asset(), units), key.party()));
            }
        });
        return lines;
    }

    /** One exposure line per allowance the wallet was left with, for holding it as if it moved. */
    List<Reservations.Line> exposureLines() {
        List<Reservations.Line> lines = new ArrayList<>();
        allowances.forEach((key, units) -> {
            if (units.signum() > 0) {
                lines.add(Reservations.Line.exposure(new TokenAmount(key.asset(), units), key.spender(), key.kind()));
            }
        });
        return lines;
    }
}
