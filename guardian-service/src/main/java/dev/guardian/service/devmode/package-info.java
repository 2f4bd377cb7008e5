/**
 * The development mode behind the README's first command: a local Anvil with the test USDC and the
 * payment router deployed, a development key-encryption key in a file, and a demo agent with a funded
 * wallet and a demo policy. It announces loudly everything it made up. Never for real money.
 */
package dev.guardian.service.devmode;
