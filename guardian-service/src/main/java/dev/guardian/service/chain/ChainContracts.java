package dev.guardian.service.chain;

import dev.guardian.policy.Address;
import java.util.Objects;
import java.util.Optional;

/**
 * Contracts of the chain that Guardian reads besides the tokens: the OP Stack gas price oracle that says
 * what a transaction's L1 data will cost (absent: the chain has no L1 fee), and Permit2, whose allowances
 * Guardian follows (absent: Permit2 allowances are held until revoked, never read back).
 */
public record ChainContracts(Optional<Address> l1FeeOracle, Optional<Address> permit2) {
    public ChainContracts {
        Objects.requireNonNull(l1FeeOracle, "l1FeeOracle");
        Objects.requireNonNull(permit2, "permit2");
    }

    public static ChainContracts none() {
        return new ChainContracts(Optional.empty(), Optional.empty());
    }
}
