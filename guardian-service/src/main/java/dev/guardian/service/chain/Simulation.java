package dev.guardian.service.chain;

import dev.guardian.policy.effects.SimulatedEffects;
import java.util.Objects;

/** What simulating a {@link ContractCall} at the latest block showed: its effects, or that it would revert. */
public sealed interface Simulation permits Simulation.Succeeded, Simulation.Reverted {

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
}
