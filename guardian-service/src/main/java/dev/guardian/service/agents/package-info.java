/**
 * Agents, their wallets and teams, managed at run time: the directory (created through the treasury
 * API or seeded from configuration, frozen, retired, moved between teams), each agent's one wallet (a
 * key generated or imported once, sealed by the signer), teams with budgets their agents share, the
 * deployment-wide kill switch, and the per-agent lock every decision and change holds. Tokens live in
 * the identity package; policies in the policies package.
 */
package dev.guardian.service.agents;
