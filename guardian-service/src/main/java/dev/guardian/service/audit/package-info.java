/**
 * The audit log: every event that matters (a request received, its simulation, screening and decision,
 * approvals, signing, submission, the outcome on chain, expiry, configuration changes) as an
 * append-only, hash-chained record in RFC 8785 canonical JSON, written in the same database transaction
 * as the state it describes, so nothing is signed before the record of the decision that allows it is
 * durable. Periodic checkpoints sign the head of the chain with an Ed25519 audit key (re-sealed, not
 * replaced, when the key-encryption key is rotated: {@code KeyResealing}). Auditors read,
 * export and verify it; the record format and the verifier live in the {@code audit-verifier} module so
 * that Guardian and an auditor's offline check share one implementation.
 */
package dev.guardian.service.audit;
