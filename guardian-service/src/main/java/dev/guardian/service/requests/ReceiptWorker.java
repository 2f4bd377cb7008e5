package dev.guardian.service.requests;

import dev.guardian.service.audit.AuditLog;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.chain.ChainException;
import dev.guardian.service.chain.TransactionRejectedException;
import dev.guardian.service.chain.TxReceipt;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Follows signed and submitted transactions to their receipts: a successful one commits its budget
 * reservation, a reverted one releases it. A transaction without a receipt for a while (its broadcast
 * went unanswered, or the node dropped it) is re-broadcast byte for byte; one whose nonce another
 * mined transaction has taken can never be mined and is failed, its reservation released. Requests
 * are polled least recently checked first, so slow ones cannot starve the rest. Each request is claimed with {@code FOR UPDATE SKIP LOCKED}, so several
 * instances share the work without doing any of it twice.
 */
public class ReceiptWorker {
    private static final Logger log = LoggerFactory.getLogger(ReceiptWorker.class);

    private final ChainAdapter chain;
    private final RequestStore store;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Duration rebroadcastAfter;
    private final int batchSize;

    public ReceiptWorker(
            ChainAdapter chain,
            RequestStore store,
            AuditLog audit,
            TransactionTemplate transactions,
            Clock clock,
            Duration rebroadcastAfter,
            int batchSize) {
        this.chain = chain;
        this.store = store;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
        this.rebroadcastAfter = rebroadcastAfter;
        this.batchSize = batchSize;
    }

    /** One pass over the requests in flight; returns how many reached a final state. */
    public int poll() {
        int settled = 0;
        for (UUID id : store.inFlight(batchSize)) {
            try {
                Boolean done = transactions.execute(tx -> follow(id));
                if (Boolean.TRUE.equals(done)) {
                    settled++;
                }
            } catch (ChainException e) {
                log.debug("receipts paused: {}", e.getMessage());
                break; // the chain is away or answering errors; try again on the next pass
            }
        }
        return settled;
    }

    private boolean follow(UUID id) {
        Optional<StoredRequest> claimed = store.claim(id);
        if (claimed.isEmpty()) {
            return false; // another worker has it
        }
        StoredRequest request = claimed.get();
        if (request.status() != RequestStatus.SIGNED && request.status() != RequestStatus.SUBMITTED) {
            return false;
        }
        Instant now = clock.instant();
        if (request.status() == RequestStatus.SIGNED
                && !request.updatedAt().plus(rebroadcastAfter).isBefore(now)) {
            // Freshly signed: its submitter is broadcasting it right now and will record the outcome. The
            // worker steps in only if that does not happen in time (the instance stopped, the node was silent).
            return false;
        }
        Optional<TxReceipt> receipt = chain.receipt(request.txHash().orElseThrow());
        store.markChecked(id, now);
        if (receipt.isPresent()) {
            settle(request, receipt.get(), now);
            return true;
        }
        // No receipt yet. A transaction not heard of for a while is sent again, byte for byte: the node may
        // never have received it (SIGNED) or may have dropped it from its pool (SUBMITTED).
        if (request.updatedAt().plus(rebroadcastAfter).isBefore(now)) {
            rebroadcast(request, now);
        }
        return false;
    }

    private void settle(StoredRequest request, TxReceipt r, Instant now) {
        UUID id = request.id();
        RequestStatus status = r.succeeded() ? RequestStatus.CONFIRMED : RequestStatus.FAILED;
        Optional<String> failure = r.succeeded()
                ? Optional.empty()
                : Optional.of("the transaction reverted on chain in block " + r.blockNumber());
        store.markSettled(id, status, r.blockNumber(), failure, now);
        store.settleReservations(id, r.succeeded(), now);
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("txHash", r.hash().toString());
        record.put("block", r.blockNumber());
        record.put("gasUsed", r.gasUsed());
        record.put("status", r.succeeded() ? "success" : "reverted");
        audit.append(id, r.succeeded() ? "confirmed" : "reverted", record);
    }

    private void rebroadcast(StoredRequest request, Instant now) {
        UUID id = request.id();
        String hash = request.txHash().orElseThrow().toString();
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("txHash", hash);
        record.put("nonce", request.nonce().orElseThrow());
        try {
            chain.sendRawTransaction(request.rawTx().orElseThrow());
            submitted(request, record, now);
        } catch (TransactionRejectedException e) {
            String refusal = e.getMessage();
            if (Broadcasts.alreadyKnown(refusal)) {
                submitted(request, record, now);
            } else if (Broadcasts.nonceUsed(refusal)) {
                // Its nonce is taken by a mined transaction. If that one is ours, its receipt exists now.
                Optional<TxReceipt> receipt = chain.receipt(request.txHash().orElseThrow());
                if (receipt.isPresent()) {
                    settle(request, receipt.get(), now);
                    return;
                }
                String failure = "its nonce " + request.nonce().orElseThrow()
                        + " was used by another transaction, so it can never be mined; nothing was paid by it";
                store.markStatus(id, RequestStatus.FAILED, Optional.of(failure), now);
                store.settleReservations(id, false, now);
                record.put("refusedBy", refusal);
                audit.append(id, "superseded", record);
            } else {
                // Refused for now (fees, balance): keep the same bytes and try again after the next interval.
                store.markStatus(id, request.status(), request.failure(), now);
                log.warn("re-broadcast of {} refused ({}); will try again", hash, refusal);
            }
        }
    }

    /** The node has the transaction: SUBMITTED (recorded when that is news), and the re-send clock restarts. */
    private void submitted(StoredRequest request, Map<String, Object> record, Instant now) {
        store.markStatus(request.id(), RequestStatus.SUBMITTED, Optional.empty(), now);
        if (request.status() == RequestStatus.SIGNED) {
            record.put("rebroadcast", true);
            audit.append(request.id(), "submitted", record);
        }
    }
}
