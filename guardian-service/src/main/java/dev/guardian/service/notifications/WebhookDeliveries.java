package dev.guardian.service.notifications;

import dev.guardian.service.audit.Actor;
import dev.guardian.service.audit.AuditLog;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Administrators' hold on the outbox: list deliveries by status, read one, and re-send dead ones. A
 * re-send makes a DEAD delivery PENDING again, due now with its attempts reset, and records who did it in
 * the audit log in the same transaction; the dispatcher then sends it as any other, under its claim, so
 * it is POSTed once. Only DEAD deliveries are re-sent: a PENDING one is still being tried and a DELIVERED
 * one was received, so re-sending either would reach the receiver twice. The same delivery id (and
 * payload) goes out again, so a receiver that deduplicates by {@code Guardian-Delivery} stays safe.
 */
public class WebhookDeliveries {
    /** The most deliveries one page lists, and one {@link #resendDead} re-sends (each is an audit record). */
    public static final int MAX_PAGE = 500;

    private static final String COLUMNS = """
            id, endpoint, event, request_id, external_outflow_id, status, attempts, last_status, last_error,
            created_at, next_attempt_at, died_at, delivered_at""";

    private static final RowMapper<WebhookDelivery> DELIVERY = WebhookDeliveries::delivery;

    /** A delivery with its endpoint as configured, which only this class sees (it may hold a credential). */
    private record Stored(WebhookDelivery delivery, String url) {}

    private static final RowMapper<Stored> STORED =
            (rs, row) -> new Stored(delivery(rs, row), rs.getString("endpoint"));

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final AuditLog audit;
    private final WebhookProperties settings;
    private final Clock clock;

    WebhookDeliveries(
            JdbcClient jdbc,
            TransactionTemplate transactions,
            AuditLog audit,
            WebhookProperties settings,
            Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.audit = audit;
        this.settings = settings;
        this.clock = clock;
    }

    /** A page of deliveries, newest first; {@code nextBefore} is the cursor of the next page, if there may be one. */
    public record Page(List<WebhookDelivery> deliveries, Optional<UUID> nextBefore) {}

    /**
     * Deliveries in {@code status}, newest (by creation) first, at most {@code limit}, after the delivery
     * {@code before} (the previous page's cursor) when given.
     *
     * @throws IllegalArgumentException if {@code limit} is not from 1 to {@link #MAX_PAGE}
     */
    public Page list(DeliveryStatus status, Optional<UUID> before, int limit) {
        requireLimit(limit);
        // The cursor is a delivery id; its (created_at, id) is where the page starts, so a page never repeats
        // or skips one however many arrive meanwhile. A cursor that names no delivery gives an empty page.
        List<WebhookDelivery> page = jdbc.sql("select " + COLUMNS + """
                         from webhook_deliveries
                        where status = :status
                          and (cast(:before as uuid) is null or (created_at, id) <
                               (select created_at, id from webhook_deliveries where id = cast(:before as uuid)))
                        order by created_at desc, id desc limit :limit
                        """)
                .param("status", status.name())
                .param("before", before.orElse(null))
                .param("limit", limit)
                .query(DELIVERY)
                .list();
        Optional<UUID> next = page.size() == limit ? Optional.of(page.getLast().id()) : Optional.empty();
        return new Page(page, next);
    }

    public Optional<WebhookDelivery> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from webhook_deliveries where id = :id")
                .param("id", id)
                .query(DELIVERY)
                .optional();
    }

    /**
     * Re-sends one DEAD delivery: it is PENDING again, due now, and the re-send is audited as {@code by}'s.
     * The row is locked while it is checked and changed, so of two administrators re-sending it at once
     * one re-sends it and the other is refused (it is PENDING by then).
     *
     * @throws ResendRefusedException if there is no such delivery, it is not DEAD, or its endpoint is no
     *                                longer configured
     */
    public WebhookDelivery resend(UUID id, Actor by) {
        return transactions.execute(tx -> {
            Stored stored = jdbc.sql("select " + COLUMNS + " from webhook_deliveries where id = :id for update")
                    .param("id", id)
                    .query(STORED)
                    .optional()
                    .orElseThrow(() -> new ResendRefusedException(
                            ResendRefusedException.Why.NOT_FOUND, "no webhook delivery " + id, Optional.empty()));
            WebhookDelivery delivery = stored.delivery();
            if (delivery.status() != DeliveryStatus.DEAD) {
                throw new ResendRefusedException(
                        ResendRefusedException.Why.NOT_DEAD, notDead(delivery), Optional.of(delivery.status()));
            }
            if (!configured(stored.url())) {
                throw new ResendRefusedException(
                        ResendRefusedException.Why.ENDPOINT_NOT_CONFIGURED,
                        "webhook delivery " + id + " is for " + delivery.endpoint()
                                + ", which is no longer configured (guardian.webhooks.endpoints); it stays DEAD",
                        Optional.of(DeliveryStatus.DEAD));
            }
            revive(List.of(id));
            audit.append(resent(delivery, false), by);
            return find(id).orElseThrow();
        });
    }

    /** What {@link #resendDead} did: the deliveries now PENDING, and how many are still DEAD. */
    public record Resent(List<UUID> deliveries, long stillDead) {}

    /**
     * Re-sends DEAD deliveries whose endpoint is still configured, oldest first, at most {@code limit} of
     * them, each audited as {@code by}'s. Rows another administrator is re-sending at the same moment are
     * skipped, not waited for, so concurrent calls share the dead deliveries between them and none is
     * re-sent twice. {@code stillDead} counts what is left: those beyond the limit (call again) and those
     * whose endpoint is gone.
     *
     * @throws IllegalArgumentException if {@code limit} is not from 1 to {@link #MAX_PAGE}
     */
    public Resent resendDead(Actor by, int limit) {
        requireLimit(limit);
        return transactions.execute(tx -> {
            String[] configured = settings.endpoints().stream()
                    .map(WebhookProperties.Endpoint::url)
                    .toArray(String[]::new);
            List<WebhookDelivery> dead = jdbc.sql("select " + COLUMNS + """
                             from webhook_deliveries
                            where status = 'DEAD' and endpoint = any(:configured)
                            order by created_at, id limit :limit for update skip locked
                            """)
                    .param("configured", configured)
                    .param("limit", limit)
                    .query(DELIVERY)
                    .list();
            if (!dead.isEmpty()) {
                revive(dead.stream().map(WebhookDelivery::id).toList());
                audit.appendAll(
                        null,
                        dead.stream()
                                .map(d -> new AuditLog.Entry(resent(d, true), by))
                                .toList());
            }
            long stillDead = jdbc.sql("select count(*) from webhook_deliveries where status = 'DEAD'")
                    .query(Long.class)
                    .single();
            return new Resent(dead.stream().map(WebhookDelivery::id).toList(), stillDead);
        });
    }

    /** Due now, as if new; the last attempt's outcome is forgotten here and kept in the re-send's audit record. */
    private void revive(List<UUID> ids) {
        jdbc.sql("""
                update webhook_deliveries
                   set status = 'PENDING', attempts = 0, next_attempt_at = :now, died_at = null,
                       last_status = null, last_error = null
                 where id = any(:ids) and status = 'DEAD'
                """)
                .param("now", OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC))
                .param("ids", ids.toArray(UUID[]::new))
                .update();
    }

    private boolean configured(String url) {
        return settings.endpoints().stream().anyMatch(e -> e.url().equals(url));
    }

    private static WebhookAuditEvents.DeliveryResent resent(WebhookDelivery delivery, boolean all) {
        return new WebhookAuditEvents.DeliveryResent(
                delivery.id(),
                delivery.endpoint(),
                delivery.event(),
                delivery.requestId(),
                delivery.externalOutflowId(),
                delivery.attempts(),
                delivery.lastError(),
                delivery.diedAt().orElseThrow(),
                all);
    }

    private static String notDead(WebhookDelivery delivery) {
        return switch (delivery.status()) {
            case DELIVERED ->
                "webhook delivery " + delivery.id() + " was delivered at "
                        + delivery.deliveredAt().map(Instant::toString).orElse("?")
                        + "; re-sending it would POST it to the receiver twice";
            case PENDING ->
                "webhook delivery " + delivery.id() + " is PENDING already (attempt " + (delivery.attempts() + 1)
                        + " is due at "
                        + delivery.nextAttemptAt().map(Instant::toString).orElse("?") + ")";
            case DEAD -> throw new IllegalStateException("a DEAD delivery can be re-sent");
        };
    }

    private static void requireLimit(int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw new IllegalArgumentException("must be from 1 to " + MAX_PAGE);
        }
    }

    private static WebhookDelivery delivery(ResultSet rs, int row) throws SQLException {
        DeliveryStatus status = DeliveryStatus.valueOf(rs.getString("status"));
        return new WebhookDelivery(
                rs.getObject("id", UUID.class),
                Redaction.endpoint(rs.getString("endpoint")),
                rs.getString("event"),
                Optional.ofNullable(rs.getObject("request_id", UUID.class)),
                Optional.ofNullable(rs.getObject("external_outflow_id", UUID.class)),
                status,
                rs.getInt("attempts"),
                Optional.ofNullable(rs.getObject("last_status", Integer.class)),
                Optional.ofNullable(rs.getString("last_error")),
                instant(rs, "created_at").orElseThrow(),
                status == DeliveryStatus.PENDING ? instant(rs, "next_attempt_at") : Optional.empty(),
                instant(rs, "died_at"),
                instant(rs, "delivered_at"));
    }

    private static Optional<Instant> instant(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getObject(column, OffsetDateTime.class)).map(OffsetDateTime::toInstant);
    }
}
