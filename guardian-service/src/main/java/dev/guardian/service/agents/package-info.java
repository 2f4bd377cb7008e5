/**
 * Agents, their wallets and teams, managed at run time: the directory (created through the treasury
 * API or seeded from configuration, frozen, retired, moved between teams), each agent's one wallet (a
 * key generated or imported once, sealed by the signer under the key-encryption key wired here, and
 * re-sealed under a new one when the KEK is rotated: {@code KeyRotation}), teams
 * with budgets their agents share, the deployment-wide kill switch, and Guardian's own relayer account
 * ({@code Relayer}: a sending key sealed and re-sealed like the wallets', which pays the gas of what is sent on
 * an agent's behalf, such as the cancellation of an outstanding authorization). Tokens live in the identity
 * package, policies in the policies package, the advisory locks in the locks package. Uses audit, locks,
 * identity and policies; the development mode plugs in through {@code AdditionalAgents} and
 * {@code FallbackKeyEncryptionKey}.
 */
package dev.guardian.service.agents;
