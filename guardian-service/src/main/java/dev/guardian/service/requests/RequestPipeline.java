package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.Hex;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.WalletId;
import dev.guardian.policy.decision.Decision;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.policy.effects.Approval;
import dev.guardian.policy.effects.SimulatedEffects;
import dev.guardian.policy.rules.Charges;
import dev.guardian.policy.rules.Policy;
import dev.guardian.policy.rules.ScreeningResult;
import dev.guardian.policy.rules.TeamBudgets;
import dev.guardian.service.agents.Agent;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.audit.Actor;
import dev.guardian.service.audit.AuditLog;
import dev.guardian.service.chain.ContractCall;
import dev.guardian.service.chain.Simulation;
import dev.guardian.service.database.DatabaseFailures;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
            JsonMapper json) {
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
                Optional.of(recognised)));
        if (outcome.replayed() || outcome.request().status() != RequestStatus.ALLOWED) {
            return outcome;
        }
        return new RequestOutcome(submitter.submit(outcome.request(), agent), false);
    }

    /** The agent with the wallet a request pays from. */
    private Agent payingFrom(AgentId agentId, Optional<WalletId> wallet) {
        List<Agent> wallets = agents.withWallets(agentId);
        if (wallets.isEmpty()) {
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
            Optional<Recognised> signature) {
        store.lockAgent(agentId);
        if (idempotencyKey.isPresent()) {
            // Another instance may have decided the same key while we simulated: its answer stands.
            Optional<StoredRequest> raced = store.findByIdempotencyKey(agentId, idempotencyKey.get());
            if (raced.isPresent()) {
                return replay(raced.get(), idempotencyKey.get(), walletId, request);
            }
        }
        Agent agent = agents.find(agentId, walletId).orElseThrow();
        Instant now = clock.instant();
        UUID id = UUID.randomUUID();
        // What a spender took on its own since is posted as spent first, so that an allowance granted again
        // after it was drained counts again.
        exposure.reconcile(agentId, allowances, now);
        RequestJudge.Judgement judgement = signature.isPresent()
                ? judge.judgeSignature(agent, call, simulation, signature.get().terms(), now, Optional.empty())
                : judge.judge(agent, call, simulation, fee, now, Optional.empty());
        Decision decision = judgement.decision();
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
            steps.add(new AuditLog.Entry(
                    new RequestSteps.Received(
                            agentId,
                            wallet,
                            request.canonicalText(),
                            idempotencyKey,
                            new RequestSteps.Transaction(
                                    call.to().toString(), call.value().units().toString(), Hex.encode(call.data()))),
                    Actor.agent(agentId)));
            steps.add(new AuditLog.Entry(RequestSteps.Simulated.of(simulation, effectViews), Actor.GUARDIAN));
        }
        judgement
                .screening()
                .ifPresent(s -> steps.add(new AuditLog.Entry(RequestSteps.Screened.of(s), Actor.GUARDIAN)));
        StoredRequest stored = transitions.record(
                new RequestTransitions.NewRequest(
                        id,
                        agentId,
                        agent.walletId(),
                        idempotencyKey,
                        request,
                        call.to(),
                        call.value().units(),
                        call.data(),
                        effectViews,
                        fee,
                        allowanceChanges,
                        now,
                        request instanceof AgentRequest.SignatureRequest asked
                                ? Optional.of(typedDataJson(asked.typedData()))
                                : Optional.empty(),
                        Optional.empty(),
                        Optional.empty()),
                steps,
                decided,
                judgement.team().map(TeamBudgets::team),
                lines);
        return new RequestOutcome(stored, false);
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
