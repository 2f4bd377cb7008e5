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
 * 24h USDC budget of 500, the merchant allowlisted, nothing spent, nothing sanctioned.
 */
final class EvaluationBuilder {
    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    static final Duration DAY = Duration.ofHours(24);

    private boolean frozen;
    private final List<Effect> effects = new ArrayList<>();
    private final Set<Address> touched = new HashSet<>();
    private final Set<Address> hits = new HashSet<>();
    private final Map<Asset, TokenAmount> caps = new LinkedHashMap<>(Map.of(USDC, usdc("100")));
    private final List<WindowBudget> budgets = new ArrayList<>(List.of(new WindowBudget(usdc("500"), DAY)));
    private final Map<Address, String> allowlist = new LinkedHashMap<>(Map.of(MERCHANT, "merchant"));
    private final List<SpendingState.Spend> spends = new ArrayList<>();
    private Instant now = NOW;
    private Optional<ScreeningResult.NotCurrent> notCurrent = Optional.empty();

    static EvaluationBuilder evaluation() {
        return new EvaluationBuilder();
    }

    EvaluationBuilder frozen() {
        frozen = true;
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

    EvaluationBuilder budget(TokenAmount limit, Duration window) {
        budgets.add(new WindowBudget(limit, window));
        return this;
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
        allowlist.put(address, "trusted");
        return this;
    }

    EvaluationBuilder spent(TokenAmount amount, Instant at) {
        spends.add(new SpendingState.Spend(amount, at));
        return this;
    }

    EvaluationBuilder spent(TokenAmount amount, Duration ago) {
        return spent(amount, now.minus(ago));
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
        return new Evaluation(
                new AgentId("research-bot"),
                frozen,
                WALLET,
                simulated,
                new ScreeningResult(screened, hits, List.of("OFAC SDN 2026-11-25"), Map.of(), notCurrent),
                new Policy("v7", caps, budgets, allowlist),
                new SpendingState(spends),
                now);
    }
}
