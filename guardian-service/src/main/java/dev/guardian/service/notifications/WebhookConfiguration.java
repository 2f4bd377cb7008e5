package dev.guardian.service.notifications;

import dev.guardian.service.audit.AuditLog;
import dev.guardian.service.database.OutageLog;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires the outbox (request notifications, and wallet reconciliation's alerts), runs the dispatcher on
 * every instance (claims keep them apart), and gives administrators the deliveries and the metric.
 */
@Configuration(proxyBeanMethods = false)
class WebhookConfiguration {

    @Bean
    WebhookOutbox webhookOutbox(JdbcClient jdbc, JsonMapper json, WebhookProperties settings, Clock clock) {
        return new WebhookOutbox(jdbc, json, settings, clock);
    }

    @Bean
    WalletAlerts walletAlerts(JdbcClient jdbc, JsonMapper json, WebhookProperties settings, Clock clock) {
        return new WalletAlerts(jdbc, json, settings, clock);
    }

    @Bean
    WebhookDispatcher webhookDispatcher(
            JdbcClient jdbc, TransactionTemplate transactions, WebhookProperties settings, Clock clock) {
        return new WebhookDispatcher(jdbc, transactions, settings, clock);
    }

    @Bean
    WebhookDeliveries webhookDeliveries(
            JdbcClient jdbc,
            TransactionTemplate transactions,
            AuditLog audit,
            WebhookProperties settings,
            Clock clock) {
        return new WebhookDeliveries(jdbc, transactions, audit, settings, clock);
    }

    /** A meter binder: every registry the application has gets the gauges. */
    @Bean
    DeliveryCounts webhookDeliveryCounts(JdbcClient jdbc, WebhookProperties settings) {
        return new DeliveryCounts(jdbc, settings.metricsCacheFor());
    }

    @Bean
    Dispatching webhookDispatching(WebhookDispatcher dispatcher) {
        return new Dispatching(dispatcher);
    }

    static class Dispatching {
        private final WebhookDispatcher dispatcher;
        private final OutageLog outage = new OutageLog("webhook dispatcher", WebhookDispatcher.class);

        Dispatching(WebhookDispatcher dispatcher) {
            this.dispatcher = dispatcher;
        }

        @Scheduled(fixedDelayString = "${guardian.webhooks.dispatch-interval:1s}")
        void dispatch() {
            outage.run(dispatcher::dispatch);
        }
    }
}
