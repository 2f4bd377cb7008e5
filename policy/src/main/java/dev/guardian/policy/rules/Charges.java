package dev.guardian.policy.rules;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.effects.Approval;
import dev.guardian.policy.effects.Effect;
import dev.guardian.policy.effects.Transfer;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one request adds against the agent's limits, per asset and per counterparty: the value it moves
 * out of the wallet, and every increase of an allowance it grants, counted as if that much moved now
 * (an allowance is the power to move money later, so it is exposure). A later use of an allowance, by
 * this request or by the spender on its own, is covered by the exposure already held and adds nothing;
 * a use beyond it (an allowance Guardian never saw granted) counts as value moved. Lowering or revoking an
 * allowance adds nothing and releases its exposure once mined.
 *
 * <p>Effects are taken in the order they happened: an allowance granted and used in one call counts
 * once. Per-counterparty figures also hold what reached payees further down the call tree
 * ({@link ValueFlow}), so their caps apply wherever the money ends.
 */
public final class Charges {

    /** An allowance of one asset to one spender, of one kind. */
    public record AllowanceKey(Asset asset, Address spender, Approval.Kind kind) {}

    /** An allowance raised by this request: {@code amount} more is held against the budgets. */
    public record ExposureIncrease(TokenAmount amount, Address spender, Approval.Kind kind) {}

    /** An allowance lowered by this request: {@code amount} less will be held once it is mined. */
    public record ExposureDecrease(TokenAmount amount, Address spender, Approval.Kind kind) {}

    /** A use of an allowance already held: {@code amount} of the exposure became money moved. */
    public record CoveredUse(TokenAmount amount, Address spender, Approval.Kind kind, Address to) {}

    private final Map<Asset, TokenAmount> outflow;
    private final Map<Address, Map<Asset, TokenAmount>> outflowByRecipient;
    private final List<ExposureIncrease> increases;
    private final List<ExposureDecrease> decreases;
    private final List<CoveredUse> covered;
    private final Map<Asset, TokenAmount> total;
    private final Map<Address, Map<Asset, TokenAmount>> byCounterparty;

    private Charges(
            Map<Asset, TokenAmount> outflow,
            Map<Address, Map<Asset, TokenAmount>> outflowByRecipient,
            List<ExposureIncrease> increases,
            List<ExposureDecrease> decreases,
            List<CoveredUse> covered,
            Map<Address, Map<Asset, TokenAmount>> onward) {
        this.outflow = outflow;
        this.outflowByRecipient = outflowByRecipient;
        this.increases = List.copyOf(increases);
        this.decreases = List.copyOf(decreases);
        this.covered = List.copyOf(covered);
        Map<Asset, TokenAmount> sum = new LinkedHashMap<>(outflow);
        Map<Address, Map<Asset, TokenAmount>> parties = new LinkedHashMap<>();
        outflowByRecipient.forEach((to, amounts) -> amounts.values().forEach(a -> add(parties, to, a)));
        for (ExposureIncrease increase : increases) {
            sum.merge(increase.amount().asset(), increase.amount(), Charges::saturating);
            add(parties, increase.spender(), increase.amount());
        }
        onward.forEach((to, amounts) -> amounts.values().forEach(a -> add(parties, to, a)));
        this.total = sum;
        this.byCounterparty = parties;
    }

    /**
     * The charges of {@code effects} for {@code wallet}, given the allowance exposure the wallet already
     * holds and what reached payees further down ({@code onward}, from {@link ValueFlow}).
     *
     * @throws ArithmeticException if amounts overflow (a successful simulation's never do)
     */
    public static Charges of(
            List<Effect> effects,
            Address wallet,
            Map<AllowanceKey, TokenAmount> held,
            Map<Address, Map<Asset, TokenAmount>> onward) {
        Map<AllowanceKey, TokenAmount> allowance = new LinkedHashMap<>(held);
        Map<Asset, TokenAmount> outflow = new LinkedHashMap<>();
        Map<Address, Map<Asset, TokenAmount>> byRecipient = new LinkedHashMap<>();
        Map<AllowanceKey, TokenAmount> raised = new LinkedHashMap<>();
        Map<AllowanceKey, TokenAmount> lowered = new LinkedHashMap<>();
        List<CoveredUse> covered = new ArrayList<>();
        for (Effect effect : effects) {
            switch (effect) {
                case Approval a
                when a.owner().equals(wallet) -> {
                    AllowanceKey key = new AllowanceKey(a.amount().asset(), a.spender(), a.kind());
                    TokenAmount before = allowance.getOrDefault(key, TokenAmount.zero(key.asset()));
                    if (a.amount().exceeds(before)) {
                        raised.merge(key, a.amount().minus(before), Charges::saturating);
                    } else if (before.exceeds(a.amount())) {
                        lowered.merge(key, before.minus(a.amount()), Charges::saturating);
                    }
                    allowance.put(key, a.amount());
                }
                case Transfer t
                when t.from().equals(wallet) && !t.to().equals(wallet) -> {
                    TokenAmount uncovered = t.amount();
                    if (t.operator().isPresent()) {
                        AllowanceKey key = new AllowanceKey(
                                t.amount().asset(), t.operator().get(), Approval.Kind.ERC20);
                        TokenAmount available = allowance.getOrDefault(key, TokenAmount.zero(key.asset()));
                        TokenAmount used = available.exceeds(t.amount()) ? t.amount() : available;
                        if (!used.isZero()) {
                            allowance.put(key, available.minus(used));
                            covered.add(new CoveredUse(used, key.spender(), key.kind(), t.to()));
                            uncovered = t.amount().minus(used);
                        }
                    }
                    if (!uncovered.isZero()) {
                        outflow.merge(uncovered.asset(), uncovered, TokenAmount::plus);
                        byRecipient
                                .computeIfAbsent(t.to(), to -> new LinkedHashMap<>())
                                .merge(uncovered.asset(), uncovered, TokenAmount::plus);
                    }
                }
                default -> {}
            }
        }
        List<ExposureIncrease> increases = new ArrayList<>();
        raised.forEach((key, amount) -> increases.add(new ExposureIncrease(amount, key.spender(), key.kind())));
        List<ExposureDecrease> decreases = new ArrayList<>();
        lowered.forEach((key, amount) -> decreases.add(new ExposureDecrease(amount, key.spender(), key.kind())));
        return new Charges(outflow, byRecipient, increases, decreases, covered, onward);
    }

    private static void add(Map<Address, Map<Asset, TokenAmount>> parties, Address party, TokenAmount amount) {
        parties.computeIfAbsent(party, p -> new LinkedHashMap<>()).merge(amount.asset(), amount, Charges::saturating);
    }

    /**
     * Sums that an unlimited allowance pushes past 2^256 - 1 stop there: more than every limit, which is
     * all a limit needs to know. (Value moved alone never overflows: such a simulation is undecodable.)
     */
    static TokenAmount saturating(TokenAmount a, TokenAmount b) {
        BigInteger sum = a.units().add(b.units());
        return new TokenAmount(a.asset(), sum.min(TokenAmount.MAX_UINT256));
    }

    /** Per asset, the value leaving the wallet that no held allowance covers. */
    public Map<Asset, TokenAmount> outflow() {
        return outflow;
    }

    /** The same, per first recipient. */
    public Map<Address, Map<Asset, TokenAmount>> outflowByRecipient() {
        return outflowByRecipient;
    }

    public List<ExposureIncrease> exposureIncreases() {
        return increases;
    }

    public List<ExposureDecrease> exposureDecreases() {
        return decreases;
    }

    public List<CoveredUse> coveredUses() {
        return covered;
    }

    /** Per asset, what budgets, caps and the approval quorum weigh: outflow plus new exposure. */
    public Map<Asset, TokenAmount> total() {
        return total;
    }

    /** Per counterparty and asset: outflow to it, exposure granted to it, and what reached it further down. */
    public Map<Address, Map<Asset, TokenAmount>> byCounterparty() {
        return byCounterparty;
    }

    @Override
    public String toString() {
        return "Charges[total=" + total + ", increases=" + increases + ", decreases=" + decreases + ", covered="
                + covered + "]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Charges that
                && total.equals(that.total)
                && byCounterparty.equals(that.byCounterparty)
                && increases.equals(that.increases)
                && decreases.equals(that.decreases)
                && covered.equals(that.covered);
    }

    @Override
    public int hashCode() {
        return Objects.hash(total, byCounterparty, increases, decreases, covered);
    }
}
