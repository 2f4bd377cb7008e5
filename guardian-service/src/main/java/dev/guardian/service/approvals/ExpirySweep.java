package dev.guardian.service.approvals;

import dev.guardian.service.database.OutageLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Expires pending requests whose deadline has passed: once at start (deadlines that fell due while
 * Guardian was down) and then on a schedule, on every instance (claims keep them apart).
 */
class ExpirySweep {
    private static final Logger log = LoggerFactory.getLogger(ExpirySweep.class);
    private static final int BATCH = 100;

    private final ApprovalService approvals;
    private final OutageLog outage = new OutageLog("approval expiry", ExpirySweep.class);

    ExpirySweep(ApprovalService approvals) {
        this.approvals = approvals;
    }

    @EventListener(ApplicationReadyEvent.class)
    void atStart() {
        sweep();
    }

    @Scheduled(fixedDelayString = "${guardian.approvals.expiry-sweep-interval:5s}")
    void sweep() {
        outage.run(() -> {
            int expired = approvals.expireDue(BATCH);
            if (expired > 0) {
                log.info("expired {} pending request(s) past their approval deadline", expired);
            }
        });
    }
}
