package dev.guardian.service.audit;

import dev.guardian.service.database.OutageLog;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Signs the head of the chain every {@code guardian.audit.checkpoint-interval} if it is not signed yet. A
 * pass the database is away for is skipped (once logged): the next one signs whatever head it finds.
 */
class CheckpointSchedule {
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final OutageLog outage = new OutageLog("audit checkpoints", CheckpointSchedule.class);

    CheckpointSchedule(AuditLog audit, TransactionTemplate transactions) {
        this.audit = audit;
        this.transactions = transactions;
    }

    @Scheduled(
            fixedDelayString = "${guardian.audit.checkpoint-interval:5m}",
            initialDelayString = "${guardian.audit.checkpoint-interval:5m}")
    void checkpoint() {
        outage.run(() -> transactions.execute(tx -> audit.checkpoint()));
    }
}
