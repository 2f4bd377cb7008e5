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
 * delivered; anything else schedules a retry with doubling backoff, until {@code maxAttempts}.
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

    private record Due(UUID id, String endpoint, String payload, int attempts) {}

    /** One pass: sends what is due; returns how many were delivered. */
    public int dispatch() {
        List<Due> due = transactions.execute(tx -> {
            Instant now = clock.instant();
            List<Due> claimed = jdbc.sql("""
                    select id, endpoint, payload, attempts from webhook_deliveries
                    where status = 'PENDING' and next_attempt_at <= :now
                    order by next_attempt_at limit :limit for update skip locked
                    """)
                    .param("now", utc(now))
                    .param("limit", BATCH)
                    .query((rs, n) -> new Due(
                            rs.getObject("id", UUID.class),
                            rs.getString("endpoint"),
                            rs.getString("payload"),
                            rs.getInt("attempts")))
                    .list();
            Instant lease = now.plus(settings.timeout().multipliedBy(3));
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
                error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
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
        if (error == null) {
            jdbc.sql("""
                    update webhook_deliveries set status = 'DELIVERED', attempts = :attempts, last_status = :status,
                        last_error = null, delivered_at = :now where id = :id
                    """)
                    .param("attempts", attempts)
                    .param("status", status)
                    .param("now", utc(now))
                    .param("id", due.id())
                    .update();
            return;
        }
        boolean giveUp = attempts >= settings.maxAttempts();
        Duration backoff = backoff(attempts);
        jdbc.sql("""
                update webhook_deliveries set status = :state, attempts = :attempts, last_status = :status, last_error = :error,
                    next_attempt_at = :next where id = :id
                """)
                .param("state", giveUp ? "GAVE_UP" : "PENDING")
                .param("attempts", attempts)
                .param("status", status)
                .param("error", error)
                .param("next", utc(now.plus(backoff)))
                .param("id", due.id())
                .update();
        if (giveUp) {
            log.error(
                    "webhook delivery {} to {} given up after {} attempts: {}",
                    due.id(),
                    due.endpoint(),
                    attempts,
                    error);
        } else {
            log.warn(
                    "webhook delivery {} to {} failed (attempt {}): {}; next try in {}",
                    due.id(),
                    due.endpoint(),
                    attempts,
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
