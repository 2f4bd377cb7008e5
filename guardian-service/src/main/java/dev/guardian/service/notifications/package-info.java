/**
 * Outbound webhooks: when a request is escalated and when it reaches a final state, a signed
 * notification is written to an outbox in the same transaction as the change, and a background
 * dispatcher delivers it with retries and backoff. Deliveries are recorded and never block or fail the
 * request. Receivers verify an HMAC-SHA256 signature over a timestamp and the body (docs/webhooks.md).
 */
package dev.guardian.service.notifications;
