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
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /**
     * The oracle asks each rule on its own and judges from the verdicts it saw, without combining as the
     * engine does: any denying reason denies; otherwise any escalating reason escalates; otherwise allow.
     */
    @Property
    void deniesIfAnyRuleDeniesEscalatesIfOnlyEscalationsFireAndKeepsEveryRulesReasons(
            @ForAll("evaluations") Evaluation evaluation) {
        List<Reason> everyRulesReasons = PolicyEngine.STANDARD_RULES.stream()
                .flatMap(rule -> rule.check(evaluation).stream())
                .toList();
        boolean someRuleDenied = everyRulesReasons.stream().anyMatch(reason -> reason.verdict() == Verdict.DENY);
        boolean someRuleEscalated = everyRulesReasons.stream().anyMatch(reason -> reason.verdict() == Verdict.ESCALATE);

        Decision decision = engine.evaluate(evaluation);

        if (someRuleDenied) {
            assertThat(decision).isInstanceOf(Decision.Deny.class);
            assertThat(decision.verdict()).isEqualTo(Verdict.DENY);
        } else if (someRuleEscalated) {
            assertThat(decision).isInstanceOf(Decision.Escalate.class);
            assertThat(decision.verdict()).isEqualTo(Verdict.ESCALATE);
        } else {
            assertThat(decision).isInstanceOf(Decision.Allow.class);
            assertThat(decision.verdict()).isEqualTo(Verdict.ALLOW);
        }
        assertThat(decision.reasons())
                .as("every reason of every rule, none invented or dropped")
                .containsExactlyInAnyOrderElementsOf(everyRulesReasons);
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
        Arbitrary<SpendingState> spending = Combinators.combine(
                        spend().list().ofMaxSize(4),
                        sentTo().list().ofMaxSize(3),
                        Arbitraries.longs()
                                .between(0, 48 * 3_600)
                                .map(NOW::minusSeconds)
                                .list()
                                .ofMaxSize(4))
                .as(SpendingState::new);
        Arbitrary<Optional<TeamBudgets>> team = budget().list()
                .ofMaxSize(2)
                .map(list -> new TeamBudgets("team", 1, list))
                .optional();
        Arbitrary<Boolean> rarely = Arbitraries.frequency(Tuple.of(9, false), Tuple.of(1, true));
        return Combinators.combine(
                        rarely,
                        rarely,
                        effects,
                        hits,
                        policy(),
                        spending,
                        team,
                        spend().list().ofMaxSize(4))
                .as((frozen, allFrozen, list, sanctioned, policy, spent, teamBudgets, teamSpent) -> {
                    SimulatedEffects simulated = new SimulatedEffects(list, Set.of());
                    Set<Address> screened = new HashSet<>(simulated.touched());
                    screened.addAll(sanctioned);
                    return Evaluations.of(
                            new AgentId("property-bot"),
                            frozen,
                            allFrozen,
                            WALLET,
                            simulated,
                            new ScreeningResult(screened, sanctioned, "property list"),
                            policy,
                            spent,
                            teamBudgets,
                            teamBudgets.isPresent() ? new SpendingState(teamSpent) : SpendingState.none(),
                            NOW);
                });
    }

    private static Arbitrary<Effect> effect() {
        Arbitrary<Address> senders = Arbitraries.frequency(Tuple.of(4, WALLET), Tuple.of(1, STRANGER));
        Arbitrary<Address> parties = Arbitraries.of(PARTIES);
        Arbitrary<Effect> transfers =
                Combinators.combine(amount(ASSETS, 0, 200), senders, parties).as(Transfer::new);
        Arbitrary<TokenAmount> allowances = Arbitraries.oneOf(
                amount(ASSETS, 0, 200),
                Arbitraries.of(ASSETS).map(asset -> new TokenAmount(asset, TokenAmount.MAX_UINT256)));
        Arbitrary<Effect> approvals =
                Combinators.combine(allowances, senders, parties).as(Approval::new);
        return Arbitraries.frequencyOf(Tuple.of(4, transfers), Tuple.of(1, approvals));
    }

    private static Arbitrary<Policy> policy() {
        Arbitrary<Map<Asset, TokenAmount>> caps = perAsset(1, 150);
        Arbitrary<Map<Asset, TokenAmount>> limits = perAsset(100, 300);
        Arbitrary<AllowlistEntry> entry = Combinators.combine(
                        Arbitraries.longs()
                                .between(-3_600, 3_600)
                                .map(NOW::plusSeconds)
                                .optional(0.3),
                        budget().list().ofMaxSize(2))
                .as((expiresAt, caps2) -> new AllowlistEntry("known", expiresAt, caps2));
        Arbitrary<Map<Address, AllowlistEntry>> allowlist = Arbitraries.maps(
                        Arbitraries.of(MERCHANT, DEX_ROUTER, STRANGER), entry)
                .ofMaxSize(3);
        Arbitrary<List<TransactionCountLimit>> counts = Combinators.combine(
                        Arbitraries.integers().between(1, 4), period())
                .as(TransactionCountLimit::new)
                .list()
                .ofMaxSize(2);
        return Combinators.combine(caps, limits, budget().list().ofMaxSize(3), allowlist, counts)
                .as((c, l, b, a, n) -> new Policy("property", c, l, b, a, n, Approvals.defaults()));
    }

    private static Arbitrary<Map<Asset, TokenAmount>> perAsset(long min, long max) {
        return amount(KNOWN, min, max)
                .list()
                .ofMaxSize(2)
                .map(list -> list.stream()
                        .collect(Collectors.toMap(TokenAmount::asset, Function.identity(), (first, second) -> first)));
    }

    private static Arbitrary<BudgetPeriod> period() {
        return Arbitraries.of(
                new BudgetPeriod.Rolling(Duration.ofHours(1)),
                new BudgetPeriod.Rolling(Duration.ofHours(24)),
                new BudgetPeriod.Calendar(BudgetPeriod.Calendar.Unit.DAY, ZoneId.of("Europe/Berlin")));
    }

    private static Arbitrary<WindowBudget> budget() {
        return Combinators.combine(amount(KNOWN, 1, 300), period()).as(WindowBudget::new);
    }

    private static Arbitrary<SpendingState.CounterpartySpend> sentTo() {
        return Combinators.combine(Arbitraries.of(MERCHANT, DEX_ROUTER, STRANGER), spend())
                .as((to, spend) -> new SpendingState.CounterpartySpend(to, spend.amount(), spend.at()));
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
