package dev.guardian.service.notifications;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * One delivery as administrators see it: never its payload or the endpoint's secret, and the endpoint
 * without its query string, fragment or user information, which may hold a receiver's credential.
 *
 * @param nextAttemptAt when it is tried next, while {@link DeliveryStatus#PENDING}
 * @param lastStatus    the HTTP status of the last attempt, if one answered
 * @param lastError     what went wrong at the last attempt, bounded and without secrets
 */
public record WebhookDelivery(
        UUID id,
        String endpoint,
        String event,
        Optional<UUID> requestId,
        Optional<UUID> externalOutflowId,
        DeliveryStatus status,
        int attempts,
        Optional<Integer> lastStatus,
        Optional<String> lastError,
        Instant createdAt,
        Optional<Instant> nextAttemptAt,
        Optional<Instant> diedAt,
        Optional<Instant> deliveredAt) {}
