package dev.guardian.policy.rules;

import static dev.guardian.policy.TestData.MERCHANT;
import static dev.guardian.policy.TestData.USDC;
import static dev.guardian.policy.TestData.WALLET;
import static dev.guardian.policy.TestData.usdc;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.policy.effects.Approval;
import dev.guardian.policy.effects.Effect;
import dev.guardian.policy.effects.SimulatedEffects;
import dev.guardian.policy.effects.SimulationOutcome;
import dev.guardian.policy.effects.Transfer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds an {@link Evaluation} that passes every rule unless a test says otherwise: agent
 * {@code research-bot} with wallet {@link dev.guardian.policy.TestData#WALLET}, a USDC cap of 100 and a
 * 24h USDC budget of 500, the merchant allowlisted, no team, nothing spent, nothing sanctioned, the
 * kill switch off.
 */
final class EvaluationBuilder {
    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    static final Duration DAY = Duration.ofHours(24);

    private boolean frozen;
    private boolean allFrozen;
    private final List<Effect> effects = new ArrayList<>();
    private final Set<Address> touched = new HashSet<>();
    private final Set<Address> hits = new HashSet<>();
    private final Map<Asset, TokenAmount> caps = new LinkedHashMap<>(Map.of(USDC, usdc("100")));
    private final List<WindowBudget> budgets = new ArrayList<>(List.of(new WindowBudget(usdc("500"), DAY)));
    private final Map<Asset, TokenAmount> limits = new LinkedHashMap<>();
    private final Map<Address, AllowlistEntry> allowlist =
            new LinkedHashMap<>(Map.of(MERCHANT, AllowlistEntry.labelled("merchant")));
    private final List<TransactionCountLimit> counts = new ArrayList<>();
    private final List<SpendingState.Spend> spends = new ArrayList<>();
    private final List<SpendingState.CounterpartySpend> sent = new ArrayList<>();
    private final List<Instant> transactions = new ArrayList<>();
    private Optional<TeamBudgets> team = Optional.empty();
    private final List<SpendingState.Spend> teamSpends = new ArrayList<>();
    private Instant now = NOW;
    private Optional<ScreeningResult.NotCurrent> notCurrent = Optional.empty();
    private final Set<Address> otherWallets = new HashSet<>();
    private WalletCall call = Evaluations.PLAIN_TRANSFER;
    private final Map<Address, ContractEntry> contracts = new LinkedHashMap<>();
    private Verdict outside = Verdict.ESCALATE;
    private Optional<TransactionFee> fee = Optional.empty();
    private FeeLimits feeLimits = FeeLimits.none();
    private final List<SpendingState.HeldExposure> exposures = new ArrayList<>();
    private final List<SpendingState.Spend> fees = new ArrayList<>();
    private final List<Instant> reverts = new ArrayList<>();
    private Optional<SimulationOutcome> failedSimulation = Optional.empty();
    private Optional<SignatureTerms> signature = Optional.empty();
    private Optional<SafeTerms> safe = Optional.empty();
    private SignatureRules signatureRules = SignatureRules.defaults();

    static EvaluationBuilder evaluation() {
        return new EvaluationBuilder();
    }

    EvaluationBuilder frozen() {
        frozen = true;
        return this;
    }

    /** The deployment-wide kill switch is engaged. */
    EvaluationBuilder allAgentsFrozen() {
        allFrozen = true;
        return this;
    }

    /** The wallet pays {@code amount} to {@code to}. */
    EvaluationBuilder pays(TokenAmount amount, Address to) {
        return effect(new Transfer(amount, WALLET, to));
    }

    /** The wallet lets {@code spender} move up to {@code amount}. */
    EvaluationBuilder approves(TokenAmount amount, Address spender) {
        return effect(new Approval(amount, WALLET, spender));
    }

    /** The agent also holds {@code wallet}, which this request does not pay from. */
    EvaluationBuilder otherWallet(Address wallet) {
        otherWallets.add(wallet);
        return this;
    }

    /** The wallet makes this call (by default a plain value transfer, which the contract rules ignore). */
    EvaluationBuilder calls(WalletCall walletCall) {
        call = walletCall;
        return this;
    }

    /** The wallet calls {@code function(arguments...)} on {@code contract}; each argument a 32-byte word. */
    EvaluationBuilder calls(Address contract, String signature, byte[]... words) {
        byte[] selector = FunctionSignature.parse(signature).selector().toBytes();
        byte[] data = new byte[4 + 32 * words.length];
        System.arraycopy(selector, 0, data, 0, 4);
        for (int i = 0; i < words.length; i++) {
            System.arraycopy(words[i], 0, data, 4 + 32 * i, 32);
        }
        return calls(new WalletCall(contract, TokenAmount.zero(Asset.ether()), data));
    }

    /** The contract allowlist lists {@code contract}. */
    EvaluationBuilder contract(Address contract, ContractEntry entry) {
        contracts.put(contract, entry);
        return this;
    }

    /** What a call outside the contract allowlist gets. */
    EvaluationBuilder outsideContracts(Verdict verdict) {
        outside = verdict;
        return this;
    }

    EvaluationBuilder fee(TransactionFee transactionFee) {
        fee = Optional.of(transactionFee);
        return this;
    }

    EvaluationBuilder feeLimits(FeeLimits limits) {
        feeLimits = limits;
        return this;
    }

    /** The wallet already holds an allowance of {@code amount} for {@code spender}, granted at {@code at}. */
    EvaluationBuilder holdsAllowance(TokenAmount amount, Address spender, Instant at) {
        exposures.add(new SpendingState.HeldExposure(amount, spender, Approval.Kind.ERC20, at));
        return this;
    }

    EvaluationBuilder feeSpent(TokenAmount amount, Instant at) {
        fees.add(new SpendingState.Spend(amount, at));
        return this;
    }

    /** One of the agent's transactions reverted on chain at {@code at}. */
    EvaluationBuilder revertedAt(Instant at) {
        reverts.add(at);
        return this;
    }

    /** The simulation reverts with {@code reason}: no effects, nothing screened. */
    EvaluationBuilder reverts(String reason) {
        failedSimulation = Optional.of(new SimulationOutcome.Reverted(reason));
        return this;
    }

    /** What the simulation would do cannot be judged, for {@code reason}: no effects, nothing screened. */
    EvaluationBuilder undecodable(String reason) {
        failedSimulation = Optional.of(new SimulationOutcome.Undecodable(reason));
        return this;
    }

    EvaluationBuilder effect(Effect effect) {
        effects.add(effect);
        return this;
    }

    EvaluationBuilder touches(Address address) {
        touched.add(address);
        return this;
    }

    EvaluationBuilder sanctioned(Address... addresses) {
        hits.addAll(List.of(addresses));
        return this;
    }

    /** The screening behind this evaluation is not current, for {@code problems}; it asks for {@code verdict}. */
    EvaluationBuilder screeningNotCurrent(Verdict verdict, String... problems) {
        notCurrent = Optional.of(new ScreeningResult.NotCurrent(verdict, List.of(problems)));
        return this;
    }

    EvaluationBuilder cap(TokenAmount cap) {
        caps.put(cap.asset(), cap);
        return this;
    }

    /** A hard per-transaction limit: above it, denied. */
    EvaluationBuilder limit(TokenAmount limit) {
        limits.put(limit.asset(), limit);
        return this;
    }

    EvaluationBuilder budget(TokenAmount limit, Duration window) {
        budgets.add(new WindowBudget(limit, window));
        return this;
    }

    EvaluationBuilder budget(TokenAmount limit, BudgetPeriod period) {
        budgets.add(new WindowBudget(limit, period));
        return this;
    }

    EvaluationBuilder countLimit(int max, BudgetPeriod period) {
        counts.add(new TransactionCountLimit(max, period));
        return this;
    }

    /** The agent belongs to {@code name}, whose shared budgets are {@code budgets}. */
    EvaluationBuilder team(String name, WindowBudget... budgets) {
        team = Optional.of(new TeamBudgets(name, 1, List.of(budgets)));
        return this;
    }

    /** The agent's team (any member, this agent included) spent {@code amount} at {@code at}. */
    EvaluationBuilder teamSpent(TokenAmount amount, Instant at) {
        teamSpends.add(new SpendingState.Spend(amount, at));
        return this;
    }

    EvaluationBuilder teamSpent(TokenAmount amount, Duration ago) {
        return teamSpent(amount, now.minus(ago));
    }

    /** Forgets the default USDC cap and budget. */
    EvaluationBuilder noLimits() {
        caps.clear();
        budgets.clear();
        return this;
    }

    EvaluationBuilder noCaps() {
        caps.clear();
        return this;
    }

    EvaluationBuilder noBudgets() {
        budgets.clear();
        return this;
    }

    EvaluationBuilder allowlisted(Address address) {
        return allowlisted(address, AllowlistEntry.labelled("trusted"));
    }

    EvaluationBuilder allowlisted(Address address, AllowlistEntry entry) {
        allowlist.put(address, entry);
        return this;
    }

    /** The wallet sent {@code amount} to {@code to} at {@code at} (as recorded for per-counterparty caps). */
    EvaluationBuilder sent(TokenAmount amount, Address to, Instant at) {
        sent.add(new SpendingState.CounterpartySpend(to, amount, at));
        return this;
    }

    /** A request that counts towards transaction limits was made at {@code at}. */
    EvaluationBuilder transactionAt(Instant at) {
        transactions.add(at);
        return this;
    }

    EvaluationBuilder spent(TokenAmount amount, Instant at) {
        spends.add(new SpendingState.Spend(amount, at));
        return this;
    }

    EvaluationBuilder spent(TokenAmount amount, Duration ago) {
        return spent(amount, now.minus(ago));
    }

    /** The request is a typed-data signature with these terms. */
    EvaluationBuilder signature(SignatureTerms terms) {
        signature = Optional.of(terms);
        return this;
    }

    /** The request is a co-signed Safe's transaction with these terms. */
    EvaluationBuilder safe(SafeTerms terms) {
        safe = Optional.of(terms);
        return this;
    }

    EvaluationBuilder signatureRules(SignatureRules rules) {
        signatureRules = rules;
        return this;
    }

    EvaluationBuilder at(Instant instant) {
        now = instant;
        return this;
    }

    Evaluation build() {
        Set<Address> screened = new HashSet<>(touched);
        screened.addAll(hits);
        SimulatedEffects simulated = new SimulatedEffects(effects, touched);
        screened.addAll(simulated.touched());
        Optional<ScreeningResult> screening = failedSimulation.isPresent()
                ? Optional.empty()
                : Optional.of(
                        new ScreeningResult(screened, hits, List.of("OFAC SDN 2026-11-25"), Map.of(), notCurrent));
        return new Evaluation(
                new AgentId("research-bot"),
                frozen,
                allFrozen,
                WALLET,
                otherWallets,
                call,
                fee,
                failedSimulation.orElseGet(() -> SimulationOutcome.of(simulated)),
                screening,
                new Policy(
                        "v7",
                        caps,
                        limits,
                        budgets,
                        allowlist,
                        counts,
                        Approvals.defaults(),
                        new ContractRules(contracts, outside),
                        feeLimits,
                        signatureRules),
                new SpendingState(spends, sent, transactions, exposures, fees, reverts),
                team,
                new SpendingState(teamSpends),
                now,
                signature,
                safe);
    }
}
