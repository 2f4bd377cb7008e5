package dev.guardian.service.audit;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.support.TransactionTemplate;

/** Signs the head of the chain every {@code guardian.audit.checkpoint-interval} if it is not signed yet. */
class CheckpointSchedule {
    private final AuditLog audit;
    private final TransactionTemplate transactions;

    CheckpointSchedule(AuditLog audit, TransactionTemplate transactions) {
        this.audit = audit;
        this.transactions = transactions;
    }

    @Scheduled(
            fixedDelayString = "${guardian.audit.checkpoint-interval:5m}",
            initialDelayString = "${guardian.audit.checkpoint-interval:5m}")
    void checkpoint() {
        transactions.execute(tx -> audit.checkpoint());
    }
}
