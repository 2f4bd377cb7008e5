/**
 * The audit log: every decision, signature, submission and outcome as an append-only, hash-chained
 * record written in the same database transaction as the state it describes, so nothing is signed
 * before the record of the decision that allows it is durable.
 */
package dev.guardian.service.audit;
