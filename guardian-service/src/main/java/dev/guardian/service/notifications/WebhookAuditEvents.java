package dev.guardian.service.notifications;

import dev.guardian.service.audit.AuditEvent;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** What the audit log records of webhooks: an administrator's re-send of a dead delivery. */
final class WebhookAuditEvents {
    private WebhookAuditEvents() {}

    /**
     * A DEAD delivery was made PENDING again, its attempts reset. What it had been through (attempts, last
     * error, when it died) is recorded here because the delivery's row forgets it on re-send.
     *
     * @param all whether it was re-sent as one of all the dead ones, rather than by its id
     */
    @AuditEvent.Name("webhook-delivery-resent")
    record DeliveryResent(
            UUID delivery,
            String endpoint,
            String webhookEvent,
            Optional<UUID> requestId,
            Optional<UUID> externalOutflowId,
            int attempts,
            Optional<String> lastError,
            Instant diedAt,
            boolean all)
            implements AuditEvent {}
}
