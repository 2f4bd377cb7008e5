package dev.guardian.service.notifications;

import dev.guardian.service.requests.RequestStatus;
import dev.guardian.service.requests.RequestTransitions;
import dev.guardian.service.requests.StoredRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a notification for every configured endpoint when a request is escalated or reaches a final
 * state, in the transaction that changes the status: the notification exists if and only if the change
 * does. The payload is fixed at that moment (documented in docs/webhooks.md).
 */
class WebhookOutbox implements RequestTransitions.StatusListener {
    private static final Set<RequestStatus> ANNOUNCED = Set.of(
            RequestStatus.PENDING_APPROVAL,
            RequestStatus.DENIED,
            RequestStatus.REJECTED,
            RequestStatus.EXPIRED,
            RequestStatus.CONFIRMED,
            RequestStatus.FAILED,
            RequestStatus.DIVERGED);

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final WebhookProperties settings;
    private final Clock clock;

    public WebhookOutbox(JdbcClient jdbc, JsonMapper json, WebhookProperties settings, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public boolean interestedIn(RequestStatus status) {
        return !settings.endpoints().isEmpty() && ANNOUNCED.contains(status);
    }

    @Override
    public void statusChanged(StoredRequest request) {
        if (!interestedIn(request.status())) {
            return;
        }
        Instant now = clock.instant();
        String event = request.status() == RequestStatus.PENDING_APPROVAL
                ? "request.escalated"
                : "request." + request.status().name().toLowerCase(Locale.ROOT);
        for (WebhookProperties.Endpoint endpoint : settings.endpoints()) {
            UUID delivery = UUID.randomUUID();
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("id", delivery.toString());
            payload.put("event", event);
            payload.put("occurredAt", now.toString());
            payload.put("request", summary(request));
            jdbc.sql("""
                    insert into webhook_deliveries (id, endpoint, request_id, event, payload, status, next_attempt_at, created_at)
                    values (:id, :endpoint, :request, :event, :payload, 'PENDING', :at, :at)
                    """)
                    .param("id", delivery)
                    .param("endpoint", endpoint.url())
                    .param("request", request.id())
                    .param("event", event)
                    .param("payload", json.writeValueAsString(payload))
                    .param("at", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                    .update();
        }
    }

    private static Map<String, Object> summary(StoredRequest request) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("id", request.id().toString());
        summary.put("agentId", request.agentId().value());
        summary.put("kind", request.kind());
        summary.put("status", request.status().name());
        summary.put("verdict", request.verdict().name());
        summary.put("reasons", request.reasons());
        summary.put("effects", request.effects());
        request.approvalsRequired().ifPresent(n -> summary.put("approvalsRequired", n));
        request.approvalDeadline().ifPresent(d -> summary.put("approvalDeadline", d.toString()));
        request.txHash().ifPresent(h -> summary.put("txHash", h.toString()));
        request.blockNumber().ifPresent(b -> summary.put("blockNumber", b));
        request.failure().ifPresent(f -> summary.put("failure", f));
        return summary;
    }
}
