package dev.guardian.policy.rules;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One agent's policy as the rules read it.
 *
 * @param version            names the policy version that judged a request (recorded with the decision)
 * @param perTransactionCaps for each asset, the most one request may move out before it escalates
 *                           (the escalation threshold)
 * @param perTransactionLimits for each asset, the most one request may move out at all; above it, denied
 * @param budgets            spending limits over rolling windows or calendar periods; crossing one denies
 * @param allowlist          known counterparties with a label, optional expiry and optional caps each;
 *                           any other counterparty escalates
 * @param transactionCounts  how many requests may move money per period
 * @param approvals          how many people must approve an escalated request, and by when
 * @param contracts          the contracts and functions the agent may call, and what a call outside them does
 * @param fees               ceilings and budgets on what gas costs, and how many on-chain reverts escalate
 * @param signatures         what typed-data signatures may do besides moving value: validity, messages, x402
 */
public record Policy(
        String version,
        Map<Asset, TokenAmount> perTransactionCaps,
        Map<Asset, TokenAmount> perTransactionLimits,
        List<WindowBudget> budgets,
        Map<Address, AllowlistEntry> allowlist,
        List<TransactionCountLimit> transactionCounts,
        Approvals approvals,
        ContractRules contracts,
        FeeLimits fees,
        SignatureRules signatures) {

    /** A policy with the default rules for signatures ({@link SignatureRules#defaults()}). */
    public Policy(
            String version,
            Map<Asset, TokenAmount> perTransactionCaps,
            Map<Asset, TokenAmount> perTransactionLimits,
            List<WindowBudget> budgets,
            Map<Address, AllowlistEntry> allowlist,
            List<TransactionCountLimit> transactionCounts,
            Approvals approvals,
            ContractRules contracts,
            FeeLimits fees) {
        this(
                version,
                perTransactionCaps,
                perTransactionLimits,
                budgets,
                allowlist,
                transactionCounts,
                approvals,
                contracts,
                fees,
                SignatureRules.defaults());
    }

    /** A policy that lets the agent call no contract and sets no fee limits. */
    public Policy(
            String version,
            Map<Asset, TokenAmount> perTransactionCaps,
            Map<Asset, TokenAmount> perTransactionLimits,
            List<WindowBudget> budgets,
            Map<Address, AllowlistEntry> allowlist,
            List<TransactionCountLimit> transactionCounts,
            Approvals approvals) {
        this(
                version,
                perTransactionCaps,
                perTransactionLimits,
                budgets,
                allowlist,
                transactionCounts,
                approvals,
                ContractRules.none(),
                FeeLimits.none());
    }

    /** A policy with caps, budgets and a labelled allowlist only, whose escalations need one approval. */
    public Policy(
            String version,
            Map<Asset, TokenAmount> perTransactionCaps,
            List<WindowBudget> budgets,
            Map<Address, String> allowlist) {
        this(version, perTransactionCaps, budgets, allowlist, Approvals.defaults());
    }

    /** A policy with caps, budgets, a labelled allowlist and approval rules. */
    public Policy(
            String version,
            Map<Asset, TokenAmount> perTransactionCaps,
            List<WindowBudget> budgets,
            Map<Address, String> allowlist,
            Approvals approvals) {
        this(version, perTransactionCaps, Map.of(), budgets, labelled(allowlist), List.of(), approvals);
    }

    public Policy {
        Objects.requireNonNull(approvals, "approvals");
        Objects.requireNonNull(contracts, "contracts");
        Objects.requireNonNull(fees, "fees");
        Objects.requireNonNull(signatures, "signatures");
        if (version == null || version.isBlank()) {
            throw new IllegalArgumentException("a policy has a version");
        }
        perTransactionCaps = Map.copyOf(perTransactionCaps);
        perTransactionLimits = Map.copyOf(perTransactionLimits);
        budgets = List.copyOf(budgets);
        allowlist = Map.copyOf(allowlist);
        transactionCounts = List.copyOf(transactionCounts);
        perTransactionCaps.forEach(Policy::sameAsset);
        perTransactionLimits.forEach(Policy::sameAsset);
    }

    private static void sameAsset(Asset asset, TokenAmount amount) {
        if (!amount.asset().equals(asset)) {
            throw new IllegalArgumentException("the limit for " + asset + " is in " + amount.asset());
        }
    }

    private static Map<Address, AllowlistEntry> labelled(Map<Address, String> labels) {
        Map<Address, AllowlistEntry> entries = new LinkedHashMap<>();
        labels.forEach((address, label) -> entries.put(address, AllowlistEntry.labelled(label)));
        return entries;
    }

    /** This policy with {@code contracts} as its contract allowlist. */
    public Policy withContracts(ContractRules contracts) {
        return new Policy(
                version,
                perTransactionCaps,
                perTransactionLimits,
                budgets,
                allowlist,
                transactionCounts,
                approvals,
                contracts,
                fees,
                signatures);
    }

    /** This policy with {@code fees} as its fee limits. */
    public Policy withFees(FeeLimits fees) {
        return new Policy(
                version,
                perTransactionCaps,
                perTransactionLimits,
                budgets,
                allowlist,
                transactionCounts,
                approvals,
                contracts,
                fees,
                signatures);
    }

    /** This policy with {@code signatures} as its rules for typed-data signatures. */
    public Policy withSignatures(SignatureRules signatures) {
        return new Policy(
                version,
                perTransactionCaps,
                perTransactionLimits,
                budgets,
                allowlist,
                transactionCounts,
                approvals,
                contracts,
                fees,
                signatures);
    }

    public List<WindowBudget> budgetsFor(Asset asset) {
        return budgets.stream().filter(b -> b.limit().asset().equals(asset)).toList();
    }

    /*
     * How far back each kind of spending matters at {@code now}: the earliest instant any limit of that
     * kind looks back to, or empty when the policy has no such limit and that spending need not be read.
     */

    /** For the budgets: reservations of the agent. */
    public Optional<Instant> budgetsCountAfter(Instant now) {
        return earliest(budgets.stream().map(WindowBudget::period), now);
    }

    /** For the per-counterparty caps: what went to each counterparty. */
    public Optional<Instant> counterpartyCapsCountAfter(Instant now) {
        return earliest(
                allowlist.values().stream().flatMap(e -> e.limits().stream()).map(WindowBudget::period), now);
    }

    /** For the transaction-count limits: the requests that count. */
    public Optional<Instant> transactionCountsCountAfter(Instant now) {
        return earliest(transactionCounts.stream().map(TransactionCountLimit::period), now);
    }

    /** For the fee budgets: the fees reserved and paid. */
    public Optional<Instant> feesCountAfter(Instant now) {
        return earliest(fees.budgets().stream().map(WindowBudget::period), now);
    }

    /** For the limit on on-chain reverts: the transactions that reverted. */
    public Optional<Instant> revertsCountAfter(Instant now) {
        return fees.reverts().map(limit -> limit.period().countsAfter(now));
    }

    private static Optional<Instant> earliest(Stream<BudgetPeriod> periods, Instant now) {
        return periods.map(p -> p.countsAfter(now)).min(Instant::compareTo);
    }
}
