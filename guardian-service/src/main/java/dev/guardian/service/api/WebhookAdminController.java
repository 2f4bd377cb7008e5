package dev.guardian.service.api;

import dev.guardian.service.identity.Caller;
import dev.guardian.service.identity.Role;
import dev.guardian.service.notifications.DeliveryStatus;
import dev.guardian.service.notifications.WebhookDeliveries;
import dev.guardian.service.notifications.WebhookDelivery;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Administrators' view of webhook deliveries: {@code GET /v1/admin/webhooks/deliveries?status=DEAD} lists
 * them newest first, a page at a time; {@code POST .../{id}/resend} re-sends one dead delivery and
 * {@code POST .../resend?status=DEAD} all of them (a bounded batch per call). A re-send is accepted (202):
 * the dispatcher sends it within its next pass. Re-sending a PENDING or DELIVERED one is a 409, never a
 * second POST to the receiver.
 */
@RestController
@RequestMapping(
        path = "/v1/admin/webhooks/deliveries",
        produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
@RequiresRole(Role.ADMIN)
class WebhookAdminController {
    private static final int DEFAULT_PAGE = 100;

    private final WebhookDeliveries deliveries;

    WebhookAdminController(WebhookDeliveries deliveries) {
        this.deliveries = deliveries;
    }

    record DeliveryView(
            String id,
            String endpoint,
            String event,
            String requestId,
            String externalOutflowId,
            String status,
            int attempts,
            Integer lastStatus,
            String lastError,
            String createdAt,
            String nextAttemptAt,
            String diedAt,
            String deliveredAt) {
        static DeliveryView of(WebhookDelivery d) {
            return new DeliveryView(
                    d.id().toString(),
                    d.endpoint(),
                    d.event(),
                    d.requestId().map(UUID::toString).orElse(null),
                    d.externalOutflowId().map(UUID::toString).orElse(null),
                    d.status().name(),
                    d.attempts(),
                    d.lastStatus().orElse(null),
                    d.lastError().orElse(null),
                    d.createdAt().toString(),
                    d.nextAttemptAt().map(Instant::toString).orElse(null),
                    d.diedAt().map(Instant::toString).orElse(null),
                    d.deliveredAt().map(Instant::toString).orElse(null));
        }
    }

    /** A page of deliveries; {@code nextBefore}, when present, is the {@code before} of the next page. */
    record DeliveryPage(List<DeliveryView> deliveries, String nextBefore) {}

    /** What a re-send of all dead deliveries did: the ids now PENDING, and how many are still DEAD. */
    record ResendReport(int resent, List<String> deliveries, long stillDead) {}

    @GetMapping
    DeliveryPage list(
            @RequestParam(defaultValue = "DEAD") String status,
            @RequestParam(required = false) String before,
            @RequestParam(defaultValue = "" + DEFAULT_PAGE) int limit) {
        requireLimit(limit);
        Optional<UUID> cursor = Optional.ofNullable(before).map(text -> {
            try {
                return UUID.fromString(text);
            } catch (IllegalArgumentException e) {
                throw new ApiExceptions.InvalidField("/query/before", "must be a delivery id (a previous nextBefore)");
            }
        });
        WebhookDeliveries.Page page = deliveries.list(status(status), cursor, limit);
        return new DeliveryPage(
                page.deliveries().stream().map(DeliveryView::of).toList(),
                page.nextBefore().map(UUID::toString).orElse(null));
    }

    @GetMapping("/{id}")
    DeliveryView one(@PathVariable String id) {
        UUID uuid = RequestIds.parse(id, "no webhook delivery " + id);
        return deliveries
                .find(uuid)
                .map(DeliveryView::of)
                .orElseThrow(() -> new ApiExceptions.NotFound("no webhook delivery " + id));
    }

    @PostMapping("/{id}/resend")
    ResponseEntity<DeliveryView> resend(
            @RequestAttribute(AgentAuthentication.CALLER_ATTRIBUTE) Caller caller, @PathVariable String id) {
        UUID uuid = RequestIds.parse(id, "no webhook delivery " + id);
        WebhookDelivery resent = deliveries.resend(uuid, TreasuryController.actor(caller));
        return ResponseEntity.accepted().contentType(MediaType.APPLICATION_JSON).body(DeliveryView.of(resent));
    }

    @PostMapping("/resend")
    ResponseEntity<ResendReport> resendAll(
            @RequestAttribute(AgentAuthentication.CALLER_ATTRIBUTE) Caller caller,
            @RequestParam(required = false) String status,
            @RequestParam(defaultValue = "" + WebhookDeliveries.MAX_PAGE) int limit) {
        requireLimit(limit);
        // Named, not implied: a bare POST must not re-send everything by accident.
        if (status == null || status(status) != DeliveryStatus.DEAD) {
            throw new ApiExceptions.InvalidField(
                    "/query/status",
                    "only DEAD deliveries are re-sent: a PENDING one is still being tried and a DELIVERED one was"
                            + " received");
        }
        WebhookDeliveries.Resent resent = deliveries.resendDead(TreasuryController.actor(caller), limit);
        return ResponseEntity.accepted()
                .contentType(MediaType.APPLICATION_JSON)
                .body(new ResendReport(
                        resent.deliveries().size(),
                        resent.deliveries().stream().map(UUID::toString).toList(),
                        resent.stillDead()));
    }

    private static DeliveryStatus status(String text) {
        try {
            return DeliveryStatus.valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ApiExceptions.InvalidField("/query/status", "must be PENDING, DELIVERED or DEAD");
        }
    }

    private static void requireLimit(int limit) {
        if (limit < 1 || limit > WebhookDeliveries.MAX_PAGE) {
            throw new ApiExceptions.InvalidField("/query/limit", "must be from 1 to " + WebhookDeliveries.MAX_PAGE);
        }
    }
}
