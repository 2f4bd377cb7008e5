package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.Hex;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.TxHash;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.policy.rules.SignatureTerms;
import dev.guardian.service.agents.Agent;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.agents.KillSwitch;
import dev.guardian.service.agents.Relayer;
import dev.guardian.service.audit.Actor;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.chain.ChainException;
import dev.guardian.service.chain.ChainUnavailableException;
import dev.guardian.service.chain.ContractCall;
import dev.guardian.service.chain.FeeQuote;
import dev.guardian.service.chain.Simulation;
import dev.guardian.service.chain.SimulationRevertedException;
import dev.guardian.service.chain.TransactionRejectedException;
import dev.guardian.service.signatures.OnChainUse;
import dev.guardian.service.signatures.Recognised;
import dev.guardian.signer.Eip1559Transaction;
import dev.guardian.signer.Eip712;
import dev.guardian.signer.KeyVault;
import dev.guardian.signer.Signature;
import dev.guardian.signer.SignedTransaction;
import dev.guardian.signer.TypedData;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Signs and submits allowed and approved requests, in two steps. First, in one transaction, the next
 * nonce of the sending address is taken under its row lock, the transaction is signed, and the signed
 * bytes, the nonce and the "signed" record are committed together (so two instances can never sign
 * two transactions with one nonce, and a crash after the broadcast cannot lead to a second, different
 * transaction). Then the bytes are broadcast once, outside any transaction, and what the node said is
 * recorded: accepted (SUBMITTED), refused or no answer (both left SIGNED: the receipt worker re-broadcasts
 * the same bytes, which can never pay twice, until a receipt or another transaction with its nonce settles
 * it). A refusal is never final and never gives the nonce back: behind a load-balanced provider one node
 * may refuse a transaction another has already taken, and it may be mined.
 *
 * <p>Before the signature, a chain that cannot be used (unreachable, an open circuit breaker, an error
 * answer to the code check, the fee quote or the nonce read) fails nothing: the request stays ALLOWED or
 * APPROVED with its reservation, its signing postponed ({@link SigningPostponement}), and
 * {@link #resumeInterrupted} tries it again, as it does a request a crash interrupted. Only what shows that
 * it can no longer succeed fails it: its decision expired, the transaction would revert, the wallet has
 * code, a freeze or the kill switch.
 */
public class TransactionSubmitter {
    private static final Logger log = LoggerFactory.getLogger(TransactionSubmitter.class);

    /** The gas of a cancellation: a plain transfer of nothing from the wallet to itself. */
    static final long CANCELLATION_GAS = 21_000;

    private final ChainAdapter chain;
    private final AgentDirectory agents;
    private final KeyVault vault;
    private final RequestStore store;
    private final RequestTransitions transitions;
    private final FeeQuotes fees;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final KillSwitch killSwitch;
    private final ExactSimulation simulations;
    private final RequestJudge judge;
    private final Resumption resumption;
    private final SignatureRequests signatures;
    private final Relayer relayer;

    /**
     * When requests that were not signed are tried again: those the instance stopped before signing once
     * {@code interruptedAfter} old, those a chain outage postponed every {@code chainRetryInterval}, at most
     * {@code batchSize} a pass, and none allowed more than {@code allowedExpiry} ago.
     */
    record Resumption(Duration interruptedAfter, Duration chainRetryInterval, Duration allowedExpiry, int batchSize) {
        static Resumption of(WorkerProperties worker) {
            return new Resumption(
                    worker.interruptedAfter(), worker.chainRetryInterval(), worker.allowedExpiry(), worker.batchSize());
        }
    }

    TransactionSubmitter(
            ChainAdapter chain,
            AgentDirectory agents,
            KeyVault vault,
            RequestStore store,
            RequestTransitions transitions,
            FeeQuotes fees,
            TransactionTemplate transactions,
            Clock clock,
            KillSwitch killSwitch,
            ExactSimulation simulations,
            RequestJudge judge,
            Resumption resumption,
            SignatureRequests signatures,
            Relayer relayer) {
        this.signatures = signatures;
        this.relayer = relayer;
        this.chain = chain;
        this.agents = agents;
        this.vault = vault;
        this.store = store;
        this.transitions = transitions;
        this.fees = fees;
        this.transactions = transactions;
        this.clock = clock;
        this.killSwitch = killSwitch;
        this.simulations = simulations;
        this.judge = judge;
        this.resumption = resumption;
    }

    /** Signs and broadcasts an ALLOWED or APPROVED request; any other state is returned unchanged. */
    public StoredRequest submit(UUID requestId) {
        StoredRequest request = store.find(requestId).orElseThrow();
        if (!request.readyToSign()) {
            return request;
        }
        return submit(
                request, agents.find(request.agentId(), request.walletId()).orElseThrow());
    }

    /**
     * Signs and broadcasts {@code request} as just decided, from {@code agent}'s wallet (the request's
     * own), without reading either again; the signing transaction still locks and re-checks the row. If
     * the chain cannot be used before anything is signed, the request stays as it is, postponed
     * ({@link SigningPostponement}), and {@link #resumeInterrupted} tries again.
     */
    public StoredRequest submit(StoredRequest request, Agent agent) {
        return attempt(request, agent, false).request();
    }

    /** What one attempt to sign did: the request as it stands now, and the outage that stopped it, if one did. */
    private record SigningAttempt(StoredRequest request, Optional<ChainUnavailableException> outage) {
        static SigningAttempt done(StoredRequest request) {
            return new SigningAttempt(request, Optional.empty());
        }
    }

    /**
     * One attempt to sign and broadcast. {@code resumed}: the request was decided a while ago (it is being
     * resumed after a crash or an outage), so a judged fee is checked against a fresh gas estimate first.
     *
     * <p>What stops it is told apart with care. The chain saying the transaction would revert
     * ({@link SimulationRevertedException}), or that the wallet has code, fails it: it can no longer succeed.
     * Any other chain failure before the signature (the code check, the fee quote, the nonce read, an open
     * circuit breaker) says nothing about the transaction, only that the chain cannot be used now: nothing
     * was signed, so the request is postponed, holding its reservation, never failed for it.
     */
    private SigningAttempt attempt(StoredRequest request, Agent agent, boolean resumed) {
        if (!request.readyToSign()) {
            return SigningAttempt.done(request);
        }
        if (request.requestKind().signsTypedData()) {
            return SigningAttempt.done(transactions.execute(tx -> signTypedData(request.id(), agent)));
        }
        UUID requestId = request.id();
        Sender sender = Sender.of(request, agent, relayer);
        ContractCall call = request.callFrom(sender.address());
        JudgedFee fee;
        try {
            // A wallet with code (a contract, or an EIP-7702 delegation) runs its own code for whoever
            // calls it: Guardian's key would not be the only thing that moves its money. The relayer's key is
            // Guardian's alone too, and is held to the same.
            if (chain.code(sender.address()).length > 0) {
                return SigningAttempt.done(fail(
                        requestId,
                        sender.describe() + " has code on chain (a contract or an EIP-7702 delegation); Guardian"
                                + " signs only for accounts without code; nothing was signed"));
            }
            // What is signed is what was judged: the gas limit and fee caps of the decision. Only a request
            // decided before fees were judged is quoted now.
            fee = request.fee().isPresent() ? request.fee().get() : fees.quote(call);
            if (resumed && request.fee().isPresent()) {
                // The state may have moved since the decision (an outage can last minutes): a transaction that
                // would now revert, or run out of the gas it was judged with, is failed rather than signed to
                // burn its fee. The fee itself stays as judged.
                long needed = chain.estimateGas(call);
                if (needed > fee.gasLimit()) {
                    return SigningAttempt.done(fail(
                            requestId,
                            "the transaction would no longer succeed: it now needs " + needed + " gas, more than the "
                                    + fee.gasLimit() + " it was judged and would be signed with; nothing was signed"));
                }
            }
        } catch (SimulationRevertedException e) {
            return SigningAttempt.done(
                    fail(requestId, "the transaction would no longer succeed; nothing was signed: " + e.getMessage()));
        } catch (ChainException e) {
            return postponed(requestId, e);
        } catch (RuntimeException e) {
            return SigningAttempt.done(
                    fail(requestId, "the transaction could not be prepared for signing; nothing was signed: " + e));
        }
        Optional<SignedTransaction> signed;
        try {
            signed = transactions.execute(tx -> sign(requestId, sender, call, fee));
        } catch (ChainException e) {
            // Only the nonce read talks to the chain here, and it comes before signing: the transaction
            // rolled back, nothing was signed.
            return postponed(requestId, e);
        }
        if (signed.isEmpty()) {
            return SigningAttempt.done(store.find(requestId).orElseThrow()); // another instance got here first
        }
        return SigningAttempt.done(broadcast(requestId, signed.get()));
    }

    /**
     * Leaves a request that the chain kept from being signed as it is, postponed, and says why; it is
     * tried again by {@link #resumeInterrupted}. A freeze or the kill switch that came meanwhile needs no
     * chain to be obeyed, so it fails the request now rather than hold its budget through the outage.
     */
    private SigningAttempt postponed(UUID requestId, ChainException e) {
        StoredRequest after = transactions.execute(tx -> {
            StoredRequest request = store.lock(requestId).orElseThrow();
            if (!request.readyToSign()) {
                return request; // another instance signed or failed it meanwhile
            }
            Instant now = clock.instant();
            Optional<String> stopped = stoppedByFreezes(request);
            if (stopped.isPresent()) {
                return transitions
                        .apply(
                                request,
                                new RequestEvent.SigningFailed(stopped.get() + " after the decision, while the chain"
                                        + " could not be used (" + e.getMessage() + "); nothing was signed"),
                                Actor.GUARDIAN,
                                now)
                        .request();
            }
            Instant allowedAt = request.allowedAt();
            if (request.signingPostponed().isEmpty()) {
                log.warn(
                        "request {}: signing postponed, nothing signed: the chain could not be used ({}); tried again"
                                + " every {} until it is signed, or failed at {}",
                        requestId,
                        e.getMessage(),
                        resumption.chainRetryInterval(),
                        allowedAt.plus(resumption.allowedExpiry()));
            }
            return transitions.postponeSigning(
                    request,
                    e.getMessage(),
                    new SigningPostponement.Began(
                            e.getMessage(),
                            allowedAt,
                            resumption.chainRetryInterval(),
                            allowedAt.plus(resumption.allowedExpiry())),
                    now);
        });
        return new SigningAttempt(
                after, e instanceof ChainUnavailableException outage ? Optional.of(outage) : Optional.empty());
    }

    /**
     * Picks up allowed and approved requests that were not signed, and tries again through the same path as
     * a fresh one ({@link #attempt}: freezes, the kill switch and the wallet's code re-checked, a fresh gas
     * estimate): those whose signing the chain postponed, every {@code chainRetryInterval} after their last
     * attempt, and those whose submission was interrupted (the instance stopped between the decision and the
     * signature), once {@code interruptedAfter} old. A request allowed (or approved) more than
     * {@code allowedExpiry} ago is failed instead, its reservation released: a decision on a state that old
     * should not be signed. Expiry needs no chain, so it is applied during an outage too.
     *
     * <p>Retries never outpace the circuit breaker: while it is open an attempt fails inside Guardian without
     * reaching the chain, and once one attempt of a pass finds the chain away the rest of that pass tries no
     * more (they keep their place, least recently tried first). So a long outage costs at most one attempt
     * per pass, and once the chain is back a postponed request is signed within the breaker's open-state wait
     * and one retry interval. Two instances may attempt the same request: signing locks its row and re-checks
     * it, so only one signs.
     */
    public void resumeInterrupted() {
        Instant now = clock.instant();
        boolean chainAway = false;
        for (UUID id : store.resumable(
                now.minus(resumption.interruptedAfter()),
                now.minus(resumption.chainRetryInterval()),
                resumption.batchSize())) {
            StoredRequest request = store.find(id).orElseThrow();
            if (!request.readyToSign()) {
                continue;
            }
            if (request.allowedAt().plus(resumption.allowedExpiry()).isBefore(now)) {
                fail(id, expired(request, resumption.allowedExpiry()));
            } else if (!chainAway) {
                Agent agent = agents.find(request.agentId(), request.walletId()).orElseThrow();
                chainAway = attempt(request, agent, true).outage().isPresent();
            }
        }
    }

    /**
     * The expiry again, at the signature, under the row lock and by the clock of this moment: a pass reads
     * its clock once, and a slow chain can make its last request minutes older than the pass thinks.
     */
    private Optional<String> expiredUnderLock(StoredRequest request) {
        return request.allowedAt().plus(resumption.allowedExpiry()).isBefore(clock.instant())
                ? Optional.of(expired(request, resumption.allowedExpiry()))
                : Optional.empty();
    }

    /**
     * Why not to sign when the chain holds transactions from the wallet that Guardian's database does not
     * know: its nonce is past the next one Guardian would sign and past what wallet reconciliation has
     * reviewed. That is a database restored from a backup (the requests it holds as allowed may have been
     * signed and paid since, and would be paid twice) or the key used outside Guardian; either way a human
     * must look first. Wallet reconciliation records the unknown nonces as external outflows and freezes the
     * agent; once they are reviewed, signing goes on above them. A wallet Guardian has never signed from
     * (an imported key with a history) and treasury actions (what people do about exactly this) are not
     * stopped.
     */
    private Optional<String> unknownTransactions(StoredRequest request, long stored, long onChain) {
        // stored == 0: Guardian has never signed from this wallet, so it holds nothing that could have been
        // paid already (an imported key's history, a transaction made before Guardian took the wallet over).
        // The relayer's nonce is not the wallet's: what it signed pays nothing of the wallet's twice.
        if (onChain <= stored
                || stored == 0
                || request.relayed()
                || RequestKind.of(request.kind()).treasuryAction()) {
            return Optional.empty();
        }
        Optional<Long> reviewed = store.reconciledNonce(request.walletId());
        if (reviewed.isPresent() && onChain <= reviewed.get()) {
            return Optional.empty();
        }
        log.warn(
                "request {}: not signed: wallet {} has nonce {} on chain, past the next one Guardian signs ({}) and"
                        + " past what reconciliation reviewed ({}); a restored database or the key used elsewhere",
                request.id(),
                request.walletId(),
                onChain,
                stored,
                reviewed.map(String::valueOf).orElse("nothing"));
        return Optional.of("the wallet's nonce on chain (" + onChain + ") is past the next one Guardian would sign ("
                + stored + "): the chain has transactions from this wallet that Guardian's database does not know"
                + " (a database restored from a backup, or the key used outside Guardian), and this request may"
                + " already have been paid; nothing was signed. Wallet reconciliation reviews the wallet"
                + " (docs/reconciliation.md)");
    }

    /** Why a request is failed unsigned at its expiry: when it was allowed and, if the chain kept it waiting, why. */
    private static String expired(StoredRequest request, Duration expiry) {
        String allowed = "allowed at " + request.allowedAt();
        return request.signingPostponed()
                .map(p -> allowed + "; its signing was postponed at " + p.since()
                        + " because the chain could not be reached (last error: " + p.chainError()
                        + "), and it was not signed within " + expiry + "; nothing was signed")
                .orElse(allowed + " but not signed within " + expiry + "; nothing was signed");
    }

    /**
     * Takes the next nonce under the sending address's row lock, signs, and commits the signed bytes,
     * the nonce and the "signed" record together, before anything is sent: whatever happens after
     * this transaction, Guardian knows exactly which transaction it may have broadcast, and the only
     * retry ever made is a re-broadcast of these same bytes. The sender is the wallet or the relayer; the
     * relayer's nonce row is locked the same way, so two instances, or two agents' requests, never sign two
     * of its transactions with one nonce.
     */
    private Optional<SignedTransaction> sign(UUID requestId, Sender sender, ContractCall call, JudgedFee fee) {
        StoredRequest request = store.lock(requestId).orElseThrow();
        if (!request.readyToSign()) {
            return Optional.empty();
        }
        Address from = sender.address();
        long stored = store.lockNextNonce(from, 0);
        long onChain = chain.pendingNonce(from);
        Optional<String> stopped = stoppedByFreezes(request)
                .map(why -> why + " after the decision; nothing was signed")
                .or(() -> expiredUnderLock(request))
                .or(() -> unknownTransactions(request, stored, onChain));
        if (stopped.isPresent()) {
            transitions.apply(request, new RequestEvent.SigningFailed(stopped.get()), Actor.GUARDIAN, clock.instant());
            return Optional.empty();
        }
        // Never reuse a nonce the chain has seen; unknownTransactions has said whether signing above it is safe.
        long nonce = Math.max(stored, onChain);
        SignedTransaction signed = vault.signerFor(sender.key())
                .sign(new Eip1559Transaction(
                        chain.chainId(),
                        nonce,
                        fee.maxPriorityFeePerGasWei(),
                        fee.maxFeePerGasWei(),
                        fee.gasLimit(),
                        call.to(),
                        call.value(),
                        call.data()));
        // Applied after the nonce read above, so the chain-wide audit lock its record takes is not held across it.
        transitions.apply(
                request,
                new RequestEvent.Signed(
                        from,
                        nonce,
                        signed.hash(),
                        fee.gasLimit(),
                        fee.maxFeePerGasWei(),
                        fee.maxPriorityFeePerGasWei(),
                        signed.raw()),
                Actor.GUARDIAN,
                clock.instant());
        store.saveNextNonce(from, nonce + 1);
        return Optional.of(signed);
    }

    /**
     * Signs a typed-data request, in the caller's transaction, under its row lock: exactly the typed data
     * recorded with the decision (and deterministically, RFC 6979: signing the same typed data again gives
     * the same signature, never a second authorization). A freeze or the kill switch since the decision, the
     * decision's age, or a signature that could no longer be used by the time it is handed over, fail it
     * unsigned. The chain is not asked: the token domain was confirmed when the request was judged.
     */
    private StoredRequest signTypedData(UUID requestId, Agent agent) {
        StoredRequest request = store.lock(requestId).orElseThrow();
        if (!request.readyToSign()) {
            return request;
        }
        Instant now = clock.instant();
        Recognised recognised = signatures.recognise(agent.walletAddress(), request);
        Optional<Instant> usableUntil = recognised.use().map(OnChainUse::usableUntil);
        Optional<String> stopped = stoppedByFreezes(request)
                .map(why -> why + " after the decision; nothing was signed")
                .or(() -> expiredUnderLock(request))
                .or(() -> usableUntil
                        .filter(until -> !until.isAfter(now))
                        .map(until -> "the signature would stop being usable at " + until
                                + ", before it could be handed over; nothing was signed"));
        if (recognised.terms().standard() == SignatureTerms.Standard.REFUSED) {
            stopped = Optional.of("the typed data is no longer one Guardian signs: "
                    + recognised.terms().refusal().orElseThrow() + "; nothing was signed");
        }
        if (stopped.isPresent()) {
            return transitions
                    .apply(request, new RequestEvent.SigningFailed(stopped.get()), Actor.GUARDIAN, now)
                    .request();
        }
        TypedData data = signatures.typedData(request);
        Signature signature = vault.signerFor(agent.sealedKey()).sign(data);
        return transitions
                .apply(
                        request,
                        new RequestEvent.TypedDataSigned(
                                agent.walletAddress(),
                                Hex.encode(Eip712.digest(data)),
                                signature.toRsv(),
                                recognised.use()),
                        Actor.GUARDIAN,
                        now)
                .request();
    }

    /**
     * Why a request that is about to be signed must not be: the kill switch or its agent's freeze, if
     * either came after the decision. Both are read under locks their changes wait for (the switch's shared
     * lock, the agent row's share lock), taken after the nonce read so they are held only for the signature
     * and commit: a freeze that has returned was either seen here or waited for this signature to commit.
     *
     * <p>The rule is the agent's: a treasury action ({@link RequestKind#treasuryAction()}: a revocation or a
     * sweep that a person asked for) is never stopped by either, because it is what people do <em>because</em>
     * an agent is frozen or the switch is engaged. Neither is read for it.
     */
    Optional<String> stoppedByFreezes(StoredRequest request) {
        if (RequestKind.of(request.kind()).treasuryAction()) {
            return Optional.empty();
        }
        if (killSwitch.engaged()) {
            return Optional.of("the kill switch was engaged");
        }
        return store.agentFrozenForShare(request.agentId())
                ? Optional.of("agent " + request.agentId() + " was frozen")
                : Optional.empty();
    }

    /** Sends the committed bytes once, outside any transaction, then records what the node said. */
    private StoredRequest broadcast(UUID requestId, SignedTransaction signed) {
        Outcome outcome;
        String detail = null;
        try {
            chain.sendRawTransaction(signed.raw());
            outcome = Outcome.ACCEPTED;
        } catch (TransactionRejectedException e) {
            detail = e.getMessage();
            outcome = Broadcasts.alreadyKnown(detail) ? Outcome.ACCEPTED : Outcome.REFUSED;
        } catch (ChainException e) {
            detail = e.getMessage();
            outcome = Outcome.UNANSWERED;
        }
        Outcome result = outcome;
        String why = detail;
        return transactions.execute(tx -> record(requestId, signed, result, why));
    }

    private enum Outcome {
        ACCEPTED,
        REFUSED,
        UNANSWERED
    }

    private StoredRequest record(UUID requestId, SignedTransaction signed, Outcome outcome, String detail) {
        StoredRequest request = store.lock(requestId).orElseThrow();
        if (request.status() != RequestStatus.SIGNED) {
            return request; // the receipt worker has already settled or re-sent it
        }
        RequestEvent event = switch (outcome) {
            case ACCEPTED -> new RequestEvent.Submitted(signed.hash(), signed.nonce(), Optional.empty());
            // Not proof that it was never sent: it stays in flight, holding its nonce, until the chain settles it.
            case REFUSED -> new RequestEvent.RefusedByNode(signed.hash(), signed.nonce(), detail);
            case UNANSWERED ->
                new RequestEvent.BroadcastUnanswered(signed.hash(), signed.nonce(), "outcome unknown: " + detail);
        };
        if (outcome == Outcome.UNANSWERED) {
            log.warn(
                    "request {}: broadcast of {} had no answer; the worker will re-broadcast it",
                    requestId,
                    signed.hash());
        } else if (outcome == Outcome.REFUSED) {
            log.warn(
                    "request {}: the node refused {} (nonce {}): {}; it stays in flight and is sent again, and later"
                            + " transactions of this wallet wait behind it until it is mined or its nonce is taken",
                    requestId,
                    signed.hash(),
                    signed.nonce(),
                    detail);
        }
        return transitions
                .apply(request, event, Actor.GUARDIAN, clock.instant())
                .request();
    }

    /**
     * Signs a transaction with the same call, gas limit and nonce as {@code request}'s last and higher fees
     * (at least 12.5% more of each, as nodes require to replace one in their pools, or today's quote if
     * higher), and broadcasts it, if a simulation with those fees shows the same effects and the policy,
     * judging the higher fee under the agent's lock, allows it outright. Anything else leaves the request
     * as it is, waiting, and says why.
     *
     * @return why it was not replaced, or empty when the replacement was signed and sent
     */
    Optional<String> replace(UUID requestId, String why) {
        StoredRequest request = store.find(requestId).orElseThrow();
        Agent agent = agents.find(request.agentId(), request.walletId()).orElseThrow();
        Sender sender = Sender.of(request, agent, relayer);
        ContractCall call = request.callFrom(sender.address());
        if (request.fee().isEmpty()
                || request.nonce().isEmpty()
                || request.txHash().isEmpty()) {
            return Optional.of("not replaced: it was signed before fees were judged");
        }
        if (store.attempts(requestId).stream().anyMatch(RequestStore.Attempt::cancellation)) {
            return Optional.of("not replaced: it is being cancelled");
        }
        JudgedFee before = request.fee().get();
        long nonce = request.nonce().get();
        TxHash last = lastSignedAt(request);
        JudgedFee after;
        Simulation simulation;
        try {
            JudgedFee quoted = fees.quote(call, chain.nextBlock());
            after = new JudgedFee(
                    before.gasLimit(),
                    bumped(before.maxFeePerGasWei()).max(quoted.maxFeePerGasWei()),
                    bumped(before.maxPriorityFeePerGasWei()).max(quoted.maxPriorityFeePerGasWei()),
                    quoted.l1FeeWei());
            simulation = simulations.simulate(call, after, nonce);
        } catch (ChainException e) {
            return Optional.of("the chain could not be asked for a replacement: " + e.getMessage());
        }
        Optional<SignedTransaction> signed = transactions.execute(tx -> {
            // The row first, then the agent: the receipt worker holds a row when it freezes an agent, so the
            // opposite order could deadlock with it.
            StoredRequest locked = store.lock(requestId).orElseThrow();
            store.lockAgent(request.agentId());
            // Nothing else was signed at this nonce meanwhile (a cancellation, another instance's
            // replacement), and nothing has since said to stop it.
            if (!stillLastSigned(locked, last) || stoppedByFreezes(locked).isPresent()) {
                return Optional.<SignedTransaction>empty();
            }
            RequestJudge.Judgement judgement =
                    judge.judge(agent, call, simulation, Optional.of(after), clock.instant(), Optional.of(requestId));
            List<EffectView> effects =
                    judgement.effects().effects().stream().map(EffectView::of).toList();
            if (judgement.decision().verdict() != Verdict.ALLOW || !effects.equals(locked.effects())) {
                String refusal = judgement.decision().verdict() != Verdict.ALLOW
                        ? "the policy does not allow the higher fee: "
                                + judgement.decision().reasons().stream()
                                        .map(r -> r.rule().id())
                                        .toList()
                        : "with the higher fee the transaction would do something else";
                store.touch(requestId, clock.instant());
                log.warn("request {}: not replaced ({}); {}", requestId, why, refusal);
                return Optional.<SignedTransaction>empty();
            }
            SignedTransaction replacement = vault.signerFor(sender.key())
                    .sign(new Eip1559Transaction(
                            chain.chainId(),
                            nonce,
                            after.maxPriorityFeePerGasWei(),
                            after.maxFeePerGasWei(),
                            after.gasLimit(),
                            call.to(),
                            call.value(),
                            call.data()));
            transitions.apply(
                    locked,
                    new RequestEvent.Replaced(
                            locked.txHash().orElseThrow(),
                            replacement.hash(),
                            nonce,
                            after.gasLimit(),
                            after.maxFeePerGasWei(),
                            after.maxPriorityFeePerGasWei(),
                            replacement.raw(),
                            why),
                    Actor.GUARDIAN,
                    clock.instant());
            return Optional.of(replacement);
        });
        if (signed.isEmpty()) {
            return Optional.of("not replaced: the policy or the simulation refused the higher fee, or it settled");
        }
        broadcast(requestId, signed.get());
        return Optional.empty();
    }

    /**
     * Stops {@code request}'s transaction before it is mined: signs a zero-value transfer of its sender (the
     * wallet, or the relayer) to itself at the same nonce with higher fees than the last transaction signed at
     * it, and broadcasts it. Whichever is mined first settles the request. A cancellation is a safety action:
     * no policy limit stops it, and its fee is charged like any other.
     */
    void cancel(UUID requestId, String why) {
        StoredRequest request = store.find(requestId).orElseThrow();
        Agent agent = agents.find(request.agentId(), request.walletId()).orElseThrow();
        Sender sender = Sender.of(request, agent, relayer);
        Address wallet = sender.address();
        if (request.nonce().isEmpty() || request.txHash().isEmpty()) {
            return;
        }
        long nonce = request.nonce().get();
        List<RequestStore.Attempt> attempts = store.attempts(requestId);
        TxHash newest = lastSignedAt(request);
        // Above the fees of every transaction signed at this nonce, so that it displaces whichever a pool has.
        JudgedFee last = attempts.stream()
                .map(RequestStore.Attempt::fee)
                .reduce((a, b) -> a.maxFeePerGasWei().compareTo(b.maxFeePerGasWei()) >= 0 ? a : b)
                .orElseGet(() -> request.fee().orElseThrow());
        JudgedFee after;
        try {
            if (chain.code(wallet).length > 0) {
                log.warn(
                        "request {}: not cancelled: {} has code; its own code would run", requestId, sender.describe());
                return;
            }
            FeeQuote quoted = chain.fees();
            BigInteger tip = bumped(last.maxPriorityFeePerGasWei()).max(quoted.maxPriorityFeePerGasWei());
            after = new JudgedFee(
                    CANCELLATION_GAS,
                    bumped(last.maxFeePerGasWei()).max(quoted.maxFeePerGasWei()).max(tip),
                    tip,
                    BigInteger.ZERO);
        } catch (ChainException e) {
            log.warn("request {}: could not quote a cancellation ({}); will try again", requestId, e.getMessage());
            return;
        }
        Optional<SignedTransaction> signed = transactions.execute(tx -> {
            StoredRequest locked = store.lock(requestId).orElseThrow();
            if (!stillLastSigned(locked, newest)) {
                return Optional.<SignedTransaction>empty(); // another instance signed at this nonce meanwhile
            }
            SignedTransaction cancellation = vault.signerFor(sender.key())
                    .sign(new Eip1559Transaction(
                            chain.chainId(),
                            nonce,
                            after.maxPriorityFeePerGasWei(),
                            after.maxFeePerGasWei(),
                            CANCELLATION_GAS,
                            wallet,
                            TokenAmount.zero(Asset.ether()),
                            new byte[0]));
            transitions.apply(
                    locked,
                    new RequestEvent.CancellationSigned(
                            locked.txHash().orElseThrow(),
                            cancellation.hash(),
                            nonce,
                            after.maxFeePerGasWei(),
                            after.maxPriorityFeePerGasWei(),
                            cancellation.raw(),
                            why),
                    Actor.GUARDIAN,
                    clock.instant());
            return Optional.of(cancellation);
        });
        signed.ifPresent(cancellation -> broadcast(requestId, cancellation));
    }

    /** The transaction last signed for the request at its nonce: its newest attempt, or its own. */
    private TxHash lastSignedAt(StoredRequest request) {
        List<RequestStore.Attempt> attempts = store.attempts(request.id());
        return attempts.isEmpty()
                ? request.txHash().orElseThrow()
                : attempts.getFirst().txHash();
    }

    /**
     * Whether {@code locked} (read under its row lock) is still in flight with {@code expected} the last
     * transaction signed at its nonce: nothing else (a cancellation, another instance's replacement) was
     * signed since it was read.
     */
    private boolean stillLastSigned(StoredRequest locked, TxHash expected) {
        return (locked.status() == RequestStatus.SIGNED || locked.status() == RequestStatus.SUBMITTED)
                && lastSignedAt(locked).equals(expected);
    }

    /** At least 12.5% more, and one more: what geth, reth and Anvil accept as a replacement's fee. */
    private static BigInteger bumped(BigInteger fee) {
        return fee.add(fee.shiftRight(3)).add(BigInteger.ONE);
    }

    /** Fails an allowed or approved request that will not be signed; one already moved on is left as it is. */
    private StoredRequest fail(UUID requestId, String why) {
        return transactions.execute(tx -> {
            StoredRequest request = store.lock(requestId).orElseThrow();
            if (!request.readyToSign()) {
                return request;
            }
            return transitions
                    .apply(request, new RequestEvent.SigningFailed(why), Actor.GUARDIAN, clock.instant())
                    .request();
        });
    }
}
