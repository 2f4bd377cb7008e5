package dev.guardian.service.chain;

import dev.guardian.policy.effects.SimulatedEffects;
import java.util.Objects;

/**
 * What simulating a {@link ContractCall} showed: its effects, that it would revert, or that what it would
 * do cannot be read (that request's denial, never an outage).
 */
public sealed interface Simulation permits Simulation.Succeeded, Simulation.Reverted, Simulation.Undecodable {

    /** The call would succeed; {@code gasUsed} is what the simulation consumed, intrinsic gas included. */
    record Succeeded(SimulatedEffects effects, long gasUsed) implements Simulation {
        public Succeeded {
            Objects.requireNonNull(effects, "effects");
            if (gasUsed < 0) {
                throw new IllegalArgumentException("gas used cannot be negative");
            }
        }
    }

    /**
     * The call would fail. {@code reason} is the decoded {@code Error(string)} text, {@code "panic 0x11
     * (arithmetic overflow)"} for a {@code Panic(uint256)}, {@code "custom error 0x<selector>..."} for any
     * other revert data, {@code "reverted without a reason"}, or the node's own words when it refused to
     * execute the call at all (e.g. insufficient funds for the value).
     */
    record Reverted(String reason) implements Simulation {
        public Reverted {
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException(
                        "a revert needs a reason, even if it is 'reverted without a reason'");
            }
        }
    }

    /** The node answered with a trace Guardian cannot read, or one larger than it judges; {@code reason} says which. */
    record Undecodable(String reason) implements Simulation {
        public Undecodable {
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("say why the trace cannot be judged");
            }
        }
    }
}
