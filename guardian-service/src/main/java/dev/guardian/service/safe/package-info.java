/**
 * Safe 1.4.1 as Guardian speaks it, for co-signed wallets in which the agent and Guardian are two of the
 * owners: a {@link dev.guardian.service.safe.SafeTransaction} and its EIP-712 hash (the
 * {@link dev.guardian.service.safe.SafeTxHash} every owner signs, equal to the Safe's own
 * {@code getTransactionHash}), the owners' signatures read strictly and encoded in the order the Safe
 * requires ({@link dev.guardian.service.safe.SafeSignatures}), Guardian's cover for the on-chain guard
 * ({@link dev.guardian.service.safe.SafeCover}), the {@code execTransaction} and {@code checkSignatures}
 * calls ({@link dev.guardian.service.safe.SafeTransactions}), creating a Safe through the factory
 * ({@link dev.guardian.service.safe.SafeSetup}), and where the contracts are
 * ({@link dev.guardian.service.safe.SafeContracts}, {@code guardian.safe}, the canonical deployment on Base).
 * Pure encoding and hashing, no database and no state: the chain is read only to compare the configured
 * contracts' code with Safe 1.4.1's. Hashing goes through the signer module's EIP-712 encoder, so one
 * implementation signs every typed data, and nothing here holds a key: Guardian's signature comes through the
 * narrow {@link dev.guardian.signer.Signer}, the agent's is only read.
 */
package dev.guardian.service.safe;
