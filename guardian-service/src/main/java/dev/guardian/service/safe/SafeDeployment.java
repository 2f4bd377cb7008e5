package dev.guardian.service.safe;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Whether this Guardian can make Safe wallets, and with which contracts: {@code guardian.safe.*} (or the
 * development mode's local deployment), or nothing when none is configured. A feature that creates or
 * co-signs Safes asks {@link #require()}, which says what to configure when they are absent.
 */
public record SafeDeployment(Optional<SafeContracts> contracts) {
    public SafeDeployment {
        Objects.requireNonNull(contracts, "contracts");
    }

    public static SafeDeployment none() {
        return new SafeDeployment(Optional.empty());
    }

    public static SafeDeployment of(SafeContracts contracts) {
        return new SafeDeployment(Optional.of(contracts));
    }

    /**
     * @throws IllegalStateException naming the settings when no Safe contracts are configured
     */
    public SafeContracts require() {
        return contracts.orElseThrow(() -> new IllegalStateException("Safe wallets are not configured on this chain:"
                + " set "
                + Arrays.stream(SafeContracts.Role.values())
                        .map(SafeContracts.Role::property)
                        .collect(Collectors.joining(", "))
                + " (the profiles base and base-sepolia set Safe 1.4.1's canonical deployment)"));
    }
}
