package dev.guardian.service.requests;

import dev.guardian.service.chain.ChainUnavailableException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Runs the background work on every instance; row locks and claims keep the instances apart. */
@Component
class ReceiptPolling {
    private final ReceiptWorker worker;
    private final TransactionSubmitter submitter;
    private final WorkerProperties settings;

    ReceiptPolling(ReceiptWorker worker, TransactionSubmitter submitter, WorkerProperties settings) {
        this.worker = worker;
        this.submitter = submitter;
        this.settings = settings;
    }

    @Scheduled(fixedDelayString = "${guardian.worker.receipt-poll-interval:500ms}")
    void poll() {
        worker.poll();
    }

    @Scheduled(fixedDelayString = "${guardian.worker.interrupted-after:30s}")
    void resumeInterrupted() {
        try {
            submitter.resumeInterrupted(settings.interruptedAfter(), settings.allowedExpiry(), settings.batchSize());
        } catch (ChainUnavailableException e) {
            // Nothing was signed; the next pass tries again.
        }
    }
}
