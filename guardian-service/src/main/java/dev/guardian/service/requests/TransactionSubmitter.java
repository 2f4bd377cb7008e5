package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.service.agents.Agent;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.audit.AuditLog;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.chain.ChainUnavailableException;
import dev.guardian.service.chain.ContractCall;
import dev.guardian.service.chain.FeeQuote;
import dev.guardian.service.chain.TransactionRejectedException;
import dev.guardian.signer.Eip1559Transaction;
import dev.guardian.signer.KeyVault;
import dev.guardian.signer.SignedTransaction;
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
 * Signs and submits allowed requests. The nonce of the sending address is taken under its row lock
 * and held while the transaction is signed and broadcast, so two instances can never sign two
 * transactions with one nonce, and a transaction the node refuses gives its nonce back. When the
 * broadcast's outcome is unknown (the node did not answer), the signed bytes are kept and the nonce
 * stays used: the worker re-broadcasts those same bytes, which can never pay twice.
 */
public class TransactionSubmitter {
    private static final Logger log = LoggerFactory.getLogger(TransactionSubmitter.class);

    private final ChainAdapter chain;
    private final AgentDirectory agents;
    private final KeyVault vault;
    private final RequestStore store;
    private final AuditLog audit;
    private final TransactionTemplate transactions;
    private final Clock clock;

    public TransactionSubmitter(ChainAdapter chain, AgentDirectory agents, KeyVault vault, RequestStore store, AuditLog audit,
            TransactionTemplate transactions, Clock clock) {
        this.chain = chain;
        this.agents = agents;
        this.vault = vault;
        this.store = store;
        this.audit = audit;
        this.transactions = transactions;
        this.clock = clock;
    }

    /** Signs and broadcasts an ALLOWED or APPROVED request; any other state is returned unchanged. */
    public StoredRequest submit(UUID requestId) {
        StoredRequest request = store.find(requestId).orElseThrow();
        if (!readyToSign(request)) {
            return request;
        }
        Agent agent = agents.find(request.agentId()).orElseThrow();
        ContractCall call = new ContractCall(agent.walletAddress(), request.to(),
                new TokenAmount(Asset.ether(), request.valueWei()), request.data());
        long gasLimit;
        FeeQuote fees;
        try {
            gasLimit = chain.estimateGas(call) * 6 / 5; // headroom: state may move between estimate and inclusion
            fees = chain.fees();
        } catch (ChainUnavailableException e) {
            return fail(requestId, "the chain could not be reached before signing; nothing was signed: " + e.getMessage());
        } catch (RuntimeException e) {
            return fail(requestId, "the transaction would no longer succeed; nothing was signed: " + e.getMessage());
        }
        try {
            return transactions.execute(tx -> signAndBroadcast(requestId, agent, call, gasLimit, fees));
        } catch (ChainUnavailableException e) {
            // Only the nonce read can fail this way (the broadcast's own failures are handled inside), and
            // it comes before signing: the transaction rolled back, nothing was signed.
            return fail(requestId, "the chain could not be reached before signing; nothing was signed: " + e.getMessage());
        }
    }

    /**
     * Picks up allowed requests whose submission was interrupted (the instance stopped between the
     * decision and the signature). Within {@code expiry} of the decision they are submitted now, after a
     * fresh gas estimate that fails them if they would no longer succeed; older ones are failed and
     * their reservation released, because a decision on a state that old should not be signed.
     */
    public void resumeInterrupted(Duration grace, Duration expiry, int limit) {
        Instant now = clock.instant();
        for (UUID id : store.allowedBefore(now.minus(grace), limit)) {
            StoredRequest request = store.find(id).orElseThrow();
            // An approved request counts from its approval (updatedAt), an allowed one from its decision.
            Instant decided = request.status() == RequestStatus.APPROVED ? request.updatedAt() : request.createdAt();
            if (decided.plus(expiry).isBefore(now)) {
                fail(id, "expired", "allowed at " + decided + " but not signed within " + expiry + "; nothing was signed");
            } else {
                submit(id);
            }
        }
    }

    private StoredRequest signAndBroadcast(UUID requestId, Agent agent, ContractCall call, long gasLimit, FeeQuote fees) {
        StoredRequest request = store.lock(requestId).orElseThrow();
        if (!readyToSign(request)) {
            return request; // another instance got here first
        }
        Address from = agent.walletAddress();
        long stored = store.lockNextNonce(from, 0);
        // The chain may be ahead of our row (a transaction sent by other means, or a lost commit): never reuse its nonces.
        long nonce = Math.max(stored, chain.pendingNonce(from));
        SignedTransaction signed = vault.signerFor(agent.sealedKey()).sign(new Eip1559Transaction(
                chain.chainId(), nonce, fees.maxPriorityFeePerGasWei(), fees.maxFeePerGasWei(), gasLimit,
                call.to(), call.value(), call.data()));
        Instant now = clock.instant();
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("from", from.toString());
        record.put("nonce", nonce);
        record.put("txHash", signed.hash().toString());
        record.put("gasLimit", gasLimit);
        record.put("maxFeePerGasWei", fees.maxFeePerGasWei().toString());
        record.put("maxPriorityFeePerGasWei", fees.maxPriorityFeePerGasWei().toString());
        // "signed", then what the broadcast did: both in this transaction, so neither exists without the other.
        audit.append(requestId, "signed", record);
        Map<String, Object> broadcast = new LinkedHashMap<>();
        broadcast.put("txHash", signed.hash().toString());
        broadcast.put("nonce", nonce);
        try {
            chain.sendRawTransaction(signed.raw());
        } catch (TransactionRejectedException e) {
            // Refused outright: the nonce was not used, so it is not consumed; the money stays.
            store.markStatus(requestId, RequestStatus.FAILED, Optional.of("the node refused the transaction: " + e.getMessage()), now);
            store.settleReservations(requestId, false, now);
            broadcast.put("refusedBy", e.getMessage());
            audit.append(requestId, "refused-by-node", broadcast);
            return store.find(requestId).orElseThrow();
        } catch (ChainUnavailableException e) {
            store.markSigned(requestId, RequestStatus.SIGNED, nonce, signed.hash(), signed.raw(), now);
            store.saveNextNonce(from, nonce + 1);
            broadcast.put("broadcast", "outcome unknown: " + e.getMessage());
            audit.append(requestId, "broadcast-unanswered", broadcast);
            log.warn("request {}: broadcast of {} had no answer; the worker will re-broadcast it", requestId, signed.hash());
            return store.find(requestId).orElseThrow();
        }
        store.markSigned(requestId, RequestStatus.SUBMITTED, nonce, signed.hash(), signed.raw(), now);
        store.saveNextNonce(from, nonce + 1);
        audit.append(requestId, "submitted", broadcast);
        return store.find(requestId).orElseThrow();
    }

    private static boolean readyToSign(StoredRequest request) {
        return request.status() == RequestStatus.ALLOWED || request.status() == RequestStatus.APPROVED;
    }

    private StoredRequest fail(UUID requestId, String why) {
        return fail(requestId, "failed", why);
    }

    private StoredRequest fail(UUID requestId, String event, String why) {
        return transactions.execute(tx -> {
            StoredRequest request = store.lock(requestId).orElseThrow();
            if (!readyToSign(request)) {
                return request;
            }
            Instant now = clock.instant();
            store.markStatus(requestId, RequestStatus.FAILED, Optional.of(why), now);
            store.settleReservations(requestId, false, now);
            audit.append(requestId, event, Map.of("reason", why));
            return store.find(requestId).orElseThrow();
        });
    }
}
