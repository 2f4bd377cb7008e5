package dev.guardian.service.requests;

import dev.guardian.policy.AgentId;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.WalletId;
import dev.guardian.policy.rules.Policy;
import dev.guardian.policy.rules.SignatureTerms;
import dev.guardian.service.agents.Agent;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.chain.ContractCall;
import dev.guardian.service.chain.Simulation;
import dev.guardian.service.policies.PolicyChangeRefusedException;
import dev.guardian.service.policies.PolicyVersions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Evaluates requests against a draft policy version next to the active one, without reserving, storing,
 * signing or auditing anything: how a treasury team sees which decisions a version would change before
 * switching it on. A new request is simulated on the chain now; recorded requests are judged again from
 * their recorded effects, against the spending that counted when each arrived.
 */
public class PolicyDryRun {
    /** The most recorded requests one dry run replays. */
    public static final int MOST_RECENT = 500;

    private final PolicyVersions versions;
    private final AgentDirectory agents;
    private final RequestJudge judge;
    private final RequestStore requests;
    private final ExactSimulation simulations;
    private final AssetRegistry assets;
    private final Clock clock;
    private final SignatureRequests signatures;

    PolicyDryRun(
            PolicyVersions versions,
            AgentDirectory agents,
            RequestJudge judge,
            RequestStore requests,
            ExactSimulation simulations,
            AssetRegistry assets,
            Clock clock,
            SignatureRequests signatures) {
        this.signatures = signatures;
        this.versions = versions;
        this.agents = agents;
        this.judge = judge;
        this.requests = requests;
        this.simulations = simulations;
        this.assets = assets;
        this.clock = clock;
    }

    /** What one version decides: its verdict and every reason. */
    public record Outcome(int version, String verdict, List<ReasonView> reasons) {}

    /**
     * One request judged by both versions.
     *
     * @param requestId the recorded request, absent for a request that was only proposed
     * @param recorded  what was decided when it arrived (absent for a proposed one)
     * @param active    under the active version (absent when the agent has none)
     * @param draft     under the version being tried
     * @param changed   whether the verdict differs between the two
     */
    public record Comparison(
            Optional<UUID> requestId,
            Map<String, ?> asked,
            Optional<Recorded> recorded,
            Optional<Outcome> active,
            Outcome draft,
            boolean changed) {}

    /** The decision a recorded request got, and the version that made it. */
    public record Recorded(String policyVersion, String verdict, String status) {}

    /**
     * @param transitions how many verdicts change, by {@code ACTIVE->DRAFT} (e.g. {@code ALLOW->ESCALATE})
     */
    public record Summary(int requests, int changed, Map<String, Integer> transitions) {}

    public record Report(
            AgentId agent, OptionalInt activeVersion, int draftVersion, List<Comparison> requests, Summary summary) {}

    /**
     * Simulates {@code request} on the chain now and judges it by the active version and by {@code draftVersion}.
     *
     * @throws PolicyChangeRefusedException for an unknown agent or version
     * @throws AgentHasNoWalletException    when the agent has no wallet to simulate from
     */
    public Report propose(AgentId agentId, int draftVersion, AgentRequest request) {
        Agent agent = agents.find(agentId).orElseThrow(() -> unknownAgentOr(agentId));
        Policy draft = draft(agentId, draftVersion);
        OptionalInt activeVersion = versions.activeVersion(agentId);
        Optional<Policy> active = policy(agentId, activeVersion);
        ContractCall call = RequestPipeline.callFor(agent.walletAddress(), request, assets.nativeAsset());
        // Simulated and quoted as the request path does it, so the draft's fee limits are tried too.
        ExactSimulation.Result exact = simulations.quoteAndSimulate(call);
        Simulation simulated = exact.simulation();
        Optional<JudgedFee> quoted = exact.fee();
        Simulation simulation = simulated;
        Optional<JudgedFee> fee = quoted;
        Instant now = clock.instant();
        Optional<Outcome> underActive =
                active.map(p -> outcome(p, judge.judgeWith(p, agent, call, simulation, fee, now)));
        Outcome underDraft = outcome(draft, judge.judgeWith(draft, agent, call, simulation, fee, now));
        Comparison comparison =
                compare(Optional.empty(), request.describe(), Optional.empty(), underActive, underDraft);
        return report(agentId, activeVersion, draftVersion, List.of(comparison));
    }

    /**
     * Judges the agent's {@code count} most recent recorded requests again, by the active version and by
     * {@code draftVersion}, newest first.
     *
     * @throws PolicyChangeRefusedException for an unknown agent or version
     */
    public Report recent(AgentId agentId, int draftVersion, int count) {
        if (count < 1 || count > MOST_RECENT) {
            throw new IllegalArgumentException("a dry run replays 1 to " + MOST_RECENT + " recorded requests");
        }
        Policy draft = draft(agentId, draftVersion);
        OptionalInt activeVersion = versions.activeVersion(agentId);
        Optional<Policy> active = policy(agentId, activeVersion);
        // Each recorded request is judged as paid from the wallet it was paid from.
        Map<WalletId, Agent> payers = new HashMap<>();
        agents.withWallets(agentId).forEach(a -> payers.put(a.walletId(), a));
        List<Comparison> comparisons = new ArrayList<>();
        for (StoredRequest recorded : requests.recentOf(agentId, count)) {
            Agent payer = payers.get(recorded.walletId());
            // A typed-data request is judged with its signature's terms too (validity, x402 origin and price).
            Optional<SignatureTerms> terms = recorded.requestKind().signsTypedData()
                    ? Optional.of(signatures
                            .recognise(payer.walletAddress(), recorded)
                            .terms())
                    : Optional.empty();
            Optional<Outcome> underActive = active.map(p -> outcome(p, judge.rejudge(p, payer, recorded, terms)));
            Outcome underDraft = outcome(draft, judge.rejudge(draft, payer, recorded, terms));
            comparisons.add(compare(
                    Optional.of(recorded.id()),
                    asked(recorded),
                    Optional.of(new Recorded(
                            recorded.policyVersion(),
                            recorded.verdict().name(),
                            recorded.status().name())),
                    underActive,
                    underDraft));
        }
        return report(agentId, activeVersion, draftVersion, comparisons);
    }

    private Policy draft(AgentId agent, int version) {
        if (!versions.knows(agent)) {
            throw new PolicyChangeRefusedException(PolicyChangeRefusedException.Why.UNKNOWN_AGENT, "no agent " + agent);
        }
        return versions.policy(agent, version)
                .orElseThrow(() -> new PolicyChangeRefusedException(
                        PolicyChangeRefusedException.Why.UNKNOWN_VERSION,
                        "agent " + agent + " has no policy version " + version));
    }

    private Optional<Policy> policy(AgentId agent, OptionalInt version) {
        return version.isPresent() ? versions.policy(agent, version.getAsInt()) : Optional.empty();
    }

    private RuntimeException unknownAgentOr(AgentId agent) {
        return versions.knows(agent)
                ? new AgentHasNoWalletException(agent)
                : new PolicyChangeRefusedException(PolicyChangeRefusedException.Why.UNKNOWN_AGENT, "no agent " + agent);
    }

    private static Outcome outcome(Policy policy, RequestJudge.Judgement judgement) {
        return new Outcome(
                Integer.parseInt(policy.version()),
                judgement.decision().verdict().name(),
                judgement.decision().reasons().stream().map(ReasonView::of).toList());
    }

    private static Comparison compare(
            Optional<UUID> id,
            Map<String, ?> asked,
            Optional<Recorded> recorded,
            Optional<Outcome> active,
            Outcome draft) {
        boolean changed = active.map(a -> !a.verdict().equals(draft.verdict())).orElse(true);
        return new Comparison(id, asked, recorded, active, draft, changed);
    }

    private static Report report(
            AgentId agent, OptionalInt activeVersion, int draftVersion, List<Comparison> comparisons) {
        Map<String, Integer> transitions = new TreeMap<>();
        for (Comparison comparison : comparisons) {
            if (comparison.changed()) {
                String from = comparison.active().map(Outcome::verdict).orElse("NONE");
                transitions.merge(from + "->" + comparison.draft().verdict(), 1, Integer::sum);
            }
        }
        int changed = (int) comparisons.stream().filter(Comparison::changed).count();
        return new Report(
                agent,
                activeVersion,
                draftVersion,
                List.copyOf(comparisons),
                new Summary(comparisons.size(), changed, transitions));
    }

    /** What a recorded request asked for, as the agent described it when it arrived. */
    private static Map<String, Object> asked(StoredRequest recorded) {
        Map<String, Object> asked = new TreeMap<>(recorded.description());
        asked.put("createdAt", recorded.createdAt().toString());
        return asked;
    }
}
