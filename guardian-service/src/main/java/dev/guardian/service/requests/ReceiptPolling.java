package dev.guardian.service.requests;

import dev.guardian.service.database.OutageLog;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs the background work on every instance; row locks and claims keep the instances apart. Through a
 * database outage each job logs once and tries again on its next pass ({@link OutageLog}).
 */
@Component
class ReceiptPolling {
    private static final int EXPOSURE_AGENTS_PER_PASS = 100;

    private final ReceiptWorker worker;
    private final TransactionSubmitter submitter;
    private final ExposureTracker exposure;
    private final OutageLog allowancesOutage = new OutageLog("allowance sweep", ReceiptPolling.class);
    private final OutageLog receiptsOutage = new OutageLog("receipt worker", ReceiptPolling.class);
    private final OutageLog resumeOutage = new OutageLog("resume of interrupted submissions", ReceiptPolling.class);
    private final OutageLog authorizationsOutage = new OutageLog("authorization watch", ReceiptPolling.class);
    private final AuthorizationWatcher authorizations;

    ReceiptPolling(
            ReceiptWorker worker,
            TransactionSubmitter submitter,
            ExposureTracker exposure,
            AuthorizationWatcher authorizations) {
        this.authorizations = authorizations;
        this.worker = worker;
        this.submitter = submitter;
        this.exposure = exposure;
    }

    /** Allowances used outside Guardian are posted as spent, so budgets and the budget report tell the truth. */
    @Scheduled(fixedDelayString = "${guardian.worker.exposure-sync-interval:30s}")
    void followAllowances() {
        allowancesOutage.run(() -> exposure.sweep(EXPOSURE_AGENTS_PER_PASS));
    }

    /** Outstanding typed-data signatures: used (posted), lapsed (voided), or to be cancelled after a freeze or a hit. */
    @Scheduled(fixedDelayString = "${guardian.worker.authorization-watch-interval:2s}")
    void watchAuthorizations() {
        authorizationsOutage.run(authorizations::watch);
    }

    @Scheduled(fixedDelayString = "${guardian.worker.receipt-poll-interval:500ms}")
    void poll() {
        receiptsOutage.run(worker::poll);
    }

    /**
     * Requests not yet signed: those a chain outage postponed are due every pass, those interrupted by a
     * stopped instance once older than {@code interrupted-after}, so a crash is resumed within that plus one
     * interval, and a chain outage costs at most one failed attempt a pass (see the submitter).
     */
    @Scheduled(fixedDelayString = "${guardian.worker.chain-retry-interval:5s}")
    void resumeInterrupted() {
        resumeOutage.run(submitter::resumeInterrupted);
    }
}
