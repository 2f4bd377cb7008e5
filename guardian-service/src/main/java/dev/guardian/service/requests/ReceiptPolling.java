package dev.guardian.service.requests;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Runs the background work on every instance; row locks and claims keep the instances apart. */
@Component
class ReceiptPolling {
    private static final int EXPOSURE_AGENTS_PER_PASS = 100;

    private final ReceiptWorker worker;
    private final TransactionSubmitter submitter;
    private final ExposureTracker exposure;

    ReceiptPolling(ReceiptWorker worker, TransactionSubmitter submitter, ExposureTracker exposure) {
        this.worker = worker;
        this.submitter = submitter;
        this.exposure = exposure;
    }

    /** Allowances used outside Guardian are posted as spent, so budgets and the budget report tell the truth. */
    @Scheduled(fixedDelayString = "${guardian.worker.exposure-sync-interval:30s}")
    void followAllowances() {
        exposure.sweep(EXPOSURE_AGENTS_PER_PASS);
    }

    @Scheduled(fixedDelayString = "${guardian.worker.receipt-poll-interval:500ms}")
    void poll() {
        worker.poll();
    }

    /**
     * Requests not yet signed: those a chain outage postponed are due every pass, those interrupted by a
     * stopped instance once older than {@code interrupted-after}, so a crash is resumed within that plus one
     * interval, and a chain outage costs at most one failed attempt a pass (see the submitter).
     */
    @Scheduled(fixedDelayString = "${guardian.worker.chain-retry-interval:5s}")
    void resumeInterrupted() {
        submitter.resumeInterrupted();
    }
}
