/**
 * Web3j wrappers for the on-chain backstop of co-signed Safe wallets: {@code GuardianSafeGuard}, the Safe
 * 1.4.1 transaction guard that caps what a Safe may lose (Guardian's signed cover per transaction, a hard
 * USDC cap per window) and keeps agent and Guardian from changing the Safe without a treasury owner, and
 * {@code GuardianSafeGuardSetup}, which {@code Safe.setup} delegate-calls to install and configure the
 * guard in the Safe's creation transaction. Generated on every build from {@code contracts/src/safe};
 * only this description is written by hand. The cover format, the rules and the recovery steps are in
 * the module's README.
 */
package dev.guardian.contracts.safe;
