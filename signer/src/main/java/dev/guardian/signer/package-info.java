/**
 * Wallet keys and signing: the only place in Guardian that ever holds private key bytes. Keys are
 * generated or imported into a {@link dev.guardian.signer.KeyVault}, which seals them with AES-256-GCM
 * under a {@link dev.guardian.signer.KeyEncryptionKey} kept outside the database, each ciphertext
 * bound to the address it controls. A {@link dev.guardian.signer.TransactionSigner} unseals its key
 * only for the duration of one signature (deterministic RFC 6979 secp256k1, low-s) and produces
 * EIP-1559 envelopes ready for {@code eth_sendRawTransaction}; the rest of the application sees only
 * addresses, signatures and signed transactions through the narrow {@link dev.guardian.signer.Signer}.
 * The same signer signs EIP-712 typed data ({@link dev.guardian.signer.TypedData}, hashed by
 * {@link dev.guardian.signer.Eip712}) for EIP-3009 authorisations, EIP-2612 permits and the like;
 * the encoder is strict and refuses, naming the field, anything a lenient wallet would coerce, and
 * {@link dev.guardian.signer.Signature#toRsv()} gives the 65-byte form that contracts and x402 take.
 * The Ed25519 audit key that signs checkpoints of the audit log is kept the same way
 * ({@link dev.guardian.signer.SealedAuditKey}, {@link dev.guardian.signer.AuditSigner}). Rotating the
 * key-encryption key re-seals each stored key inside the vault, from the previous KEK to the current one,
 * so even then no key bytes reach the service.
 */
package dev.guardian.signer;
