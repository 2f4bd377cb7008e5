package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.Hex;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.WalletId;
import dev.guardian.policy.decision.Decision;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.policy.effects.Approval;
import dev.guardian.policy.effects.SimulatedEffects;
import dev.guardian.policy.rules.Charges;
import dev.guardian.policy.rules.Policy;
import dev.guardian.policy.rules.SafeTerms;
import dev.guardian.policy.rules.ScreeningResult;
import dev.guardian.policy.rules.TeamBudgets;
import dev.guardian.service.agents.Agent;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.agents.Relayer;
import dev.guardian.service.audit.Actor;
import dev.guardian.service.audit.AuditLog;
import dev.guardian.service.chain.ContractCall;
import dev.guardian.service.chain.Simulation;
import dev.guardian.service.database.DatabaseFailures;
import dev.guardian.service.safe.SafeTxHash;
import dev.guardian.service.signatures.Recognised;
import dev.guardian.service.signatures.TypedDataJson;
import dev.guardian.signer.TypedData;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * The path of one request, in order: idempotency, the exact transaction, simulation (no simulation, no
 * signature), screening of every touched address, the policy, and then ONE transaction under the
 * agent's lock that re-reads spending, decides, reserves the budget, stores the request and appends
 * the audit record. Allowed requests are then handed to the {@link TransactionSubmitter}.
 */
public class RequestPipeline {
    private static final Logger log = LoggerFactory.getLogger(RequestPipeline.class);

    private final AgentDirectory agents;
    private final ExactSimulation simulations;
    private final AssetRegistry assets;
    private final RequestJudge judge;
    private final RequestStore store;
    private final RequestTransitions transitions;
    private final ExposureTracker exposure;
    private final TransactionSubmitter submitter;
    private final TransactionTemplate transactions;
    private final Clock clock;
    private final SignatureRequests signatures;
    private final JsonMapper json;
    private final SafeRequests safes;

    RequestPipeline(
            AgentDirectory agents,
            ExactSimulation simulations,
            AssetRegistry assets,
            RequestJudge judge,
            RequestStore store,
            RequestTransitions transitions,
            ExposureTracker exposure,
            TransactionSubmitter submitter,
            TransactionTemplate transactions,
            Clock clock,
            SignatureRequests signatures,
            JsonMapper json,
            SafeRequests safes) {
        this.safes = safes;
        this.signatures = signatures;
        this.json = json;
        this.agents = agents;
        this.simulations = simulations;
        this.assets = assets;
        this.judge = judge;
        this.store = store;
        this.transitions = transitions;
        this.exposure = exposure;
        this.submitter = submitter;
        this.transactions = transactions;
        this.clock = clock;
    }

    /**
     * Handles a request paying from {@code wallet}, which must be the agent's own; without it, from the
     * agent's only wallet (an agent with several must name one).
     */
    public RequestOutcome handle(
            AgentId agentId, Optional<String> idempotencyKey, Optional<WalletId> wallet, AgentRequest request) {
        if (idempotencyKey.isPresent()) {
            // A retry is answered with what was recorded, whatever wallets the agent has gained since; it
            // is the same request only if it names the same wallet or none.
            Optional<StoredRequest> earlier = store.findByIdempotencyKey(agentId, idempotencyKey.get());
            if (earlier.isPresent()) {
                return replay(
                        earlier.get(),
                        idempotencyKey.get(),
                        wallet.orElse(earlier.get().walletId()),
                        request);
            }
        }
        Agent agent = payingFrom(agentId, wallet);
        ContractCall call = toCall(agent.walletAddress(), request);
        // Fail closed: if the chain cannot simulate, ChainUnavailableException leaves here and nothing is recorded or
        // signed. The chain is read before the decision's transaction, so no lock is held across a network call.
        ExactSimulation.Result exact = simulations.quoteAndSimulate(call);
        Simulation simulated = exact.simulation();
        Optional<JudgedFee> fee = exact.fee();
        List<ExposureTracker.OnChain> allowances = List.of();
        if (simulated instanceof Simulation.Succeeded succeeded) {
            allowances = exposure.readFor(agent.walletAddress(), succeeded.effects());
        }
        Simulation simulation = simulated;
        Optional<JudgedFee> judgedFee = fee;
        List<ExposureTracker.OnChain> onChain = allowances;
        RequestOutcome outcome = transactions.execute(tx -> decideAndRecord(
                agent.id(),
                agent.walletId(),
                idempotencyKey,
                request,
                call,
                simulation,
                judgedFee,
                onChain,
                Optional.empty(),
                Optional.empty()));
        if (outcome.replayed() || outcome.request().status() != RequestStatus.ALLOWED) {
            return outcome;
        }
        try {
            return new RequestOutcome(submitter.submit(outcome.request(), agent), false);
        } catch (RuntimeException e) {
            if (!DatabaseFailures.unavailable(e)) {
                throw e;
            }
            // The decision is committed: the request is accepted, whatever the database does next. Answering
            // 503 here would invite an agent to resubmit under a new key and pay twice; the resume pass signs
            // it (or, if it was signed, the receipt worker follows it) once the database is back.
            log.warn(
                    "request {}: allowed, but the database went away before it was signed and recorded as such;"
                            + " it is carried on when the database is back: {}",
                    outcome.request().id(),
                    DatabaseFailures.explain(e));
            return outcome;
        }
    }

    /**
     * Handles a typed-data signature (given by the agent, or built by Guardian for an x402 payment) through
     * the same path: idempotency, what it would let others do (read from the typed data, not simulated),
     * screening, the policy, and the one transaction that decides, reserves and records. Allowed, it is signed
     * at once; escalated, at the final approval. Its reservation is held until the signature is used on chain
     * or can no longer be.
     */
    public RequestOutcome handleSignature(
            AgentId agentId,
            Optional<String> idempotencyKey,
            Optional<WalletId> wallet,
            AgentRequest.SignatureRequest request) {
        if (idempotencyKey.isPresent()) {
            Optional<StoredRequest> earlier = store.findByIdempotencyKey(agentId, idempotencyKey.get());
            if (earlier.isPresent()) {
                return replay(
                        earlier.get(),
                        idempotencyKey.get(),
                        wallet.orElse(earlier.get().walletId()),
                        request);
            }
        }
        Agent agent = payingFrom(agentId, wallet);
        Recognised recognised = signatures.recognise(agent.walletAddress(), request);
        ContractCall call = SignatureRequests.call(agent.walletAddress(), recognised, assets.nativeAsset());
        Simulation simulation = SignatureRequests.simulation(recognised);
        List<ExposureTracker.OnChain> allowances = recognised.effects().isEmpty()
                ? List.of()
                : exposure.readFor(agent.walletAddress(), ((Simulation.Succeeded) simulation).effects());
        RequestOutcome outcome = transactions.execute(tx -> decideAndRecord(
                agent.id(),
                agent.walletId(),
                idempotencyKey,
                request,
                call,
                simulation,
                Optional.empty(),
                allowances,
                Optional.of(recognised),
                Optional.empty()));
        if (outcome.replayed() || outcome.request().status() != RequestStatus.ALLOWED) {
            return outcome;
        }
        return new RequestOutcome(submitter.submit(outcome.request(), agent), false);
    }

    /** The agent with the key wallet a request pays from. */
    private Agent payingFrom(AgentId agentId, Optional<WalletId> wallet) {
        return payingFrom(agentId, wallet, false);
    }

    /**
     * The agent with the wallet a request pays from: a Safe wallet for a Safe transaction ({@code safe}), a key
     * wallet for anything else. Guardian's key in a Safe is a co-signing owner, never a sender or a signer of
     * anything but that Safe's transactions; and a key wallet has no Safe to propose to.
     */
    private Agent payingFrom(AgentId agentId, Optional<WalletId> wallet, boolean safe) {
        Agent paying = choose(agentId, wallet, safe);
        if (paying.safe().isPresent() != safe) {
            throw new WalletChoiceException(
                    safe
                            ? "wallet " + paying.walletId() + " is a key wallet, not a Safe: pay from it with"
                                    + " /v1/payments, /v1/contract-calls or /v1/typed-data-signatures"
                            : "wallet " + paying.walletId() + " is a co-signed Safe: propose its transactions, signed"
                                    + " with the agent's owner key, at /v1/safe-transactions (docs/safe-wallets.md)");
        }
        return paying;
    }

    private Agent choose(AgentId agentId, Optional<WalletId> wallet, boolean safe) {
        List<Agent> wallets = agents.withWallets(agentId).stream()
                .filter(a -> wallet.isPresent() || a.safe().isPresent() == safe)
                .toList();
        if (wallets.isEmpty()) {
            if (!agents.withWallets(agentId).isEmpty()) {
                throw new WalletChoiceException(
                        safe
                                ? "agent " + agentId + " has no Safe wallet; a treasury creates one (POST"
                                        + " /v1/agents/" + agentId + "/safe-wallets)"
                                : "agent " + agentId + " has only Safe wallets: propose Safe transactions at"
                                        + " /v1/safe-transactions");
            }
            throw new AgentHasNoWalletException(agentId);
        }
        List<String> ids = wallets.stream().map(a -> a.walletId().value()).toList();
        if (wallet.isPresent()) {
            return wallets.stream()
                    .filter(a -> a.walletId().equals(wallet.get()))
                    .findFirst()
                    .orElseThrow(() -> new WalletChoiceException(
                            "agent " + agentId + " has no wallet " + wallet.get() + "; its wallets: " + ids));
        }
        if (wallets.size() > 1) {
            throw new WalletChoiceException(
                    "agent " + agentId + " has several wallets; name the one to pay from: " + ids);
        }
        return wallets.getFirst();
    }

    private RequestOutcome decideAndRecord(
            AgentId agentId,
            WalletId walletId,
            Optional<String> idempotencyKey,
            AgentRequest request,
            ContractCall call,
            Simulation simulation,
            Optional<JudgedFee> fee,
            List<ExposureTracker.OnChain> allowances,
            Optional<Recognised> signature,
            Optional<SafeDecision> safe) {
        store.lockAgent(agentId);
        if (idempotencyKey.isPresent()) {
            // Another instance may have decided the same key while we simulated: its answer stands.
            Optional<StoredRequest> raced = store.findByIdempotencyKey(agentId, idempotencyKey.get());
            if (raced.isPresent()) {
                return replay(raced.get(), idempotencyKey.get(), walletId, request);
            }
        }
        if (safe.isPresent()) {
            // Under the agent's lock: a proposal decided after this one committed sees it. Only one Safe
            // transaction can take a nonce; a second one would be relayed to revert on the relayer's gas.
            Optional<SafeProposalConflictException> conflict =
                    safes.conflict(walletId, safe.get().nonce(), safe.get().hash());
            if (conflict.isPresent()) {
                throw conflict.get();
            }
        }
        Agent agent = agents.find(agentId, walletId).orElseThrow();
        Instant now = clock.instant();
        UUID id = UUID.randomUUID();
        // What a spender took on its own since is posted as spent first, so that an allowance granted again
        // after it was drained counts again.
        exposure.reconcile(agentId, allowances, now);
        RequestJudge.Judgement judgement = safe.isPresent()
                ? judge.judgeSafe(
                        agent, safe.get().calls(), simulation, fee, safe.get().terms(), now, Optional.empty())
                : signature.isPresent()
                        ? judge.judgeSignature(
                                agent, call, simulation, signature.get().terms(), now, Optional.empty())
                        : judge.judge(agent, call, simulation, fee, now, Optional.empty());
        Decision decision = judgement.decision();
        if (safe.isPresent() && safe.get().relayerCannotPay().isPresent()) {
            // The relayer pays the gas: one it cannot pay is denied before anything is co-signed or sent.
            List<Reason> all = new ArrayList<>();
            all.add(safe.get().relayerCannotPay().get());
            all.addAll(decision.reasons());
            decision = Decision.of(all);
        }
        SimulatedEffects effects = judgement.effects();
        Policy policy = judgement.policy();
        Address wallet = agent.walletAddress();
        List<ReasonView> reasons =
                decision.reasons().stream().map(ReasonView::of).toList();
        List<EffectView> effectViews =
                effects.effects().stream().map(EffectView::of).toList();
        boolean escalated = decision.verdict() == Verdict.ESCALATE;
        Charges charges = judgement.charges();
        // What is held, unless denied: value moved (by first recipient), allowances granted (by spender),
        // value reaching payees further down (for their caps), and the most the gas can cost. A simulation
        // whose amounts cannot be totalled is denied, so these sums exist.
        List<Reservations.Line> lines = new ArrayList<>();
        List<AllowanceChange> allowanceChanges = List.of();
        Map<String, String> reserved = new LinkedHashMap<>();
        if (decision.verdict() != Verdict.DENY) {
            lines = lines(charges, judgement.evaluation().flow().receivedOnward(), fee);
            allowanceChanges = allowanceChanges(charges);
            charges.total()
                    .forEach((asset, total) ->
                            reserved.put(asset.symbol(), total.units().toString()));
        }
        RequestEvent.Decided decided = new RequestEvent.Decided(
                agentId,
                wallet,
                judgement.screening().map(ScreeningResult::listVersion),
                policy.version(),
                judgement.team().map(t -> new RequestEvent.TeamVersion(t.team(), t.version())),
                decision.verdict(),
                reasons,
                escalated ? Optional.of(policy.approvals().required(charges.total())) : Optional.empty(),
                escalated ? Optional.of(now.plus(policy.approvals().deadline())) : Optional.empty(),
                reserved,
                fee);
        // One audit record per step, in order and in this transaction: what the agent asked for, what the
        // simulation showed, what screening found (with the list versions), and the decision.
        List<AuditLog.Entry> steps = new ArrayList<>();
        if (signature.isPresent() && request instanceof AgentRequest.SignatureRequest asked) {
            steps.add(new AuditLog.Entry(
                    RequestSteps.SignatureRequested.of(agentId, wallet, asked, idempotencyKey), Actor.agent(agentId)));
            steps.add(new AuditLog.Entry(RequestSteps.TypedDataRead.of(signature.get(), effectViews), Actor.GUARDIAN));
        } else {
            // A Safe transaction is recorded as asked: the execTransaction with the agent's signature alone.
            ContractCall asked = safe.map(SafeDecision::agentOnly).orElse(call);
            steps.add(new AuditLog.Entry(
                    new RequestSteps.Received(
                            agentId,
                            wallet,
                            request.canonicalText(),
                            idempotencyKey,
                            new RequestSteps.Transaction(
                                    asked.to().toString(), asked.value().units().toString(), Hex.encode(asked.data()))),
                    Actor.agent(agentId)));
            steps.add(new AuditLog.Entry(RequestSteps.Simulated.of(simulation, effectViews), Actor.GUARDIAN));
        }
        judgement
                .screening()
                .ifPresent(s -> steps.add(new AuditLog.Entry(RequestSteps.Screened.of(s), Actor.GUARDIAN)));
        // A Safe transaction keeps Guardian's co-signature only when allowed: a denied or escalated one records
        // the execTransaction with the agent's signature alone, so no stored row can be executed as it stands.
        boolean coSigned = safe.isPresent() && decision.verdict() == Verdict.ALLOW;
        ContractCall recorded =
                safe.map(s -> coSigned ? s.coSigned() : s.agentOnly()).orElse(call);
        StoredRequest stored = transitions.record(
                new RequestTransitions.NewRequest(
                        id,
                        agentId,
                        agent.walletId(),
                        idempotencyKey,
                        request,
                        recorded.to(),
                        recorded.value().units(),
                        recorded.data(),
                        effectViews,
                        fee,
                        allowanceChanges,
                        now,
                        request instanceof AgentRequest.SignatureRequest asked
                                ? Optional.of(typedDataJson(asked.typedData()))
                                : Optional.empty(),
                        Optional.empty(),
                        // A Safe transaction is sent by the relayer: the Safe has no key of its own to send with.
                        safe.map(s -> Relayer.DEFAULT)),
                steps,
                decided,
                judgement.team().map(TeamBudgets::team),
                lines);
        if (safe.isPresent()) {
            stored = store.recordSafeTransaction(id, safe.get().recorded().apply(coSigned));
        }
        return new RequestOutcome(stored, false);
    }

    /**
     * What the decision of a Safe transaction needs besides the common inputs: the calls the Safe makes (each
     * judged), the hard rules' terms, the execTransaction co-signed (recorded only when allowed) and with the
     * agent's signature alone, what to record of the Safe transaction, given whether it was co-signed, its Safe
     * nonce and hash (one request per nonce at a time), and why the relayer cannot pay its gas, if it cannot.
     */
    record SafeDecision(
            List<ContractCall> calls,
            SafeTerms terms,
            ContractCall coSigned,
            ContractCall agentOnly,
            Function<Boolean, String> recorded,
            BigInteger nonce,
            SafeTxHash hash,
            Optional<Reason> relayerCannotPay) {}

    /**
     * Handles a Safe transaction the agent proposes for one of its Safe wallets, through the same path as every
     * request: idempotency, the hard rules of co-signed Safes, the exact execTransaction simulated from the
     * relayer (twice: a provisional cover, then the final one; see {@link SafeRequests}), screening, the policy
     * (the Safe is the paying wallet; the relayer's fee is the agent's), and the one transaction that decides,
     * reserves and records. Allowed, it is co-signed and sent from the relayer, or handed back for the agent to
     * send; escalated, people decide first.
     */
    public RequestOutcome handleSafe(
            AgentId agentId,
            Optional<String> idempotencyKey,
            Optional<WalletId> wallet,
            AgentRequest.SafeProposal request) {
        if (idempotencyKey.isPresent()) {
            Optional<StoredRequest> earlier = store.findByIdempotencyKey(agentId, idempotencyKey.get());
            if (earlier.isPresent()) {
                return replay(
                        earlier.get(),
                        idempotencyKey.get(),
                        wallet.orElse(earlier.get().walletId()),
                        request);
            }
        }
        Agent agent = payingFrom(agentId, wallet, true);
        Address relayer = safes.relayer();
        SafeRequests.Read read = safes.read(agent, request);
        ContractCall agentOnly = safes.agentOnly(relayer, agent.walletAddress(), read);
        SafeRequests.Simulated simulated = read.coSignable()
                ? safes.simulate(agent, read, relayer)
                : new SafeRequests.Simulated(
                        agentOnly,
                        new ExactSimulation.Result(
                                new Simulation.Succeeded(SimulatedEffects.NONE, 0), Optional.empty()),
                        new Simulation.Succeeded(SimulatedEffects.NONE, 0),
                        Optional.empty());
        // The relayer pays the gas: if it holds less than the most this can cost, that is the denial, with its
        // figures, not the simulation's "insufficient funds" revert (nothing is co-signed or sent either way).
        Optional<Reason> unpaid = read.coSignable()
                ? safes.relayerCannotPay(relayer, simulated.result().fee())
                : Optional.empty();
        Simulation simulation =
                unpaid.isPresent() ? new Simulation.Succeeded(SimulatedEffects.NONE, 0) : simulated.asTheSafe();
        List<ExposureTracker.OnChain> allowances = simulation instanceof Simulation.Succeeded succeeded
                ? exposure.readFor(agent.walletAddress(), succeeded.effects())
                : List.of();
        SafeDecision decision = new SafeDecision(
                safes.calls(agent, read),
                read.terms(),
                simulated.exec(),
                agentOnly,
                coSigned -> safes.record(read, request, simulated.cover(), coSigned),
                read.transaction().nonce(),
                read.hash(),
                unpaid);
        ContractCall asTheSafe = safes.calls(agent, read).stream().findFirst().orElse(agentOnly);
        RequestOutcome outcome;
        try {
            outcome = transactions.execute(tx -> decideAndRecord(
                    agent.id(),
                    agent.walletId(),
                    idempotencyKey,
                    request,
                    asTheSafe,
                    simulation,
                    simulated.result().fee(),
                    allowances,
                    Optional.empty(),
                    Optional.of(decision)));
        } catch (DuplicateKeyException raced) {
            // A Safe request written outside the agent's lock took the nonce or the hash first: the indexes
            // refused this one, and it is answered as the conflict it is, not as a failure.
            if (idempotencyKey.isPresent()) {
                Optional<StoredRequest> earlier = store.findByIdempotencyKey(agentId, idempotencyKey.get());
                if (earlier.isPresent()) {
                    return replay(earlier.get(), idempotencyKey.get(), agent.walletId(), request);
                }
            }
            throw safes.conflict(agent.walletId(), read.transaction().nonce(), read.hash())
                    .orElseThrow(() -> raced);
        }
        if (outcome.replayed() || outcome.request().status() != RequestStatus.ALLOWED) {
            return outcome;
        }
        return new RequestOutcome(submitter.submit(outcome.request(), agent), false);
    }

    /** The reservation lines of a request that is not denied. */
    static List<Reservations.Line> lines(
            Charges charges, Map<Address, Map<Asset, TokenAmount>> onward, Optional<JudgedFee> fee) {
        List<Reservations.Line> lines = new ArrayList<>();
        charges.outflowByRecipient()
                .forEach((to, amounts) ->
                        amounts.values().forEach(amount -> lines.add(Reservations.Line.outflow(amount, to))));
        charges.exposureIncreases()
                .forEach(increase ->
                        lines.add(Reservations.Line.exposure(increase.amount(), increase.spender(), increase.kind())));
        onward.forEach((payee, amounts) ->
                amounts.values().forEach(amount -> lines.add(Reservations.Line.onward(amount, payee))));
        fee.ifPresent(f -> lines.add(Reservations.Line.fee(f.toPolicy().maxCost(Asset.ether()))));
        return lines;
    }

    /** What the request does to allowances already held, to be settled once it is mined. */
    static List<AllowanceChange> allowanceChanges(Charges charges) {
        record Key(Asset asset, Address spender, Approval.Kind kind) {}
        Map<Key, BigInteger> used = new LinkedHashMap<>();
        Map<Key, BigInteger> released = new LinkedHashMap<>();
        for (Charges.CoveredUse use : charges.coveredUses()) {
            used.merge(
                    new Key(use.amount().asset(), use.spender(), use.kind()),
                    use.amount().units(),
                    BigInteger::add);
        }
        for (Charges.ExposureDecrease decrease : charges.exposureDecreases()) {
            released.merge(
                    new Key(decrease.amount().asset(), decrease.spender(), decrease.kind()),
                    decrease.amount().units(),
                    BigInteger::add);
        }
        Set<Key> keys = new LinkedHashSet<>(used.keySet());
        keys.addAll(released.keySet());
        return keys.stream()
                .map(k -> new AllowanceChange(
                        AssetKeys.key(k.asset()),
                        k.spender(),
                        k.kind(),
                        used.getOrDefault(k, BigInteger.ZERO),
                        released.getOrDefault(k, BigInteger.ZERO)))
                .toList();
    }

    private RequestOutcome replay(StoredRequest earlier, String key, WalletId wallet, AgentRequest request) {
        if (!Arrays.equals(earlier.fingerprint(), request.fingerprint())
                || !earlier.walletId().equals(wallet)) {
            throw new IdempotencyKeyReusedException(key, earlier.id());
        }
        return new RequestOutcome(earlier, true);
    }

    private String typedDataJson(TypedData data) {
        return json.writeValueAsString(TypedDataJson.of(data));
    }

    ContractCall toCall(Address wallet, AgentRequest request) {
        return callFor(wallet, request, assets.nativeAsset());
    }

    /**
     * The exact call that would be signed: a payment becomes {@code transfer(recipient, units)} on the
     * token. Public for dry runs, which must simulate exactly what a request would sign.
     */
    public static ContractCall callFor(Address wallet, AgentRequest request, Asset nativeAsset) {
        return switch (request) {
            case AgentRequest.Payment payment -> {
                var token = (Asset.Erc20) payment.amount().asset();
                yield new ContractCall(
                        wallet,
                        token.contract(),
                        TokenAmount.zero(nativeAsset),
                        Erc20Calls.transfer(
                                payment.recipient(), payment.amount().units()));
            }
            case AgentRequest.ContractCall contractCall ->
                new ContractCall(wallet, contractCall.to(), contractCall.value(), contractCall.data());
            case AgentRequest.SignatureRequest signature ->
                throw new IllegalArgumentException("a typed-data signature is not a transaction; it is never sent");
            case AgentRequest.SafeProposal proposal ->
                new ContractCall(
                        wallet,
                        proposal.transaction().to(),
                        proposal.transaction().value(),
                        proposal.transaction().data());
        };
    }

    /** ABI encoding of the two ERC-20 calls Guardian builds itself. */
    static final class Erc20Calls {
        private static final byte[] TRANSFER = Hex.decode("a9059cbb");

        private Erc20Calls() {}

        static byte[] transfer(Address to, BigInteger units) {
            byte[] data = new byte[4 + 32 + 32];
            System.arraycopy(TRANSFER, 0, data, 0, 4);
            System.arraycopy(to.toBytes(), 0, data, 4 + 12, 20);
            byte[] amount = units.toByteArray();
            int length = amount.length > 32 ? 32 : amount.length; // units < 2^256, so a 33rd byte is only a sign byte
            System.arraycopy(amount, amount.length - length, data, 4 + 32 + 32 - length, length);
            return data;
        }
    }
}
