package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.Hex;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.WalletId;
import dev.guardian.policy.decision.Numbers;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.effects.Effect;
import dev.guardian.policy.effects.SimulatedEffects;
import dev.guardian.policy.effects.Transfer;
import dev.guardian.policy.effects.UnknownEvent;
import dev.guardian.policy.rules.SafeHardRules;
import dev.guardian.policy.rules.SafeTerms;
import dev.guardian.policy.rules.Selector;
import dev.guardian.service.agents.Agent;
import dev.guardian.service.agents.SafeWallet;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.chain.ContractCall;
import dev.guardian.service.chain.Simulation;
import dev.guardian.service.safe.SafeCover;
import dev.guardian.service.safe.SafeOnChain;
import dev.guardian.service.safe.SafeSignatureException;
import dev.guardian.service.safe.SafeSignatures;
import dev.guardian.service.safe.SafeTransaction;
import dev.guardian.service.safe.SafeTransactions;
import dev.guardian.service.safe.SafeTxHash;
import dev.guardian.signer.KeyVault;
import dev.guardian.signer.Signer;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a co-signed Safe's transaction is, for the request path: the hard rules' terms (who signed it, its
 * operation and the calls it makes, its gas fields, its nonce against the Safe's, the Safe on chain against
 * what Guardian created), the exact {@code execTransaction} the relayer would send (the agent's signature,
 * Guardian's and the cover, sorted as the Safe reads them), and its simulated effects as the Safe sees them.
 *
 * <p>Simulation happens twice, so that what is signed is what was simulated: first with a provisional cover
 * (as much as the guard's own window cap allows) to learn what the transaction moves, then with the final
 * cover equal to exactly the USDC and ETH that leave the Safe; the second must succeed with the same effects.
 * Both signatures exist only in memory until the decision allows the request: a denied or escalated request
 * records the call with the agent's signature alone.
 */
public class SafeRequests {
    /** Safe 1.4.1's and the guard's own events: bookkeeping of the execution, never a movement of value. */
    static final Set<String> SAFE_BOOKKEEPING_EVENTS =
            Set.of(SafeOnChain.EXECUTION_SUCCESS_TOPIC, SafeOnChain.SAFE_MULTISIG_TRANSACTION_TOPIC);

    private final ChainAdapter chain;
    private final KeyVault vault;
    private final AssetRegistry assets;
    private final ExactSimulation simulations;
    private final JsonMapper json;
    private final Supplier<Address> relayer;
    private final RequestStore store;
    private final JdbcClient jdbc;
    private final Duration coverLifetime;

    SafeRequests(
            RequestStore store,
            JdbcClient jdbc,
            ChainAdapter chain,
            KeyVault vault,
            AssetRegistry assets,
            ExactSimulation simulations,
            JsonMapper json,
            Supplier<Address> relayer,
            Duration coverLifetime) {
        this.coverLifetime = Objects.requireNonNull(coverLifetime, "coverLifetime");
        this.relayer = relayer;
        this.store = store;
        this.jdbc = jdbc;
        this.chain = chain;
        this.vault = vault;
        this.assets = assets;
        this.simulations = simulations;
        this.json = json;
    }

    /** The terms of a proposal and its hash; {@code agentSignature} is empty when the bytes recover to no one. */
    record Read(
            SafeTransaction transaction,
            SafeTxHash hash,
            SafeTerms terms,
            Optional<SafeSignatures.OwnerSignature> agentSignature) {
        /** Whether no hard rule stands in the way: only then is Guardian's signature made, even in memory. */
        boolean coSignable() {
            return SafeHardRules.check(terms).isEmpty();
        }
    }

    /**
     * Reads a proposal against its Safe: the signature, the calls, the nonce and the Safe's setup, each read
     * from the chain now.
     *
     * @throws dev.guardian.service.chain.ChainException when the chain cannot be read
     */
    Read read(Agent agent, AgentRequest.SafeProposal proposal) {
        SafeWallet setup = agent.safe().orElseThrow();
        Address safe = agent.walletAddress();
        SafeTransaction tx = proposal.transaction();
        SafeTxHash hash = SafeTransactions.hash(safe, chain.chainId(), tx);
        Optional<SafeSignatures.OwnerSignature> signature;
        try {
            signature = Optional.of(SafeSignatures.recover(hash, proposal.signature()));
        } catch (SafeSignatureException e) {
            signature = Optional.empty();
        }
        boolean delegate = tx.operation() == SafeTransaction.Operation.DELEGATECALL;
        List<SafeTerms.InnerCall> calls = new ArrayList<>();
        Optional<String> batchProblem = Optional.empty();
        if (delegate && tx.to().equals(setup.multiSend())) {
            try {
                for (SafeOnChain.BatchEntry entry : SafeOnChain.multiSendEntries(tx.data())) {
                    calls.add(new SafeTerms.InnerCall(entry.to(), selector(entry.data())));
                }
            } catch (IllegalArgumentException e) {
                batchProblem = Optional.of(e.getMessage());
            }
        } else {
            calls.add(new SafeTerms.InnerCall(tx.to(), selector(tx.data())));
        }
        List<String> refund = new ArrayList<>();
        if (tx.safeTxGas().signum() != 0) {
            refund.add("safeTxGas");
        }
        if (tx.baseGas().signum() != 0) {
            refund.add("baseGas");
        }
        if (tx.gasPrice().signum() != 0) {
            refund.add("gasPrice");
        }
        if (!tx.gasToken().equals(Address.ZERO)) {
            refund.add("gasToken");
        }
        if (!tx.refundReceiver().equals(Address.ZERO)) {
            refund.add("refundReceiver");
        }
        SafeOnChain.State state = SafeOnChain.read(chain, safe);
        SafeTerms terms = new SafeTerms(
                safe,
                setup.guard(),
                setup.multiSend(),
                delegate,
                tx.to(),
                calls,
                batchProblem,
                refund,
                tx.nonce(),
                state.nonce(),
                setup.agentOwner(),
                signature.map(SafeSignatures.OwnerSignature::owner),
                state.differenceFrom(setup.owners(), setup.threshold(), setup.guard(), setup.fallbackHandler()));
        return new Read(tx, hash, terms, signature);
    }

    /** The statuses in which a Safe request no longer holds its Safe nonce (V20__one_safe_proposal_per_nonce.sql). */
    private static final String DONE_WITH_NONCE =
            "('DENIED', 'FAILED', 'REJECTED', 'EXPIRED', 'CONFIRMED', 'DIVERGED')";

    /**
     * The conflict a proposal of {@code hash} for Safe nonce {@code nonce} of {@code wallet} would make, if any:
     * another request of the same Safe that is not final holds the nonce (or is this very Safe transaction).
     * Called under the agent's lock, in the decision's transaction, so two proposals of one agent cannot both
     * pass; the partial unique indexes on {@code requests} back it up.
     */
    Optional<SafeProposalConflictException> conflict(WalletId wallet, BigInteger nonce, SafeTxHash hash) {
        record Holder(UUID id, String hash) {}
        return jdbc.sql("select id, safe_tx ->> 'safeTxHash' as hash from requests where safe_tx is not null"
                        + " and status not in " + DONE_WITH_NONCE
                        + " and ((wallet_id = :wallet and safe_tx ->> 'nonce' = :nonce)"
                        + " or safe_tx ->> 'safeTxHash' = :hash)"
                        + " order by created_at limit 1")
                .param("wallet", wallet.value())
                .param("nonce", nonce.toString())
                .param("hash", hash.toString())
                .query((rs, n) -> new Holder(rs.getObject("id", UUID.class), rs.getString("hash")))
                .optional()
                .map(h -> new SafeProposalConflictException(
                        hash.toString().equals(h.hash())
                                ? SafeProposalConflictException.SAME_TRANSACTION
                                : SafeProposalConflictException.NONCE_IN_USE,
                        h.id(),
                        nonce));
    }

    /**
     * What a Safe request's view shows in place of its recorded call, which once allowed is the co-signed
     * execTransaction (whoever holds it can execute it): the Safe transaction's hash, as recorded, and the
     * execTransaction with the agent's signature alone, which is what the agent asked for and could build itself.
     */
    public record View(String safeTxHash, byte[] agentOnlyData) {}

    /** The view of a Safe transaction request; empty for any other request. */
    public Optional<View> view(StoredRequest request) {
        if (request.requestKind() != RequestKind.SAFE_TRANSACTION
                || store.safeTransaction(request.id()).isEmpty()) {
            return Optional.empty();
        }
        JsonNode recorded = json.readTree(store.safeTransaction(request.id()).orElseThrow());
        AgentRequest.SafeProposal proposal = proposal(request);
        SafeTxHash hash = SafeTransactions.hash(request.to(), chain.chainId(), proposal.transaction());
        byte[] signatures;
        try {
            signatures = SafeSignatures.encode(List.of(SafeSignatures.recover(hash, proposal.signature())));
        } catch (SafeSignatureException e) {
            signatures = new byte[0];
        }
        return Optional.of(new View(
                recorded.get("safeTxHash").stringValue(),
                SafeTransactions.execTransactionData(proposal.transaction(), signatures)));
    }

    /**
     * Why the relayer cannot pay for the execTransaction, if it cannot: it holds less than the most the call can
     * cost ({@code relayer.insufficient-funds}, with the figures, as for the cancellations of TreasuryActions).
     * Without a fee (the gas estimate reverted) the simulation's refusal says why instead. Sent anyway, the
     * transaction would sit unmined while it holds the Safe's nonce.
     */
    Optional<Reason> relayerCannotPay(Address relayerAddress, Optional<JudgedFee> fee) {
        if (fee.isEmpty()) {
            return Optional.empty();
        }
        Asset.Native coin = assets.nativeAsset();
        TokenAmount balance = chain.balance(coin, relayerAddress);
        TokenAmount cost = new TokenAmount(coin, fee.get().maxCostWei());
        if (balance.units().compareTo(cost.units()) >= 0) {
            return Optional.empty();
        }
        return Optional.of(Reason.deny(
                        RuleId.RELAYER_INSUFFICIENT_FUNDS,
                        "Guardian's relayer " + relayerAddress + " holds " + balance + ", less than the " + cost
                                + " this Safe transaction may cost in fees; nothing was co-signed or sent. Fund the"
                                + " relayer (its address: GET /v1/relayer) and propose it again")
                .about(relayerAddress)
                .with(new Numbers(balance, cost, TokenAmount.zero(coin), balance, Optional.empty(), Optional.empty())));
    }

    /** The relayer's address: the sender of every execTransaction Guardian simulates and sends. */
    Address relayer() {
        return relayer.get();
    }

    /**
     * The calls the Safe makes, each as the Safe's own call: the call itself, or each entry of a
     * MultiSendCallOnly batch (none when the batch cannot be read; its hard rule denies it).
     */
    List<ContractCall> calls(Agent agent, Read read) {
        Address safe = agent.walletAddress();
        SafeTransaction tx = read.transaction();
        SafeWallet setup = agent.safe().orElseThrow();
        if (tx.operation() == SafeTransaction.Operation.DELEGATECALL && tx.to().equals(setup.multiSend())) {
            try {
                return SafeOnChain.multiSendEntries(tx.data()).stream()
                        .map(e -> new ContractCall(
                                safe, e.to(), new TokenAmount(assets.nativeAsset(), e.value()), e.data()))
                        .toList();
            } catch (IllegalArgumentException e) {
                return List.of();
            }
        }
        return List.of(new ContractCall(safe, tx.to(), tx.value(), tx.data()));
    }

    private static Optional<Selector> selector(byte[] data) {
        return data.length >= Selector.LENGTH
                ? Optional.of(Selector.of(Arrays.copyOf(data, Selector.LENGTH)))
                : Optional.empty();
    }

    /**
     * A proposal simulated as it would be sent: the final {@code execTransaction} (co-signed, with the cover),
     * the fee the relayer would pay, and what executing it would do as the Safe sees it.
     */
    record Simulated(
            ContractCall exec, ExactSimulation.Result result, Simulation asTheSafe, Optional<SafeCover> cover) {}

    /**
     * Simulates the proposal twice from {@code relayer}, as described above; the answer's call is what would
     * be signed and sent. A proposal that reverts with the provisional cover is answered with that revert and
     * the call carrying the agent's signature alone.
     *
     * @throws dev.guardian.service.chain.ChainUnavailableException when the chain cannot be asked
     */
    Simulated simulate(Agent agent, Read read, Address relayer) {
        return simulate(agent, read, relayer, Optional.empty());
    }

    /** As {@link #simulate(Agent, Read, Address)}, with the fee already judged when {@code known} (a re-check). */
    private Simulated simulate(Agent agent, Read read, Address relayer, Optional<JudgedFee> known) {
        SafeWallet setup = agent.safe().orElseThrow();
        Address safe = agent.walletAddress();
        SafeSignatures.OwnerSignature agentSignature = read.agentSignature().orElseThrow();
        Signer guardian = vault.signerFor(agent.sealedKey());
        SafeSignatures.OwnerSignature guardianSignature = SafeSignatures.sign(guardian, read.hash());
        // Counted from the chain's own clock, which is what the guard compares it with.
        long validUntil = chain.latestBlock().timestamp().plus(coverLifetime).getEpochSecond();
        // Provisional: the guard still holds its window cap, so this is as much as could ever pass.
        SafeCover provisional = SafeCover.sign(
                guardian,
                setup.guard(),
                safe,
                chain.chainId(),
                read.hash(),
                TokenAmount.MAX_UINT256,
                TokenAmount.MAX_UINT256,
                validUntil);
        ContractCall first = SafeTransactions.execTransaction(
                relayer,
                safe,
                read.transaction(),
                SafeSignatures.encode(List.of(agentSignature, guardianSignature), provisional.encode()));
        ExactSimulation.Result firstResult = known.isPresent()
                ? new ExactSimulation.Result(simulations.simulate(first, known.get()), known)
                : simulations.quoteAndSimulate(first);
        Simulation firstAsSafe = asTheSafe(firstResult.simulation(), safe, setup.guard());
        if (!(firstAsSafe instanceof Simulation.Succeeded succeeded)
                || firstResult.fee().isEmpty()) {
            return new Simulated(agentOnly(relayer, safe, read), firstResult, firstAsSafe, Optional.empty());
        }
        Outflow out = outflow(succeeded.effects(), safe, setup.usdc());
        SafeCover cover = SafeCover.sign(
                guardian, setup.guard(), safe, chain.chainId(), read.hash(), out.usdc(), out.eth(), validUntil);
        ContractCall exec = SafeTransactions.execTransaction(
                relayer,
                safe,
                read.transaction(),
                SafeSignatures.encode(List.of(agentSignature, guardianSignature), cover.encode()));
        JudgedFee fee = firstResult.fee().get();
        Simulation finalRun = simulations.simulate(exec, fee);
        Simulation finalAsSafe = asTheSafe(finalRun, safe, setup.guard());
        ExactSimulation.Result result = new ExactSimulation.Result(finalRun, Optional.of(fee));
        if (finalAsSafe instanceof Simulation.Succeeded last
                && !last.effects().effects().equals(succeeded.effects().effects())) {
            finalAsSafe = new Simulation.Undecodable("with the cover set to what it moves (" + out.usdc()
                    + " USDC units, " + out.eth() + " wei) the Safe transaction does something else than with the"
                    + " provisional cover; Guardian co-signs only what it simulated");
        }
        return new Simulated(exec, result, finalAsSafe, Optional.of(cover));
    }

    /**
     * What the final approval of an escalated Safe transaction re-checks: the proposal read again from its record
     * and against the Safe now (the hard rules' terms), simulated again as it would be sent with the fee it was
     * judged with, and the co-signed execTransaction that is recorded if it is approved.
     */
    public record Recheck(
            ContractCall firstCall,
            List<ContractCall> calls,
            Simulation asTheSafe,
            SafeTerms terms,
            ContractCall coSigned,
            String recorded) {}

    /**
     * Reads, judges the hard rules of and simulates a recorded Safe transaction again, for its final approval.
     *
     * @throws dev.guardian.service.chain.ChainException when the chain cannot be read
     */
    public Recheck recheck(StoredRequest request, Agent agent) {
        AgentRequest.SafeProposal proposal = proposal(request);
        Read read = read(agent, proposal);
        Address sender = relayer();
        ContractCall agentOnly = agentOnly(sender, agent.walletAddress(), read);
        List<ContractCall> calls = calls(agent, read);
        if (!read.coSignable()) {
            return new Recheck(
                    calls.stream().findFirst().orElse(agentOnly),
                    calls,
                    new Simulation.Succeeded(SimulatedEffects.NONE, 0),
                    read.terms(),
                    agentOnly,
                    record(read, proposal, Optional.empty(), false));
        }
        Simulated simulated = simulate(agent, read, sender, request.fee());
        return new Recheck(
                calls.stream().findFirst().orElse(agentOnly),
                calls,
                simulated.asTheSafe(),
                read.terms(),
                simulated.exec(),
                record(read, proposal, simulated.cover(), true));
    }

    /**
     * Records the co-signed execTransaction of an approved Safe transaction, in the approval's transaction, so
     * that what the submitter signs is what the re-check simulated.
     */
    public void recordCoSigned(UUID requestId, Recheck recheck) {
        store.recordSafeCoSignature(requestId, recheck.coSigned().data(), recheck.recorded());
    }

    /** The proposal a Safe transaction request recorded. */
    AgentRequest.SafeProposal proposal(StoredRequest request) {
        JsonNode recorded = json.readTree(store.safeTransaction(request.id()).orElseThrow());
        SafeTransaction tx = new SafeTransaction(
                Address.parse(recorded.get("to").stringValue()),
                new TokenAmount(
                        assets.nativeAsset(),
                        new BigInteger(recorded.get("value").stringValue())),
                Hex.decode(recorded.get("data").stringValue()),
                SafeTransaction.Operation.valueOf(recorded.get("operation").stringValue()),
                new BigInteger(recorded.get("safeTxGas").stringValue()),
                new BigInteger(recorded.get("baseGas").stringValue()),
                new BigInteger(recorded.get("gasPrice").stringValue()),
                Address.parse(recorded.get("gasToken").stringValue()),
                Address.parse(recorded.get("refundReceiver").stringValue()),
                new BigInteger(recorded.get("nonce").stringValue()));
        return new AgentRequest.SafeProposal(
                tx,
                Hex.decode(recorded.get("agentSignature").stringValue()),
                AgentRequest.SafeSubmitter.valueOf(recorded.get("submitter").stringValue()));
    }

    /** The execTransaction carrying the agent's signature alone: what a request that is not allowed records. */
    ContractCall agentOnly(Address relayer, Address safe, Read read) {
        byte[] signatures = read.agentSignature()
                .map(s -> SafeSignatures.encode(List.of(s)))
                .orElse(new byte[0]);
        return SafeTransactions.execTransaction(relayer, safe, read.transaction(), signatures);
    }

    /**
     * By how much the Safe's USDC (in units) and ETH (in wei) balances fall in these effects, what leaves less
     * what comes back: what the cover allows. The net fall, not the gross outflow, because the guard compares
     * balances: a contract that refunds in the simulation and keeps the money on chain then makes the Safe
     * transaction revert. (The policy still judges every movement out.)
     */
    record Outflow(BigInteger usdc, BigInteger eth) {}

    static Outflow outflow(SimulatedEffects effects, Address safe, Address usdc) {
        BigInteger token = BigInteger.ZERO;
        BigInteger eth = BigInteger.ZERO;
        for (Effect effect : effects.effects()) {
            if (!(effect instanceof Transfer t) || t.from().equals(t.to())) {
                continue;
            }
            int sign = t.from().equals(safe) ? 1 : t.to().equals(safe) ? -1 : 0;
            BigInteger units = t.amount().units().multiply(BigInteger.valueOf(sign));
            if (t.amount().asset() instanceof Asset.Native) {
                eth = eth.add(units);
            } else if (t.amount().asset() instanceof Asset.Erc20 e
                    && e.contract().equals(usdc)) {
                token = token.add(units);
            }
        }
        return new Outflow(token.max(BigInteger.ZERO), eth.max(BigInteger.ZERO));
    }

    /**
     * A simulation of the relayer's {@code execTransaction} as the Safe sees it, which is how the policy judges
     * a wallet's own call: the Safe's and the guard's bookkeeping events dropped, and every other event one
     * level nearer, so that the contract the Safe calls is the direct callee whose unknown events escalate.
     */
    static Simulation asTheSafe(Simulation simulation, Address safe, Address guard) {
        if (!(simulation instanceof Simulation.Succeeded succeeded)) {
            return simulation;
        }
        List<Effect> effects = new ArrayList<>();
        for (Effect effect : succeeded.effects().effects()) {
            if (effect instanceof UnknownEvent u) {
                if (u.emitter().equals(guard)
                        || (u.emitter().equals(safe) && SAFE_BOOKKEEPING_EVENTS.contains(u.topic0()))) {
                    continue;
                }
                effects.add(new UnknownEvent(u.emitter(), u.topic0(), Math.max(1, u.depth() - 1)));
            } else {
                effects.add(effect);
            }
        }
        return new Simulation.Succeeded(
                new SimulatedEffects(effects, succeeded.effects().touched()), succeeded.gasUsed());
    }

    /** What the request records of the Safe transaction, as JSON (the {@code safe_tx} column). */
    /** The field of the recorded Safe transaction that holds its cover's validUntil (Unix seconds). */
    static final String COVER_VALID_UNTIL = "coverValidUntil";

    String record(Read read, AgentRequest.SafeProposal proposal, Optional<SafeCover> cover, boolean coSigned) {
        SafeTransaction tx = read.transaction();
        Map<String, Object> recorded = new LinkedHashMap<>();
        recorded.put("to", tx.to().toString());
        recorded.put("value", tx.value().units().toString());
        recorded.put("data", Hex.encode(tx.data()));
        recorded.put("operation", tx.operation().name());
        recorded.put("safeTxGas", tx.safeTxGas().toString());
        recorded.put("baseGas", tx.baseGas().toString());
        recorded.put("gasPrice", tx.gasPrice().toString());
        recorded.put("gasToken", tx.gasToken().toString());
        recorded.put("refundReceiver", tx.refundReceiver().toString());
        recorded.put("nonce", tx.nonce().toString());
        recorded.put("safeTxHash", read.hash().toString());
        recorded.put("agentSignature", Hex.encode(proposal.signature()));
        recorded.put("submitter", proposal.submitter().name());
        recorded.put("coSigned", coSigned);
        cover.filter(c -> coSigned).ifPresent(c -> {
            recorded.put("coverUsdcUnits", c.maxTokenOut().toString());
            recorded.put("coverWei", c.maxEthOut().toString());
            recorded.put(COVER_VALID_UNTIL, c.validUntil());
        });
        return json.writeValueAsString(recorded);
    }
}
