package dev.guardian.service.safe;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * Where the Safe 1.4.1 contracts are on the configured chain ({@code guardian.safe}): all four, or none
 * (then Guardian offers no Safe wallets). The profiles {@code base} and {@code base-sepolia} set the
 * canonical deployment ({@link SafeContracts#CANONICAL_1_4_1}); the development mode deploys its own.
 * {@code guard} and {@code guard-setup} are GuardianSafeGuard and GuardianSafeGuardSetup, deployed once per chain
 * from contracts/src/safe: both, or neither (then Guardian creates no Safe wallets).
 */
@ConfigurationProperties("guardian.safe")
record SafeProperties(
        String singleton,
        String proxyFactory,
        String fallbackHandler,
        String multiSendCallOnly,
        String guard,
        String guardSetup) {
    /** The constructor configuration binds to: a record with a second constructor needs saying which. */
    @ConstructorBinding
    SafeProperties {}

    /** The four Safe contracts alone: for callers that set no guard. */
    SafeProperties(String singleton, String proxyFactory, String fallbackHandler, String multiSendCallOnly) {
        this(singleton, proxyFactory, fallbackHandler, multiSendCallOnly, null, null);
    }
}
