package dev.guardian.service.reconciliation;

import dev.guardian.policy.AssetRegistry;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.audit.AuditLog;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.database.OutageLog;
import dev.guardian.service.requests.ExposureTracker;
import dev.guardian.service.requests.RequestStore;
import dev.guardian.service.requests.Reservations;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wires wallet reconciliation and runs it on every instance, at start and then every
 * {@code guardian.worker.wallet-reconcile-interval} (the checkpoint's compare-and-set keeps instances from
 * recording a range twice). Who hears of an unexplained outflow is whoever provides a
 * {@link WalletReconciler.Listener} bean (the webhook outbox): this package does not know it.
 */
@Configuration(proxyBeanMethods = false)
class WalletReconciliationConfiguration {

    @Bean
    WalletReconciler walletReconciler(
            ChainAdapter chain,
            AssetRegistry assets,
            AgentDirectory agents,
            RequestStore requests,
            Reservations reservations,
            ExposureTracker exposure,
            JdbcClient jdbc,
            JsonMapper json,
            AuditLog audit,
            TransactionTemplate transactions,
            Clock clock,
            WalletReconciliationProperties settings,
            ObjectProvider<WalletReconciler.Listener> listener) {
        return new WalletReconciler(
                chain,
                assets,
                agents,
                requests,
                reservations,
                exposure,
                new WalletReconciliationStore(jdbc, json, assets),
                audit,
                transactions,
                clock,
                listener.getIfAvailable(() -> WalletReconciler.Listener.NONE),
                settings.walletReconcileBlocksPerQuery(),
                settings.walletReconcileConfirmations());
    }

    @Bean
    Reconciling walletReconciling(WalletReconciler reconciler) {
        return new Reconciling(reconciler);
    }

    /** The schedule: its first run is as the scheduler starts, so every wallet is reconciled at start. */
    static class Reconciling {
        private static final Logger log = LoggerFactory.getLogger(Reconciling.class);

        private final WalletReconciler reconciler;
        private final OutageLog outage = new OutageLog("wallet reconciliation", WalletReconciler.class);

        Reconciling(WalletReconciler reconciler) {
            this.reconciler = reconciler;
        }

        @Scheduled(fixedDelayString = "${guardian.worker.wallet-reconcile-interval:30s}")
        void reconcile() {
            try {
                outage.run(reconciler::reconcileAll);
            } catch (RuntimeException e) {
                // Never through the scheduler: the next pass starts again from each wallet's checkpoint.
                log.error("wallet reconciliation pass failed: {}", e.toString(), e);
            }
        }
    }
}
