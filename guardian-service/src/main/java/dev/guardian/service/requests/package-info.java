/**
 * The path of one request: build the exact transaction, simulate it, screen what it touches, judge it
 * against the agent's policy, and record the decision with its budget reservation in one transaction
 * under the agent's lock; then sign and submit allowed ones through the per-address nonce, follow them
 * to their receipts, and commit or release the reservation. A chain outage before the signature postpones
 * the signing, retried until the decision expires, rather than failing it. Idempotency keys make retries
 * safe. The policy dry run lives here too, because it judges with the same judge. Status changes go to
 * whichever {@code RequestTransitions.StatusListener} bean exists (the webhook outbox), so this package
 * does not know the notifications package above it.
 */
package dev.guardian.service.requests;
