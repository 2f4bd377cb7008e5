/**
 * Web3j wrappers for Guardian's test contracts ({@code TestUsdc}, a USDC-shaped token with Circle's
 * blacklist, and {@code PaymentRouter}, which pays several recipients from the caller's allowance).
 * The classes are generated on every build from the Solidity in {@code contracts/src} (see the module's
 * README), so they cannot drift from the contracts; only this description is written by hand. Tests
 * and the development mode deploy them on Anvil; production code never depends on them.
 */
package dev.guardian.contracts;
