/**
 * Outbound webhooks: when a request is escalated and when it reaches a final state, and when wallet
 * reconciliation finds an outflow nobody asked Guardian for ({@code wallet.diverged}), a signed
 * notification is written to an outbox in the same transaction as the change, and a background
 * dispatcher delivers it with retries and backoff. Deliveries are recorded and never block or fail the
 * request. One that uses all its attempts is DEAD: kept with its last error, counted by the
 * {@code guardian.webhooks.deliveries} gauge, listed to administrators and re-sent by them, audited.
 * Receivers verify an HMAC-SHA256 signature over a timestamp and the body (docs/webhooks.md).
 * It is the {@code RequestTransitions.StatusListener} and the {@code WalletReconciler.Listener}.
 */
package dev.guardian.service.notifications;
