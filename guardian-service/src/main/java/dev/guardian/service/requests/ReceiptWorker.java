package dev.guardian.service.requests;

import dev.guardian.service.audit.AuditLog;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.chain.ChainUnavailableException;
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
 * reservation, a reverted one releases it. A SIGNED transaction whose broadcast went unanswered is
 * re-broadcast byte for byte. Each request is claimed with {@code FOR UPDATE SKIP LOCKED}, so several
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

    public ReceiptWorker(ChainAdapter chain, RequestStore store, AuditLog audit, TransactionTemplate transactions, Clock clock,
            Duration rebroadcastAfter, int batchSize) {
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
            } catch (ChainUnavailableException e) {
                log.debug("receipts paused: {}", e.getMessage());
                break; // the chain is away; try again on the next pass
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
        Optional<TxReceipt> receipt = chain.receipt(request.txHash().orElseThrow());
        Instant now = clock.instant();
        if (receipt.isPresent()) {
            TxReceipt r = receipt.get();
            RequestStatus status = r.succeeded() ? RequestStatus.CONFIRMED : RequestStatus.FAILED;
            Optional<String> failure = r.succeeded() ? Optional.empty() : Optional.of("the transaction reverted on chain in block " + r.blockNumber());
            store.markSettled(id, status, r.blockNumber(), failure, now);
            store.settleReservations(id, r.succeeded(), now);
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("txHash", r.hash().toString());
            record.put("block", r.blockNumber());
            record.put("gasUsed", r.gasUsed());
            record.put("status", r.succeeded() ? "success" : "reverted");
            audit.append(id, r.succeeded() ? "confirmed" : "reverted", record);
            return true;
        }
        if (request.status() == RequestStatus.SIGNED && request.updatedAt().plus(rebroadcastAfter).isBefore(now)) {
            rebroadcast(request, now);
        }
        return false;
    }

    private void rebroadcast(StoredRequest request, Instant now) {
        try {
            chain.sendRawTransaction(request.rawTx().orElseThrow());
            store.markStatus(request.id(), RequestStatus.SUBMITTED, Optional.empty(), now);
            audit.append(request.id(), "submitted", Map.of("txHash", request.txHash().orElseThrow().toString(), "rebroadcast", true));
        } catch (TransactionRejectedException e) {
            // "already known" or "nonce too low" mean the node has or had it; the receipt will settle it.
            log.info("re-broadcast of {} refused ({}); waiting for its receipt", request.txHash().orElseThrow(), e.getMessage());
            store.markStatus(request.id(), RequestStatus.SUBMITTED, Optional.empty(), now);
        }
    }
}
