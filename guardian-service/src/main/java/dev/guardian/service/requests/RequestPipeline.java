package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.Hex;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.WalletId;
import dev.guardian.policy.decision.Decision;
import dev.guardian.policy.effects.SimulatedEffects;
import dev.guardian.policy.effects.Transfer;
import dev.guardian.policy.rules.Policy;
import dev.guardian.policy.rules.ScreeningResult;
import dev.guardian.policy.rules.TeamBudgets;
import dev.guardian.service.agents.Agent;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.audit.Actor;
import dev.guardian.service.audit.AuditLog;
import dev.guardian.service.chain.ChainAdapter;
import dev.guardian.service.chain.ContractCall;
import dev.guardian.service.chain.Simulation;
import dev.guardian.service.sanctions.ScreeningRecord;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The path of one request, in order: idempotency, the exact transaction, simulation (no simulation, no
 * signature), screening of every touched address, the policy, and then ONE transaction under the
 * agent's lock that re-reads spending, decides, reserves the budget, stores the request and appends
 * the audit record. Allowed requests are then handed to the {@link TransactionSubmitter}.
 */
public class RequestPipeline {
    private final AgentDirectory agents;
    private final ChainAdapter chain;
    private final AssetRegistry assets;
    private final RequestJudge judge;
    private final RequestStore store;
    private final AuditLog audit;
    private final TransactionSubmitter submitter;
    private final TransactionTemplate transactions;
    private final Clock clock;

    public RequestPipeline(
            AgentDirectory agents,
            ChainAdapter chain,
            AssetRegistry assets,
            RequestJudge judge,
            RequestStore store,
            AuditLog audit,
            TransactionSubmitter submitter,
            TransactionTemplate transactions,
            Clock clock) {
        this.agents = agents;
        this.chain = chain;
        this.assets = assets;
        this.judge = judge;
        this.store = store;
        this.audit = audit;
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
        // signed.
        Simulation simulation = chain.simulate(call);
        RequestOutcome outcome = transactions.execute(
                tx -> decideAndRecord(agent.id(), agent.walletId(), idempotencyKey, request, call, simulation));
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
            Simulation simulation) {
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
        RequestJudge.Judgement judgement = judge.judge(agent, call, simulation, now, Optional.empty());
        Decision decision = judgement.decision();
        SimulatedEffects effects = judgement.effects();
        Optional<ScreeningResult> screening = judgement.screening();
        Policy policy = judgement.policy();

        RequestStatus status = switch (decision) {
            case Decision.Allow a -> RequestStatus.ALLOWED;
            case Decision.Escalate e -> RequestStatus.PENDING_APPROVAL;
            case Decision.Deny d -> RequestStatus.DENIED;
        };
        List<ReasonView> reasons =
                decision.reasons().stream().map(ReasonView::of).toList();
        List<EffectView> effectViews =
                effects.effects().stream().map(EffectView::of).toList();
        Optional<Integer> approvalsRequired = Optional.empty();
        Optional<Instant> approvalDeadline = Optional.empty();
        if (status == RequestStatus.PENDING_APPROVAL) {
            approvalsRequired = Optional.of(policy.approvals().required(effects.outgoingTotals(agent.walletAddress())));
            approvalDeadline = Optional.of(now.plus(policy.approvals().deadline()));
        }
        store.insert(new RequestStore.NewRequest(
                id,
                agentId,
                agent.walletId(),
                idempotencyKey,
                request,
                call.to(),
                call.value().units(),
                call.data(),
                status,
                decision.verdict(),
                reasons,
                effectViews,
                policy.version(),
                judgement.team(),
                screening.map(ScreeningResult::listVersion),
                approvalsRequired,
                approvalDeadline,
                now));
        Map<String, TokenAmount> reserved = new LinkedHashMap<>();
        if (status != RequestStatus.DENIED) {
            // Only reachable when judge() could total the effects, so this sum cannot overflow.
            Optional<String> team = judgement.team().map(TeamBudgets::team);
            for (TokenAmount amount :
                    effects.outgoingTotals(agent.walletAddress()).values()) {
                store.reserve(id, agentId, team, amount, now);
                reserved.put(amount.asset().symbol(), amount);
            }
            for (Transfer transfer : effects.outgoingTransfers(agent.walletAddress())) {
                store.reserveForCounterparty(id, transfer.to(), transfer.amount());
            }
        }
        // One audit record per step, in order and in this transaction: what the agent asked for, what the
        // simulation showed, what screening found (with the list versions), and the decision.
        Map<String, Object> received = new LinkedHashMap<>();
        received.put("agent", agentId.value());
        received.put("wallet", agent.walletAddress().toString());
        received.put("request", request.canonicalText());
        idempotencyKey.ifPresent(key -> received.put("idempotencyKey", key));
        received.put(
                "transaction",
                Map.of(
                        "to",
                        call.to().toString(),
                        "value",
                        call.value().units().toString(),
                        "data",
                        Hex.encode(call.data())));
        List<AuditLog.Entry> steps = new ArrayList<>();
        steps.add(new AuditLog.Entry("request-received", Actor.agent(agentId), received));
        steps.add(new AuditLog.Entry(
                "simulation",
                Actor.GUARDIAN,
                simulation instanceof Simulation.Reverted r
                        ? Map.of("result", "reverted", "reverted", r.reason())
                        : Map.of("result", "succeeded", "effects", effectViews)));
        screening.ifPresent(s -> steps.add(new AuditLog.Entry("screening", Actor.GUARDIAN, ScreeningRecord.of(s))));
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("agent", agentId.value());
        record.put("wallet", agent.walletAddress().toString());
        screening.ifPresent(s -> record.put("screeningVersion", s.listVersion()));
        record.put("policyVersion", policy.version());
        judgement.team().ifPresent(t -> record.put("team", Map.of("id", t.team(), "version", t.version())));
        record.put("verdict", decision.verdict().name());
        record.put("reasons", reasons);
        approvalsRequired.ifPresent(n -> record.put("approvalsRequired", n));
        approvalDeadline.ifPresent(d -> record.put("approvalDeadline", d.toString()));
        record.put(
                "reserved",
                reserved.entrySet().stream()
                        .collect(Collectors.toMap(
                                Map.Entry::getKey, e -> e.getValue().units().toString())));
        steps.add(new AuditLog.Entry("decision", Actor.GUARDIAN, record));
        audit.appendAll(id, steps);
        return new RequestOutcome(store.find(id).orElseThrow(), false);
    }

    private RequestOutcome replay(StoredRequest earlier, String key, WalletId wallet, AgentRequest request) {
        if (!Arrays.equals(earlier.fingerprint(), request.fingerprint())
                || !earlier.walletId().equals(wallet)) {
            throw new IdempotencyKeyReusedException(key, earlier.id());
        }
        return new RequestOutcome(earlier, true);
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
