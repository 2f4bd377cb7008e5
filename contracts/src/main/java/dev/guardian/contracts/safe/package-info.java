/**
 * Web3j wrappers for the Safe 1.4.1 contracts a co-signed wallet is made of: {@code SafeL2} (the singleton
 * every Safe proxy delegates to), {@code SafeProxyFactory}, {@code CompatibilityFallbackHandler} and
 * {@code MultiSendCallOnly} (the one delegatecall target Guardian allows). They are generated on every build
 * from the compiled artifacts that the npm package {@code @safe-global/safe-contracts@1.4.1} ships, not from
 * a compilation of ours, because those artifacts are the audited build: their runtime code hashes equal the
 * canonical deployments' (checked on Anvil by the service's tests). The fallback handler's wrapper lacks the
 * legacy {@code isValidSignature(bytes,bytes)}, which Web3j cannot tell apart from the ERC-1271 one in Java;
 * its bytecode is whole. Tests and the development mode deploy them on Anvil; on a real chain the canonical
 * deployments are used.
 */
package dev.guardian.contracts.safe;
