package dev.guardian.service.safe;

/**
 * Supplies the Safe contracts in place of {@code guardian.safe.*}: implemented by the development mode,
 * whose local chain has them only once it has deployed them. Absent everywhere else.
 */
public interface SafeContractsOverride {
    SafeContracts safeContracts();
}
