/**
 * The development mode behind the README's first command: a local Anvil with the test USDC, the payment
 * router and the Safe 1.4.1 contracts deployed, a development key-encryption key in a file, and a demo agent
 * with a funded wallet and a demo policy. It announces loudly everything it made up. Never for real money. It
 * plugs into the features through the small interfaces they own ({@code chain.ChainEndpointOverride},
 * {@code safe.SafeContractsOverride}, {@code agents.FallbackKeyEncryptionKey}, {@code agents.AdditionalAgents},
 * {@code identity.AdditionalPeople}): a top layer that no feature imports.
 */
package dev.guardian.service.devmode;
