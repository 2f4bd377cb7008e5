package dev.guardian.policy.effects;

import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What simulating a request showed, as the rules judge it: it would succeed with these effects, it
 * would revert, or what it would do cannot be judged (its effects cannot be read or added up). Only a
 * successful simulation has effects; the other two are refusals in their own right
 * ({@code simulation.reverted}, {@code simulation.undecodable}), judged by rules like any other.
 */
public sealed interface SimulationOutcome {

    /** The effects to judge: those of a successful simulation, none otherwise. */
    SimulatedEffects effects();

    /**
     * A successful simulation's outcome, or {@link Undecodable} when its effects cannot be totalled (a
     * token reporting movements that add up past 2^256 - 1): a sum Guardian cannot compute is not
     * something it can weigh against a limit.
     */
    static SimulationOutcome of(SimulatedEffects effects) {
        try {
            return new Succeeded(effects);
        } catch (ArithmeticException e) {
            return new Undecodable(
                    "the simulated effects cannot be totalled (" + e.getMessage() + "); Guardian cannot judge them");
        }
    }

    /**
     * The request would succeed with {@code effects}. Every asset's movements add up within 2^256 - 1
     * (checked here), so any total a rule takes of them exists.
     */
    record Succeeded(SimulatedEffects effects) implements SimulationOutcome {
        public Succeeded {
            Objects.requireNonNull(effects, "effects");
            Map<Asset, TokenAmount> moved = new HashMap<>();
            for (Effect effect : effects.effects()) {
                if (effect instanceof Transfer transfer) {
                    moved.merge(transfer.amount().asset(), transfer.amount(), TokenAmount::plus);
                }
            }
        }
    }

    /** The request would revert; {@code reason} is the decoded revert reason or the node's own words. */
    record Reverted(String reason) implements SimulationOutcome {
        public Reverted {
            requireReason(reason);
        }

        @Override
        public SimulatedEffects effects() {
            return SimulatedEffects.NONE;
        }
    }

    /** What the request would do cannot be judged; {@code reason} says why. */
    record Undecodable(String reason) implements SimulationOutcome {
        public Undecodable {
            requireReason(reason);
        }

        @Override
        public SimulatedEffects effects() {
            return SimulatedEffects.NONE;
        }
    }

    private static void requireReason(String reason) {
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("say why the simulation cannot be judged");
        }
    }
}
