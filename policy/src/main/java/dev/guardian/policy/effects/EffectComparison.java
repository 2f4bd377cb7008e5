package dev.guardian.policy.effects;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a mined transaction did beyond what was judged of it. Judged and actual effects are compared as
 * totals, so that the order of movements and how the call tree splits them do not matter: every movement
 * of an asset from one address to another must have been judged, for at least that much in all; every
 * allowance the transaction left must have been judged, at least as high; every event of the contract the
 * wallet called must have been seen in the simulation. Less than judged is not a divergence (it is what
 * the budgets are then posted at). Which addresses the actual effects reached is screened separately.
 */
public final class EffectComparison {
    private EffectComparison() {}

    /** One way the transaction went beyond its judgement, in words a treasury team can act on. */
    public record Difference(String what) {
        public Difference {
            Objects.requireNonNull(what, "what");
        }
    }

    private record Movement(Asset asset, Address from, Address to) {}

    private record Allowance(Asset asset, Address owner, Address spender, Approval.Kind kind) {}

    private record Event(Address emitter, String topic0) {}

    /** Each way {@code actual} went beyond {@code judged}; empty when it did nothing that was not judged. */
    public static List<Difference> beyond(SimulatedEffects judged, SimulatedEffects actual) {
        Objects.requireNonNull(judged, "judged");
        Objects.requireNonNull(actual, "actual");
        List<Difference> differences = new ArrayList<>();
        Map<Movement, BigInteger> judgedMoves = movements(judged);
        movements(actual).forEach((move, units) -> {
            BigInteger allowed = judgedMoves.getOrDefault(move, BigInteger.ZERO);
            if (units.compareTo(allowed) > 0) {
                differences.add(new Difference(describe(move.asset(), units) + " moved from " + move.from() + " to "
                        + move.to() + "; "
                        + (allowed.signum() == 0
                                ? "no such movement was judged"
                                : "only " + describe(move.asset(), allowed) + " was judged")));
            }
        });
        Map<Allowance, BigInteger> judgedAllowances = allowances(judged);
        allowances(actual).forEach((allowance, units) -> {
            BigInteger allowed = judgedAllowances.get(allowance);
            if (units.signum() > 0 && (allowed == null || units.compareTo(allowed) > 0)) {
                differences.add(new Difference("an allowance of " + describe(allowance.asset(), units) + " from "
                        + allowance.owner() + " to " + allowance.spender() + " was left; "
                        + (allowed == null
                                ? "none was judged"
                                : describe(allowance.asset(), allowed) + " was judged")));
            }
        });
        Set<Event> judgedEvents = events(judged);
        for (Event event : events(actual)) {
            if (!judgedEvents.contains(event)) {
                differences.add(new Difference("the called contract " + event.emitter() + " emitted event "
                        + event.topic0() + ", which the simulation did not show"));
            }
        }
        return List.copyOf(differences);
    }

    private static Map<Movement, BigInteger> movements(SimulatedEffects effects) {
        Map<Movement, BigInteger> totals = new LinkedHashMap<>();
        for (Effect effect : effects.effects()) {
            if (effect instanceof Transfer t && t.amount().units().signum() > 0) {
                totals.merge(
                        new Movement(t.amount().asset(), t.from(), t.to()),
                        t.amount().units(),
                        BigInteger::add);
            }
        }
        return totals;
    }

    /** The allowance each (asset, owner, spender, kind) is left at: the last one set. */
    private static Map<Allowance, BigInteger> allowances(SimulatedEffects effects) {
        Map<Allowance, BigInteger> last = new LinkedHashMap<>();
        for (Effect effect : effects.effects()) {
            if (effect instanceof Approval a) {
                last.put(
                        new Allowance(a.amount().asset(), a.owner(), a.spender(), a.kind()),
                        a.amount().units());
            }
        }
        return last;
    }

    /** Events of the contract the wallet called (depth 1), the ones the policy weighs. */
    private static Set<Event> events(SimulatedEffects effects) {
        Set<Event> events = new LinkedHashSet<>();
        for (UnknownEvent event : effects.unknownEvents()) {
            if (event.depth() == 1) {
                events.add(new Event(event.emitter(), event.topic0()));
            }
        }
        return events;
    }

    private static String describe(Asset asset, BigInteger units) {
        return new TokenAmount(asset, units).toString();
    }
}
