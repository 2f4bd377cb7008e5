package dev.guardian.service.config;

import dev.guardian.service.requests.ReceiptWorker;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Runs the receipt worker on the configured interval, on every instance (claims keep them apart). */
@Component
class ReceiptPolling {
    private final ReceiptWorker worker;

    ReceiptPolling(ReceiptWorker worker) {
        this.worker = worker;
    }

    @Scheduled(fixedDelayString = "${guardian.worker.receipt-poll-interval:500ms}")
    void poll() {
        worker.poll();
    }
}
