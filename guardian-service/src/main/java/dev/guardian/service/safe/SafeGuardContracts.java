package dev.guardian.service.safe;

import dev.guardian.policy.Address;
import java.util.Objects;
import java.util.Optional;

/**
 * Where GuardianSafeGuard (one guard for every Safe of the chain) and GuardianSafeGuardSetup (which a new Safe
 * DELEGATECALLs from its setup to install and configure the guard) are: {@code guardian.safe.guard} and
 * {@code guardian.safe.guard-setup}, or the development mode's own deployment.
 */
public record SafeGuardContracts(Address guard, Address guardSetup) {
    /** Whether this Guardian has a guard to install, and which: empty when none is configured. */
    public record Deployment(Optional<SafeGuardContracts> contracts) {
        public Deployment {
            Objects.requireNonNull(contracts, "contracts");
        }
    }

    public SafeGuardContracts {
        Objects.requireNonNull(guard, "guard");
        Objects.requireNonNull(guardSetup, "guardSetup");
        if (guard.equals(guardSetup)) {
            throw new IllegalArgumentException("the guard and its setup contract are two contracts");
        }
    }
}
