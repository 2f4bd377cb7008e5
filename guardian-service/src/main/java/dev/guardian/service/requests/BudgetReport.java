package dev.guardian.service.requests;

import dev.guardian.policy.AgentId;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.rules.BudgetPeriod;
import dev.guardian.policy.rules.Policy;
import dev.guardian.policy.rules.WindowBudget;
import dev.guardian.service.agents.AgentDirectory;
import dev.guardian.service.agents.AgentSummary;
import dev.guardian.service.agents.Teams;
import dev.guardian.service.policies.PolicyVersions;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * What an agent may still spend: for each budget of its active policy (and of its team, if it has one),
 * the limit, what is held for requests in flight or awaiting approval, what has been committed by
 * confirmed transactions, what remains, and when counted spend next frees up (a rolling window frees
 * its oldest spend; a calendar period resets at its end). Per-transaction caps are listed alongside.
 */
public class BudgetReport {
    private final AgentDirectory agents;
    private final PolicyVersions policies;
    private final Teams teams;
    private final Reservations reservations;
    private final Clock clock;

    BudgetReport(AgentDirectory agents, PolicyVersions policies, Teams teams, Reservations reservations, Clock clock) {
        this.agents = agents;
        this.policies = policies;
        this.teams = teams;
        this.reservations = reservations;
        this.clock = clock;
    }

    /**
     * One budget window: its limit, what is held for requests not yet mined ({@code held}), what allowances
     * granted may still take ({@code exposure}), what left for good ({@code committed}: mined payments, used
     * allowances, paid fees), and what remains.
     */
    public record Window(
            String asset,
            String window,
            String limit,
            String held,
            String exposure,
            String committed,
            String remaining,
            String limitUnits,
            String heldUnits,
            String exposureUnits,
            String committedUnits,
            String remainingUnits,
            String nextReleaseAt) {}

    public record Cap(String asset, String perTransaction, String perTransactionUnits) {}

    public record TeamReport(String team, int version, List<Window> budgets) {}

    public record Report(
            String agentId,
            String policyVersion,
            boolean frozen,
            Instant asOf,
            List<Window> budgets,
            List<Window> feeBudgets,
            List<Cap> caps,
            TeamReport team) {}

    public Report of(AgentId agentId) {
        Policy policy = policies.activePolicy(agentId);
        // The directory's view, not the request path's: an agent without a wallet yet still has budgets.
        Optional<AgentSummary> agent = agents.describe(agentId);
        boolean frozen = agent.map(AgentSummary::frozen).orElse(true);
        Instant now = clock.instant();
        List<Window> windows = policy.budgets().stream()
                .map(b -> window(
                        b,
                        counting(
                                reservations.agentReservationsSince(
                                        agentId, b.period().countsAfter(now), Optional.empty()),
                                false),
                        now))
                .toList();
        List<Window> feeWindows = policy.fees().budgets().stream()
                .map(b -> window(
                        b,
                        counting(
                                reservations.agentReservationsSince(
                                        agentId, b.period().countsAfter(now), Optional.empty()),
                                true),
                        now))
                .toList();
        List<Cap> caps = policy.perTransactionCaps().entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.comparing(Asset::symbol)))
                .map(e -> new Cap(
                        e.getKey().symbol(),
                        e.getValue().toDecimalString(),
                        e.getValue().units().toString()))
                .toList();
        TeamReport team = agent.flatMap(AgentSummary::team)
                .flatMap(teams::budgets)
                .map(t -> new TeamReport(
                        t.team(),
                        t.version(),
                        t.budgets().stream()
                                .map(b -> window(
                                        b,
                                        reservations.teamReservationsSince(
                                                t.team(), b.period().countsAfter(now), Optional.empty()),
                                        now))
                                .toList()))
                .orElse(null);
        return new Report(agentId.value(), policy.version(), frozen, now, windows, feeWindows, caps, team);
    }

    /** One budget window as an approver weighs a pending request: what remains without it and with it. */
    public record Impact(
            String asset,
            String window,
            String limit,
            String usedBefore,
            String remainingBefore,
            String thisRequest,
            String remainingAfter,
            boolean fitsAfter) {}

    /** For each budget window: the remaining budget without this request's reservation, and after it. */
    public List<Impact> impactOf(AgentId agentId, UUID requestId) {
        Policy policy = policies.activePolicy(agentId);
        Instant now = clock.instant();
        // What this request holds now (pending, or posted): a renewed reservation counts once, as its renewal.
        List<Reservation> own = reservations.ofRequest(requestId).stream()
                .filter(r -> r.counts() && r.purpose().countsInBudgets())
                .toList();
        return policy.budgets().stream()
                .map(budget -> {
                    Asset asset = budget.limit().asset();
                    Instant since = budget.period().countsAfter(now);
                    TokenAmount used = TokenAmount.zero(asset);
                    for (Reservation r : reservations.agentReservationsSince(agentId, since, Optional.of(requestId))) {
                        if (r.purpose().countsInBudgets()
                                && r.amount().asset().equals(asset)
                                && r.reservedAt().isAfter(since)) {
                            used = used.plus(r.counted());
                        }
                    }
                    TokenAmount mine = own.stream()
                            .map(Reservation::counted)
                            .filter(a -> a.asset().equals(asset))
                            .reduce(TokenAmount.zero(asset), TokenAmount::plus);
                    TokenAmount before = budget.limit().minusOrZero(used);
                    return new Impact(
                            asset.symbol(),
                            budget.period().describe(),
                            budget.limit().toDecimalString(),
                            used.toDecimalString(),
                            before.toDecimalString(),
                            mine.toDecimalString(),
                            before.minusOrZero(mine).toDecimalString(),
                            !mine.exceeds(before));
                })
                .toList();
    }

    /** The reservations a value budget counts ({@code fees} false) or a fee budget counts. */
    private static List<Reservation> counting(List<Reservation> reservations, boolean fees) {
        return reservations.stream()
                .filter(r -> fees
                        ? r.purpose() == Reservation.Purpose.FEE
                        : r.purpose().countsInBudgets())
                .toList();
    }

    private static Window window(WindowBudget budget, List<Reservation> reservations, Instant now) {
        Asset asset = budget.limit().asset();
        Instant since = budget.period().countsAfter(now);
        List<Reservation> counted = reservations.stream()
                // The window is (since, now], as the budget rule counts it.
                .filter(r -> r.amount().asset().equals(asset) && r.reservedAt().isAfter(since))
                .toList();
        TokenAmount held = TokenAmount.zero(asset);
        TokenAmount exposure = TokenAmount.zero(asset);
        TokenAmount committed = TokenAmount.zero(asset);
        for (Reservation r : counted) {
            if (!r.isPending()) {
                committed = committed.plus(r.counted());
            } else if (r.purpose() == Reservation.Purpose.EXPOSURE) {
                exposure = exposure.plus(r.counted());
            } else {
                held = held.plus(r.counted());
            }
        }
        TokenAmount remaining = budget.limit().minusOrZero(held.plus(exposure).plus(committed));
        String nextRelease = switch (budget.period()) {
            case BudgetPeriod.Rolling rolling ->
                counted.stream()
                        .map(Reservation::reservedAt)
                        .min(Instant::compareTo)
                        .map(at -> at.plus(rolling.window()).toString())
                        .orElse(null);
            case BudgetPeriod.Calendar calendar ->
                counted.isEmpty() ? null : calendar.nextStart(now).toString();
        };
        return new Window(
                asset.symbol(),
                budget.period().describe(),
                budget.limit().toDecimalString(),
                held.toDecimalString(),
                exposure.toDecimalString(),
                committed.toDecimalString(),
                remaining.toDecimalString(),
                budget.limit().units().toString(),
                held.units().toString(),
                exposure.units().toString(),
                committed.units().toString(),
                remaining.units().toString(),
                nextRelease);
    }
}
