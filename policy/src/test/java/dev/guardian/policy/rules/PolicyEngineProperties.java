package dev.guardian.policy.rules;

import static dev.guardian.policy.TestData.DEX_ROUTER;
import static dev.guardian.policy.TestData.ETH;
import static dev.guardian.policy.TestData.MERCHANT;
import static dev.guardian.policy.TestData.SANCTIONED;
import static dev.guardian.policy.TestData.SHADY;
import static dev.guardian.policy.TestData.STRANGER;
import static dev.guardian.policy.TestData.USDC;
import static dev.guardian.policy.TestData.WALLET;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.decision.Decision;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.policy.effects.Approval;
import dev.guardian.policy.effects.Effect;
import dev.guardian.policy.effects.SimulatedEffects;
import dev.guardian.policy.effects.Transfer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

class PolicyEngineProperties {
    private static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");
    private static final List<Address> PARTIES = List.of(WALLET, MERCHANT, DEX_ROUTER, STRANGER, SANCTIONED);
    private static final List<Asset> ASSETS = List.of(USDC, ETH, SHADY);
    private static final List<Asset> KNOWN = List.of(USDC, ETH);

    private final PolicyEngine engine = new PolicyEngine();

    @Property
    void theEnginesVerdictIsTheStrongestOfItsRules(@ForAll("evaluations") Evaluation evaluation) {
        Verdict strongest = Verdict.ALLOW;
        List<Reason> allReasons = new ArrayList<>();
        for (Rule rule : PolicyEngine.STANDARD_RULES) {
            List<Reason> reasons = rule.check(evaluation);
            strongest = strongest.strongest(Decision.of(reasons).verdict());
            allReasons.addAll(reasons);
        }

        Decision decision = engine.evaluate(evaluation);

        assertThat(decision.verdict()).isEqualTo(strongest);
        assertThat(decision.reasons()).isEqualTo(strongest == Verdict.ALLOW ? List.of() : allReasons);
        Statistics.label("verdict").collect(decision.verdict());
        Statistics.label("verdict").coverage(c -> {
            c.check(Verdict.ALLOW).percentage(p -> p > 5);
            c.check(Verdict.ESCALATE).percentage(p -> p > 5);
            c.check(Verdict.DENY).percentage(p -> p > 5);
        });
    }

    @Provide
    Arbitrary<Evaluation> evaluations() {
        Arbitrary<List<Effect>> effects = effect().list().ofMaxSize(5);
        Arbitrary<Set<Address>> hits = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.just(Set.<Address>of())),
                Tuple.of(1, Arbitraries.of(PARTIES).set().ofMaxSize(2)));
        Arbitrary<List<SpendingState.Spend>> spends = spend().list().ofMaxSize(4);
        return Combinators.combine(Arbitraries.frequency(Tuple.of(9, false), Tuple.of(1, true)),
                        effects, hits, policy(), spends)
                .as((frozen, list, sanctioned, policy, spent) -> {
                    SimulatedEffects simulated = new SimulatedEffects(list, Set.of());
                    Set<Address> screened = new HashSet<>(simulated.touched());
                    screened.addAll(sanctioned);
                    return new Evaluation(new AgentId("property-bot"), frozen, WALLET, simulated,
                            new ScreeningResult(screened, sanctioned, "property list"), policy,
                            new SpendingState(spent), NOW);
                });
    }

    private static Arbitrary<Effect> effect() {
        Arbitrary<Address> senders = Arbitraries.frequency(Tuple.of(4, WALLET), Tuple.of(1, STRANGER));
        Arbitrary<Address> parties = Arbitraries.of(PARTIES);
        Arbitrary<Effect> transfers = Combinators.combine(amount(ASSETS, 0, 200), senders, parties).as(Transfer::new);
        Arbitrary<TokenAmount> allowances = Arbitraries.oneOf(
                amount(ASSETS, 0, 200),
                Arbitraries.of(ASSETS).map(asset -> new TokenAmount(asset, TokenAmount.MAX_UINT256)));
        Arbitrary<Effect> approvals = Combinators.combine(allowances, senders, parties).as(Approval::new);
        return Arbitraries.frequencyOf(Tuple.of(4, transfers), Tuple.of(1, approvals));
    }

    private static Arbitrary<Policy> policy() {
        Arbitrary<Map<Asset, TokenAmount>> caps = amount(KNOWN, 1, 150).list().ofMaxSize(2)
                .map(list -> list.stream().collect(
                        Collectors.toMap(TokenAmount::asset, Function.identity(), (first, second) -> first)));
        Arbitrary<WindowBudget> budget = Combinators.combine(
                        amount(KNOWN, 1, 300), Arbitraries.of(Duration.ofHours(1), Duration.ofHours(24)))
                .as(WindowBudget::new);
        Arbitrary<Map<Address, String>> allowlist = Arbitraries.of(MERCHANT, DEX_ROUTER, STRANGER).set()
                .map(set -> set.stream().collect(Collectors.toMap(Function.identity(), Address::toString)));
        return Combinators.combine(caps, budget.list().ofMaxSize(3), allowlist)
                .as((c, b, a) -> new Policy("property", c, b, a));
    }

    private static Arbitrary<SpendingState.Spend> spend() {
        return Combinators.combine(amount(KNOWN, 0, 200), Arbitraries.longs().between(0, 48 * 3_600))
                .as((amount, secondsAgo) -> new SpendingState.Spend(amount, NOW.minusSeconds(secondsAgo)));
    }

    private static Arbitrary<TokenAmount> amount(List<Asset> assets, long min, long max) {
        return Combinators.combine(Arbitraries.of(assets), Arbitraries.longs().between(min, max))
                .as(TokenAmount::ofUnits);
    }
}
