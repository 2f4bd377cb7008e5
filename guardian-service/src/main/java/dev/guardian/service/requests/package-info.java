/**
 * The path of one request: build the exact transaction, simulate it, screen what it touches, judge it
 * against the agent's policy, and record the decision with its budget reservation in one transaction
 * under the agent's lock; then sign and submit allowed ones through the per-address nonce, follow them
 * to their receipts, and commit or release the reservation. Idempotency keys make retries safe.
 */
package dev.guardian.service.requests;
