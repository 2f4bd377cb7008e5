package dev.guardian.service.notifications;

import dev.guardian.policy.TokenAmount;
import dev.guardian.service.reconciliation.ExternalOutflow;
import dev.guardian.service.reconciliation.WalletReconciler;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes a {@value #EVENT} notification for every configured endpoint when wallet reconciliation finds an
 * outflow nobody asked Guardian for, in the transaction that records it (and freezes the agent), through
 * the same outbox and dispatcher as request notifications. The payload is documented in docs/webhooks.md.
 */
class WalletAlerts implements WalletReconciler.Listener {
    static final String EVENT = "wallet.diverged";

    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final WebhookProperties settings;
    private final Clock clock;

    WalletAlerts(JdbcClient jdbc, JsonMapper json, WebhookProperties settings, Clock clock) {
        this.jdbc = jdbc;
        this.json = json;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public void unexplained(ExternalOutflow outflow) {
        Instant now = clock.instant();
        for (WebhookProperties.Endpoint endpoint : settings.endpoints()) {
            UUID delivery = UUID.randomUUID();
            Map<String, Object> payload = new LinkedHashMap<>();
            payload.put("id", delivery.toString());
            payload.put("event", EVENT);
            payload.put("occurredAt", now.toString());
            payload.put("outflow", summary(outflow));
            jdbc.sql("""
                    insert into webhook_deliveries (id, endpoint, external_outflow_id, event, payload, status,
                        next_attempt_at, created_at)
                    values (:id, :endpoint, :outflow, :event, :payload, 'PENDING', :at, :at)
                    """)
                    .param("id", delivery)
                    .param("endpoint", endpoint.url())
                    .param("outflow", outflow.id())
                    .param("event", EVENT)
                    .param("payload", json.writeValueAsString(payload))
                    .param("at", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                    .update();
        }
    }

    private static Map<String, Object> summary(ExternalOutflow outflow) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("id", outflow.id().toString());
        summary.put("agentId", outflow.agent().value());
        summary.put("walletId", outflow.walletId().value());
        summary.put("wallet", outflow.wallet().toString());
        summary.put("kind", outflow.kind().name());
        summary.put("blockNumber", outflow.block());
        outflow.fromBlock().ifPresent(b -> summary.put("afterBlock", b));
        outflow.txHash().ifPresent(h -> summary.put("txHash", h.toString()));
        outflow.logIndex().ifPresent(i -> summary.put("logIndex", i));
        outflow.nonce().ifPresent(n -> summary.put("nonce", n));
        outflow.amount().ifPresent(a -> {
            summary.put("asset", a.asset().symbol());
            summary.put("amount", a.toDecimalString());
            summary.put("units", a.units().toString());
        });
        outflow.unexplained().map(TokenAmount::toDecimalString).ifPresent(c -> summary.put("charged", c));
        outflow.recipient().ifPresent(r -> summary.put("to", r.toString()));
        outflow.spender().ifPresent(s -> summary.put("spender", s.toString()));
        summary.put("agentFrozen", true);
        summary.put("description", outflow.description());
        return summary;
    }
}
