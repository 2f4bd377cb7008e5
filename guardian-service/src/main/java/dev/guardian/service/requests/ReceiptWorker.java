package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.TxHash;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.agents.KillSwitch;
import dev.guardian.service.audit.Actor;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.chain.ChainUnavailableException;
import dev.guardian.service.chain.TransactionRejectedException;
import dev.guardian.service.chain.TxReceipt;
import dev.guardian.service.database.DatabaseFailures;
import dev.guardian.service.sanctions.AddressScreen;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Follows signed and submitted transactions to their receipts: a successful one is reconciled with what
 * was judged ({@link ReceiptReconciler}) and posts its budget reservation at what really moved, or, if it
 * did what was not judged, freezes the agent and ends DIVERGED; a reverted one releases it but its fee. A
 * transaction without a receipt for a while (its broadcast went unanswered or was refused, or the node
 * dropped it) is re-broadcast byte for byte. It is failed, its reservation released, only when the chain's
 * confirmed nonce of the sending address has passed its nonce and it still has no receipt: another
 * transaction took the nonce, so it can never be mined. What a node says of it ("nonce too low",
 * "insufficient funds") never settles it. Requests are polled least recently checked first, so slow ones
 * cannot starve the rest. Each request is claimed with {@code FOR UPDATE SKIP LOCKED}, so several
 * instances share the work without doing any of it twice.
 */
class ReceiptWorker {
    private static final Logger log = LoggerFactory.getLogger(ReceiptWorker.class);

    private final ChainAdapter chain;
    private final ReceiptReconciler reconciler;
    private final AgentDirectory agents;
    private final RequestStore store;
    private final RequestTransitions transitions;
    private final TransactionSubmitter submitter;
    private final KillSwitch killSwitch;
    private final AddressScreen sanctions;
    private final Duration replaceAfter;
    private final int maxReplacements;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final Duration rebroadcastAfter;
    private final int batchSize;
    /**
     * When this instance first saw a request's nonce taken (the confirmed nonce past it) without its
     * receipt. It is failed only if that still holds one interval later: behind a load-balanced provider,
     * the node that answered the nonce may be a block ahead of the one that answered the receipt. Memory
     * suffices: losing an entry (a restart, another instance's turn) only delays the failure.
     */
    private final Map<UUID, Instant> nonceTakenSince = new ConcurrentHashMap<>();
    /** When each request that could not be followed was last reported at WARN. */
    private final Map<UUID, Instant> lastWarned = new ConcurrentHashMap<>();

    private static final Duration WARN_EVERY = Duration.ofMinutes(1);

    public ReceiptWorker(
            ChainAdapter chain,
            ReceiptReconciler reconciler,
            AgentDirectory agents,
            RequestStore store,
            RequestTransitions transitions,
            TransactionSubmitter submitter,
            KillSwitch killSwitch,
            AddressScreen sanctions,
            TransactionTemplate transactions,
            Clock clock,
            Duration rebroadcastAfter,
            Duration replaceAfter,
            int maxReplacements,
            int batchSize) {
        this.chain = chain;
        this.reconciler = reconciler;
        this.agents = agents;
        this.store = store;
        this.transitions = transitions;
        this.submitter = submitter;
        this.killSwitch = killSwitch;
        this.sanctions = sanctions;
        this.replaceAfter = replaceAfter;
        this.maxReplacements = maxReplacements;
        this.transactions = transactions;
        this.clock = clock;
        this.rebroadcastAfter = rebroadcastAfter;
        this.batchSize = batchSize;
    }

    /** What a pass decided to do about a transaction not yet mined, done once the pass's transaction committed. */
    private sealed interface FollowUp {
        record Settled() implements FollowUp {}

        record Waiting() implements FollowUp {}

        record Cancel(String why) implements FollowUp {}

        record Replace(String why) implements FollowUp {}
    }

    private static final FollowUp SETTLED = new FollowUp.Settled();
    private static final FollowUp WAITING = new FollowUp.Waiting();

    /** One pass over the requests in flight; returns how many reached a final state. */
    public int poll() {
        int settled = 0;
        for (UUID id : store.inFlight(batchSize)) {
            try {
                FollowUp next = transactions.execute(tx -> followUp(id));
                switch (next) {
                    case FollowUp.Settled s -> settled++;
                    case FollowUp.Waiting w -> {}
                    // Signing and sending take their own transactions (the agent's lock, the row lock), outside
                    // the claim this pass held.
                    case FollowUp.Cancel cancel -> submitter.cancel(id, cancel.why());
                    case FollowUp.Replace replace ->
                        submitter.replace(id, replace.why()).ifPresent(why -> log.info("request {}: {}", id, why));
                }
            } catch (ChainUnavailableException e) {
                log.debug("receipts paused: {}", e.getMessage());
                break; // the chain is away; try again on the next pass
            } catch (RuntimeException e) {
                if (DatabaseFailures.unavailable(e)) {
                    throw e; // not this request's fault: the whole pass waits for the database
                }
                // One request that cannot be followed (its trace refused or too large for the node, a
                // replacement that failed) must not hold up every other: it goes to the back of the queue,
                // stays in flight with its reservation as judged, and is tried again on a later pass.
                warnAtMostEveryMinute(id, e);
                transactions.executeWithoutResult(tx -> store.markChecked(id, clock.instant()));
            }
        }
        return settled;
    }

    /**
     * A request that cannot be followed is tried on every pass (a node that lost its traces after a
     * restart, one that refuses a large trace): one WARN a minute per request says so, the rest go to DEBUG,
     * so a stuck request cannot bury every other line of the log.
     */
    private void warnAtMostEveryMinute(UUID id, RuntimeException e) {
        Instant now = clock.instant();
        Instant last = lastWarned.get(id);
        if (last == null || !now.isBefore(last.plus(WARN_EVERY))) {
            if (lastWarned.size() > 10_000) {
                lastWarned.clear(); // a bound, not a cache: at worst a few WARNs come early
            }
            lastWarned.put(id, now);
            log.warn(
                    "request {}: could not be followed this pass, will try again on every pass (repeats at DEBUG"
                            + " for a minute): {}",
                    id,
                    e.toString());
        } else {
            log.debug("request {}: could not be followed this pass, will try again: {}", id, e.toString());
        }
    }

    private FollowUp followUp(UUID id) {
        Optional<StoredRequest> claimed = store.claim(id);
        if (claimed.isEmpty() || !inFlight(claimed.get())) {
            nonceTakenSince.remove(id);
            return WAITING;
        }
        StoredRequest request = claimed.get();
        Instant now = clock.instant();
        if (request.status() == RequestStatus.SIGNED
                && !request.updatedAt().plus(rebroadcastAfter).isBefore(now)) {
            // Freshly signed: its submitter is broadcasting it right now and will record the outcome. The
            // worker steps in only if that does not happen in time (the instance stopped, the node was silent
            // or refused it).
            return WAITING;
        }
        List<RequestStore.Attempt> attempts = store.attempts(id);
        if (minedAttempt(request, attempts, now)) {
            store.markChecked(id, now);
            return SETTLED;
        }
        boolean cancelling = attempts.stream().anyMatch(RequestStore.Attempt::cancellation);
        // A transaction just signed is being broadcast by its submitter; one that stayed SIGNED longer (its
        // broadcast unanswered or refused) may be in a pool all the same.
        boolean sent = request.status() == RequestStatus.SUBMITTED
                || request.updatedAt().plus(rebroadcastAfter).isBefore(now);
        if (!cancelling && sent) {
            Optional<String> stop = reasonToStop(request);
            if (stop.isPresent()) {
                store.markChecked(id, now);
                return new FollowUp.Cancel(stop.get());
            }
            long replacements = attempts.stream().filter(a -> !a.cancellation()).count() - 1;
            Instant lastSigned = attempts.isEmpty()
                    ? request.updatedAt()
                    : attempts.getFirst().signedAt();
            // A treasury action is judged by its own narrow check, not the agent's policy: it is not replaced
            // (the treasury can act again once it settles).
            boolean replaceable = !RequestKind.of(request.kind()).treasuryAction();
            if (replaceable
                    && replacements < maxReplacements
                    && lastSigned.plus(replaceAfter).isBefore(now)) {
                store.markChecked(id, now);
                return new FollowUp.Replace("not mined within " + replaceAfter + " of its last signature");
            }
        }
        return follow(request, attempts, now) ? SETTLED : WAITING;
    }

    private static boolean inFlight(StoredRequest request) {
        return request.status() == RequestStatus.SIGNED || request.status() == RequestStatus.SUBMITTED;
    }

    /**
     * Why a transaction not yet mined must be stopped: the agent was frozen or the kill switch engaged
     * since it was signed, or an address it would reach is now on a sanctions list.
     */
    private Optional<String> reasonToStop(StoredRequest request) {
        if (RequestKind.of(request.kind()).treasuryAction()) {
            return Optional.empty(); // a revocation or sweep is what a freeze calls for: it is not stopped
        }
        if (killSwitch.engaged()) {
            return Optional.of("the kill switch was engaged");
        }
        if (store.agentFrozen(request.agentId())) {
            return Optional.of("agent " + request.agentId() + " was frozen");
        }
        Set<Address> reached = new LinkedHashSet<>();
        for (EffectView effect : request.effects()) {
            reached.addAll(effect.parties());
        }
        Set<Address> hits = sanctions.screen(reached).hits();
        return hits.isEmpty() ? Optional.empty() : Optional.of("it would reach " + hits + ", now on a sanctions list");
    }

    /**
     * Settles the request if any transaction signed for it is mined: one of its payment's (the first, or a
     * replacement) as its receipt says, or its cancellation, which fails it.
     */
    private boolean minedAttempt(StoredRequest request, List<RequestStore.Attempt> attempts, Instant now) {
        List<TxHash> payments = new ArrayList<>();
        // The request's own transaction is always looked for, whether or not it was recorded as an attempt
        // (one signed by an instance of a version before attempts were kept).
        request.txHash().ifPresent(payments::add);
        for (RequestStore.Attempt attempt : attempts) {
            if (!attempt.cancellation() && !payments.contains(attempt.txHash())) {
                payments.add(attempt.txHash());
            }
        }
        for (TxHash payment : payments) {
            Optional<TxReceipt> receipt = chain.receipt(payment);
            if (receipt.isPresent()) {
                settle(request, receipt.get(), now);
                return true;
            }
        }
        for (RequestStore.Attempt attempt : attempts) {
            if (!attempt.cancellation()) {
                continue;
            }
            Optional<TxReceipt> receipt = chain.receipt(attempt.txHash());
            if (receipt.isPresent()) {
                nonceTakenSince.remove(request.id());
                TxReceipt r = receipt.get();
                transitions.apply(
                        request,
                        new RequestEvent.Cancelled(r.hash(), r.blockNumber(), r.gasUsed(), r.feeWei()),
                        Actor.GUARDIAN,
                        now);
                return true;
            }
        }
        return false;
    }

    private boolean follow(StoredRequest request, List<RequestStore.Attempt> attempts, Instant now) {
        UUID id = request.id();
        TxHash hash = request.txHash().orElseThrow();
        store.markChecked(id, now);
        if (!request.updatedAt().plus(rebroadcastAfter).isBefore(now)) {
            return false;
        }
        // No receipt for a while. Before sending it again: has the chain moved past its nonce?
        long nonce = request.nonce().orElseThrow();
        Address sender = store.senderOf(request); // the wallet's, or the relayer's that sent it
        long confirmed = chain.confirmedNonce(sender);
        if (confirmed <= nonce) {
            // Nothing with its nonce is mined: it may still be. The node may never have received it (SIGNED),
            // may have dropped it from its pool (SUBMITTED), or refused it: send the same bytes again.
            nonceTakenSince.remove(id);
            rebroadcast(request, attempts, now);
            return false;
        }
        // Read after the nonce: a node that has the block in which the nonce was taken has the receipt, if
        // the transaction that took it was one of this request's.
        if (minedAttempt(request, attempts, now)) {
            return true;
        }
        Instant since = nonceTakenSince.putIfAbsent(id, now);
        if (since == null || since.plus(rebroadcastAfter).isAfter(now)) {
            store.touch(id, now); // look again after an interval; sending it again could only be refused
            return false;
        }
        transitions.apply(request, new RequestEvent.Superseded(hash, nonce, confirmed), Actor.GUARDIAN, now);
        log.warn(
                "request {}: nonce {} of {} was taken by another transaction (confirmed nonce {}) and {} has no"
                        + " receipt; failed, its reservation released",
                id,
                nonce,
                sender,
                confirmed,
                hash);
        return true;
    }

    /**
     * Settles a mined transaction. A reverted one moved nothing but its fee. A successful one is reconciled
     * with what was judged first: if it did anything that was not judged, the agent is frozen at once (in
     * this transaction, so the freeze and the divergence commit together) and the request ends DIVERGED,
     * charged what really left.
     */
    private void settle(StoredRequest request, TxReceipt r, Instant now) {
        nonceTakenSince.remove(request.id());
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

    /** Sends the last transaction signed for the request again: its cancellation if it has one, else its payment. */
    private void rebroadcast(StoredRequest request, List<RequestStore.Attempt> attempts, Instant now) {
        byte[] last = attempts.stream()
                .filter(RequestStore.Attempt::cancellation)
                .findFirst()
                .map(RequestStore.Attempt::rawTx)
                .orElseGet(() -> request.rawTx().orElseThrow());
        try {
            chain.sendRawTransaction(last);
            submitted(request, now);
        } catch (TransactionRejectedException e) {
            if (Broadcasts.alreadyKnown(e.getMessage())) {
                submitted(request, now);
            } else {
                refused(request, e.getMessage(), now);
            }
        }
    }

    /**
     * The node refused the same bytes again. Its word is not final (another node may have them; a refusal
     * for the balance or the fees may pass later), so the request stays in flight with the same bytes and
     * nonce, and they go again after the next interval. The refusal is recorded when it is news (the node
     * had accepted it before, or gives another reason), so the audit log is not flooded by a stuck one.
     *
     * <p>A transaction that will never be accepted (a wallet that can never pay its gas) holds its nonce
     * for good, and the wallet's later transactions wait behind it. Cancelling it is a transaction of its
     * own with the same nonce (a self-transfer at a higher fee): once that is mined, the confirmed nonce
     * passes this one's, and {@link #follow} fails it as superseded, releasing its reservation.
     */
    private void refused(StoredRequest request, String refusal, Instant now) {
        log.warn(
                "request {}: the node refused {} (nonce {}) again: {}; it stays in flight, and later transactions of"
                        + " {} wait behind it",
                request.id(),
                request.txHash().orElseThrow(),
                request.nonce().orElseThrow(),
                refusal,
                request.relayer().map(r -> "the relayer " + r).orElse("wallet " + request.walletId()));
        boolean news = request.status() == RequestStatus.SUBMITTED
                || !request.failure().equals(Optional.of(RequestTransitions.refusedByNode(refusal)));
        if (news) {
            transitions.apply(
                    request,
                    new RequestEvent.RefusedByNode(
                            request.txHash().orElseThrow(), request.nonce().orElseThrow(), refusal),
                    Actor.GUARDIAN,
                    now);
        } else {
            store.touch(request.id(), now);
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
