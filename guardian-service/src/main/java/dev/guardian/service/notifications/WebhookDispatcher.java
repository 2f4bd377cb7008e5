package dev.guardian.service.notifications;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers pending notifications. Each is claimed with {@code FOR UPDATE SKIP LOCKED} and leased (its
 * next attempt pushed past the HTTP timeout) before the transaction commits, so the POST itself runs
 * outside any transaction and two instances never send the same attempt. A 2xx answer marks it
 * delivered; anything else schedules a retry with doubling backoff, until {@code maxAttempts}: then it is
 * DEAD, kept with its last error and the time it died until an administrator re-sends it
 * ({@link WebhookDeliveries}). An attempt's outcome is recorded only over the state it was claimed in, so
 * an outcome that arrives late (after its lease, when another attempt may have been made) changes nothing.
 */
class WebhookDispatcher {
    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);
    private static final int BATCH = 50;

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final WebhookProperties settings;
    private final Map<String, WebhookProperties.Endpoint> endpoints;
    private final Clock clock;
    private final HttpClient http;

    public WebhookDispatcher(
            JdbcClient jdbc, TransactionTemplate transactions, WebhookProperties settings, Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.settings = settings;
        this.endpoints = settings.endpoints().stream()
                .collect(Collectors.toMap(WebhookProperties.Endpoint::url, Function.identity(), (a, b) -> a));
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    private record Due(UUID id, String endpoint, String event, String payload, int attempts) {}

    /** One pass: sends what is due; returns how many were delivered. */
    public int dispatch() {
        List<Due> due = transactions.execute(tx -> {
            Instant now = clock.instant();
            List<Due> claimed = jdbc.sql("""
                    select id, endpoint, event, payload, attempts from webhook_deliveries
                    where status = 'PENDING' and next_attempt_at <= :now
                    order by next_attempt_at limit :limit for update skip locked
                    """)
                    .param("now", utc(now))
                    .param("limit", BATCH)
                    .query((rs, n) -> new Due(
                            rs.getObject("id", UUID.class),
                            rs.getString("endpoint"),
                            rs.getString("event"),
                            rs.getString("payload"),
                            rs.getInt("attempts")))
                    .list();
            // The batch is sent one after another, each attempt bounded by the timeout to connect and again to
            // answer: the lease covers the whole batch, or another instance would claim its tail and send it too.
            Instant lease = now.plus(settings.timeout().multipliedBy(2L * claimed.size() + 1));
            if (!claimed.isEmpty()) {
                jdbc.sql("update webhook_deliveries set next_attempt_at = :lease where id = any(:ids)")
                        .param("lease", utc(lease))
                        .param("ids", claimed.stream().map(Due::id).toArray(UUID[]::new))
                        .update();
            }
            return claimed;
        });
        int delivered = 0;
        for (Due d : due) {
            if (attempt(d)) {
                delivered++;
            }
        }
        return delivered;
    }

    private boolean attempt(Due due) {
        WebhookProperties.Endpoint endpoint = endpoints.get(due.endpoint());
        Integer status = null;
        String error = null;
        if (endpoint == null) {
            error = "the endpoint is no longer configured";
        } else {
            long timestamp = clock.instant().getEpochSecond();
            HttpRequest request = HttpRequest.newBuilder(endpoint.uri())
                    .timeout(settings.timeout())
                    .header("Content-Type", "application/json")
                    .header(WebhookSignature.DELIVERY_HEADER, due.id().toString())
                    .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                    .header(
                            WebhookSignature.SIGNATURE_HEADER,
                            WebhookSignature.sign(endpoint.secret(), timestamp, due.payload()))
                    .POST(HttpRequest.BodyPublishers.ofString(due.payload()))
                    .build();
            try {
                status = http.send(request, HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                if (status / 100 != 2) {
                    error = "answered HTTP " + status;
                }
            } catch (IOException e) {
                error = Redaction.error(
                        e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()),
                        endpoint.url(),
                        endpoint.secret());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                error = "interrupted";
            }
        }
        record(due, status, error);
        return error == null;
    }

    private void record(Due due, Integer status, String error) {
        Instant now = clock.instant();
        int attempts = due.attempts() + 1;
        String shown = Redaction.endpoint(due.endpoint());
        if (error == null) {
            int recorded = jdbc.sql("""
                    update webhook_deliveries set status = 'DELIVERED', attempts = :attempts, last_status = :status,
                        last_error = null, delivered_at = :now where id = :id and status = 'PENDING' and attempts = :claimed
                    """)
                    .param("attempts", attempts)
                    .param("status", status)
                    .param("now", utc(now))
                    .param("id", due.id())
                    .param("claimed", due.attempts())
                    .update();
            if (recorded == 0) {
                log.warn("webhook delivery {} to {} was delivered after its claim lapsed", due.id(), shown);
            }
            return;
        }
        boolean dies = attempts >= settings.maxAttempts();
        Duration backoff = backoff(attempts);
        int recorded = jdbc.sql("""
                update webhook_deliveries set status = :state, attempts = :attempts, last_status = :status, last_error = :error,
                    next_attempt_at = :next, died_at = :diedAt where id = :id and status = 'PENDING' and attempts = :claimed
                """)
                .param("state", dies ? DeliveryStatus.DEAD.name() : DeliveryStatus.PENDING.name())
                .param("attempts", attempts)
                .param("status", status)
                .param("error", error)
                .param("next", utc(dies ? now : now.plus(backoff)))
                .param("diedAt", dies ? utc(now) : null)
                .param("id", due.id())
                .param("claimed", due.attempts())
                .update();
        if (recorded == 0) {
            log.warn("webhook delivery {} to {} failed after its claim lapsed: {}", due.id(), shown, error);
        } else if (dies) {
            // The operator's cue: what died, where to, and why; the delivery waits for a re-send
            // (docs/webhooks.md). The event is named so that a lost escalation is told from a lost confirmation.
            log.warn(
                    "webhook delivery {} ({}) to {} is DEAD after {} attempts: {}; re-send it with POST"
                            + " /v1/admin/webhooks/deliveries/{}/resend",
                    due.id(),
                    due.event(),
                    shown,
                    attempts,
                    error,
                    due.id());
        } else {
            log.warn(
                    "webhook delivery {} ({}) to {} failed (attempt {} of {}): {}; next try in {}",
                    due.id(),
                    due.event(),
                    shown,
                    attempts,
                    settings.maxAttempts(),
                    error,
                    backoff);
        }
    }

    /** firstRetry, doubled after each further failure, never more than maxRetry. */
    Duration backoff(int failedAttempts) {
        Duration wait = settings.firstRetry();
        for (int i = 1; i < failedAttempts && wait.compareTo(settings.maxRetry()) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(settings.maxRetry()) > 0 ? settings.maxRetry() : wait;
    }

    private static OffsetDateTime utc(Instant at) {
        return OffsetDateTime.ofInstant(at, ZoneOffset.UTC);
    }
}
