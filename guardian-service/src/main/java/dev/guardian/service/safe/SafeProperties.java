package dev.guardian.service.safe;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the Safe 1.4.1 contracts are on the configured chain ({@code guardian.safe}): all four, or none
 * (then Guardian offers no Safe wallets). The profiles {@code base} and {@code base-sepolia} set the
 * canonical deployment ({@link SafeContracts#CANONICAL_1_4_1}); the development mode deploys its own.
 */
@ConfigurationProperties("guardian.safe")
record SafeProperties(String singleton, String proxyFactory, String fallbackHandler, String multiSendCallOnly) {}
