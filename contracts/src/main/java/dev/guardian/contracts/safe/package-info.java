/**
 * Web3j wrappers for the contracts a co-signed Safe wallet is made of. The Safe 1.4.1 contracts:
 * {@code SafeL2} (the singleton every Safe proxy delegates to), {@code SafeProxyFactory},
 * {@code CompatibilityFallbackHandler} and {@code MultiSendCallOnly} (the one delegatecall target Guardian
 * allows), generated on every build from the compiled artifacts that the npm package
 * {@code @safe-global/safe-contracts@1.4.1} ships, not from a compilation of ours, because those artifacts are
 * the audited build: their runtime code hashes equal the canonical deployments' (checked on Anvil by the
 * service's tests). The fallback handler's wrapper lacks the legacy {@code isValidSignature(bytes,bytes)}, which
 * Web3j cannot tell apart from the ERC-1271 one in Java; its bytecode is whole. And the on-chain backstop:
 * {@code GuardianSafeGuard}, the Safe 1.4.1 transaction guard that caps what a Safe may lose (Guardian's signed
 * cover per transaction, a hard USDC cap per window) and keeps agent and Guardian from changing the Safe without
 * a treasury owner, and {@code GuardianSafeGuardSetup}, which {@code Safe.setup} delegate-calls to install and
 * configure the guard in the Safe's creation transaction, generated from {@code contracts/src/safe}. Only this
 * description is written by hand; the cover format, the rules and the recovery steps are in the module's README.
 */
package dev.guardian.contracts.safe;
