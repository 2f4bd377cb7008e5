package dev.guardian.service.requests;

import dev.guardian.policy.AgentId;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.rules.Policy;
import dev.guardian.policy.rules.WindowBudget;
import dev.guardian.service.agents.AgentDirectory;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What an agent may still spend: for each budget window, the limit, what is held for requests in
 * flight or awaiting approval, what has been committed by confirmed transactions, what remains, and
 * when the oldest counted spend leaves the window. Per-transaction caps are listed alongside.
 */
public class BudgetReport {
    private final AgentDirectory agents;
    private final RequestStore store;
    private final Clock clock;

    public BudgetReport(AgentDirectory agents, RequestStore store, Clock clock) {
        this.agents = agents;
        this.store = store;
        this.clock = clock;
    }

    public record Window(String asset, String window, String limit, String held, String committed, String remaining,
            String limitUnits, String heldUnits, String committedUnits, String remainingUnits, String nextReleaseAt) {}

    public record Cap(String asset, String perTransaction, String perTransactionUnits) {}

    public record Report(String agentId, String policyVersion, boolean frozen, Instant asOf, List<Window> budgets, List<Cap> caps) {}

    public Report of(AgentId agentId) {
        Policy policy = agents.policyFor(agentId);
        boolean frozen = agents.find(agentId).map(a -> a.frozen()).orElse(true);
        Instant now = clock.instant();
        List<Window> windows = policy.budgets().stream().map(b -> window(agentId, b, now)).toList();
        List<Cap> caps = policy.perTransactionCaps().entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.comparing(Asset::symbol)))
                .map(e -> new Cap(e.getKey().symbol(), e.getValue().toDecimalString(), e.getValue().units().toString()))
                .toList();
        return new Report(agentId.value(), policy.version(), frozen, now, windows, caps);
    }

    /** One budget window as an approver weighs a pending request: what remains without it and with it. */
    public record Impact(String asset, String window, String limit, String usedBefore, String remainingBefore,
            String thisRequest, String remainingAfter, boolean fitsAfter) {}

    /** For each budget window: the remaining budget without this request's reservation, and after it. */
    public List<Impact> impactOf(AgentId agentId, java.util.UUID requestId) {
        Policy policy = agents.policyFor(agentId);
        Instant now = clock.instant();
        List<RequestStore.Reservation> own = store.reservationsOf(requestId);
        return policy.budgets().stream().map(budget -> {
            Asset asset = budget.limit().asset();
            Instant since = now.minus(budget.window());
            TokenAmount used = TokenAmount.zero(asset);
            for (RequestStore.Reservation r : store.reservationsSince(agentId, since, java.util.Optional.of(requestId))) {
                if (r.amount().asset().equals(asset) && r.at().isAfter(since)) {
                    used = used.plus(r.amount());
                }
            }
            TokenAmount mine = own.stream().map(RequestStore.Reservation::amount).filter(a -> a.asset().equals(asset))
                    .reduce(TokenAmount.zero(asset), TokenAmount::plus);
            TokenAmount before = budget.limit().minusOrZero(used);
            return new Impact(asset.symbol(), budget.window().toString(), budget.limit().toDecimalString(), used.toDecimalString(),
                    before.toDecimalString(), mine.toDecimalString(), before.minusOrZero(mine).toDecimalString(), !mine.exceeds(before));
        }).toList();
    }

    private Window window(AgentId agentId, WindowBudget budget, Instant now) {
        Asset asset = budget.limit().asset();
        Instant since = now.minus(budget.window());
        List<RequestStore.Reservation> counted = store.reservationsSince(agentId, since).stream()
                // The window is (now - window, now], as the budget rule counts it.
                .filter(r -> r.amount().asset().equals(asset) && r.at().isAfter(since))
                .toList();
        TokenAmount held = TokenAmount.zero(asset);
        TokenAmount committed = TokenAmount.zero(asset);
        for (RequestStore.Reservation r : counted) {
            if (r.held()) {
                held = held.plus(r.amount());
            } else {
                committed = committed.plus(r.amount());
            }
        }
        TokenAmount remaining = budget.limit().minusOrZero(held.plus(committed));
        String nextRelease = counted.stream().map(RequestStore.Reservation::at).min(Instant::compareTo)
                .map(at -> at.plus(budget.window()).toString()).orElse(null);
        return new Window(asset.symbol(), budget.window().toString(), budget.limit().toDecimalString(),
                held.toDecimalString(), committed.toDecimalString(), remaining.toDecimalString(),
                budget.limit().units().toString(), held.units().toString(), committed.units().toString(),
                remaining.units().toString(), nextRelease);
    }
}
