package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.TxHash;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.audit.Actor;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.chain.ChainException;
import dev.guardian.service.chain.TransactionRejectedException;
import dev.guardian.service.chain.TxReceipt;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Follows signed and submitted transactions to their receipts: a successful one is reconciled with what
 * was judged ({@link ReceiptReconciler}) and posts its budget reservation at what really moved, or, if it
 * did what was not judged, freezes the agent and ends DIVERGED; a reverted one releases it but its fee. A transaction without a receipt for a while (its broadcast
 * went unanswered, or the node dropped it) is re-broadcast byte for byte; one whose nonce another
 * mined transaction has taken can never be mined and is failed, its reservation released. Requests
 * are polled least recently checked first, so slow ones cannot starve the rest. Each request is claimed with {@code FOR UPDATE SKIP LOCKED}, so several
 * instances share the work without doing any of it twice.
 */
class ReceiptWorker {
    private static final Logger log = LoggerFactory.getLogger(ReceiptWorker.class);

    private final ChainAdapter chain;
    private final ReceiptReconciler reconciler;
    private final AgentDirectory agents;
    private final RequestStore store;
    private final RequestTransitions transitions;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Duration rebroadcastAfter;
    private final int batchSize;

    public ReceiptWorker(
            ChainAdapter chain,
            ReceiptReconciler reconciler,
            AgentDirectory agents,
            RequestStore store,
            RequestTransitions transitions,
            TransactionTemplate transactions,
            Clock clock,
            Duration rebroadcastAfter,
            int batchSize) {
        this.chain = chain;
        this.reconciler = reconciler;
        this.agents = agents;
        this.store = store;
        this.transitions = transitions;
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

    /**
     * Settles a mined transaction. A reverted one moved nothing but its fee. A successful one is reconciled
     * with what was judged first: if it did anything that was not judged, the agent is frozen at once (in
     * this transaction, so the freeze and the divergence commit together) and the request ends DIVERGED,
     * charged what really left.
     */
    private void settle(StoredRequest request, TxReceipt r, Instant now) {
        if (!r.succeeded()) {
            transitions.apply(
                    request,
                    new RequestEvent.Reverted(r.hash(), r.blockNumber(), r.gasUsed(), r.feeWei()),
                    Actor.GUARDIAN,
                    now);
            return;
        }
        Address wallet = store.walletAddress(request.walletId());
        ReceiptReconciler.Reconciled reconciled = reconciler.reconcile(request, wallet, r);
        if (!reconciled.diverged()) {
            transitions.apply(
                    request,
                    new RequestEvent.Confirmed(
                            r.hash(), r.blockNumber(), r.gasUsed(), r.feeWei(), reconciled.executed()),
                    Actor.GUARDIAN,
                    now);
            return;
        }
        log.error(
                "request {} of agent {}: the mined transaction {} did what was not judged; freezing the agent: {}",
                request.id(),
                request.agentId(),
                r.hash(),
                reconciled.differences());
        agents.setFrozen(
                request.agentId(),
                true,
                "request " + request.id() + " diverged: its transaction " + r.hash() + " did what was not judged",
                Actor.GUARDIAN);
        transitions.apply(
                request,
                new RequestEvent.Diverged(
                        request.agentId(),
                        wallet,
                        r.hash(),
                        r.blockNumber(),
                        r.gasUsed(),
                        r.feeWei(),
                        request.effects(),
                        reconciled.executed(),
                        reconciled.differences(),
                        Optional.of(RequestKind.of(request.kind())).filter(RequestKind::treasuryAction)),
                Actor.GUARDIAN,
                now);
    }

    private void rebroadcast(StoredRequest request, Instant now) {
        TxHash hash = request.txHash().orElseThrow();
        long nonce = request.nonce().orElseThrow();
        try {
            chain.sendRawTransaction(request.rawTx().orElseThrow());
            submitted(request, now);
        } catch (TransactionRejectedException e) {
            String refusal = e.getMessage();
            if (Broadcasts.alreadyKnown(refusal)) {
                submitted(request, now);
            } else if (Broadcasts.nonceUsed(refusal)) {
                // Its nonce is taken by a mined transaction. If that one is ours, its receipt exists now.
                Optional<TxReceipt> receipt = chain.receipt(hash);
                if (receipt.isPresent()) {
                    settle(request, receipt.get(), now);
                    return;
                }
                transitions.apply(request, new RequestEvent.Superseded(hash, nonce, refusal), Actor.GUARDIAN, now);
            } else {
                // Refused for now (fees, balance): keep the same bytes and try again after the next interval.
                store.touch(request.id(), now);
                log.warn("re-broadcast of {} refused ({}); will try again", hash, refusal);
            }
        }
    }

    /** The node has the transaction: SUBMITTED (recorded when that is news), and the re-send clock restarts. */
    private void submitted(StoredRequest request, Instant now) {
        if (request.status() == RequestStatus.SIGNED) {
            transitions.apply(
                    request,
                    new RequestEvent.Submitted(
                            request.txHash().orElseThrow(), request.nonce().orElseThrow(), Optional.of(true)),
                    Actor.GUARDIAN,
                    now);
        } else {
            store.touch(request.id(), now);
        }
    }
}
