/**
 * Guardian's audit record format and its verification, in plain Java so that an auditor can check an
 * export without trusting Guardian or any library: RFC 8785 canonical JSON ({@link dev.guardian.verifier.Jcs}
 * over a strict I-JSON reader), records chained by SHA-256 ({@link dev.guardian.verifier.AuditRecord}),
 * Ed25519 checkpoints over the head of the chain ({@link dev.guardian.verifier.Checkpoint}), and one
 * {@link dev.guardian.verifier.ChainVerifier} that Guardian runs over its live table and the
 * {@code verify-audit} command runs over an export.
 */
package dev.guardian.verifier;
