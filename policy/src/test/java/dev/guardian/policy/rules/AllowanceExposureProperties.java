package dev.guardian.policy.rules;

import static dev.guardian.policy.TestData.MERCHANT;
import static dev.guardian.policy.TestData.USDC;
import static dev.guardian.policy.TestData.WALLET;
import static dev.guardian.policy.TestData.address;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.decision.Decision;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.policy.effects.Approval;
import dev.guardian.policy.effects.Effect;
import dev.guardian.policy.effects.SimulatedEffects;
import dev.guardian.policy.effects.Transfer;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever the order of grants, uses and revocations, what left the wallet plus what spenders may still
 * take never exceeds the budget. The agent's requests (grant, revoke, pay, or a call in which a spender
 * pulls) are judged by the engine and happen only when not denied (an escalation is taken as approved:
 * the worst case); spenders also pull on their own, outside Guardian, as far as their on-chain allowance
 * goes. Before each decision the service reconciles the exposure it holds with the on-chain allowance
 * (what a spender took is posted as spent), as docs/policies.md describes; a revocation or lowering
 * releases exposure once mined (here, at once).
 */
class AllowanceExposureProperties {
    private static final TokenAmount BUDGET = TokenAmount.ofUnits(USDC, 500);
    private static final List<Address> SPENDERS = List.of(address(0x51), address(0x52), address(0x53));
    private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");

    sealed interface Step {}

    record Grant(int spender, long units) implements Step {}

    record Revoke(int spender) implements Step {}

    record Pay(long units) implements Step {}

    /** A request in which the spender pulls from the wallet (a router's transferFrom). */
    record UseInRequest(int spender, long units) implements Step {}

    /** The spender pulls on its own, outside Guardian. */
    record PullOutside(int spender, long units) implements Step {}

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Integer> spender = Arbitraries.integers().between(0, SPENDERS.size() - 1);
        Arbitrary<Long> units = Arbitraries.longs().between(0, 320);
        Arbitrary<Step> step = Arbitraries.oneOf(
                Combinators.combine(spender, units).as(Grant::new),
                spender.map(Revoke::new),
                units.map(Pay::new),
                Combinators.combine(spender, units).as(UseInRequest::new),
                Combinators.combine(spender, units).as(PullOutside::new));
        return step.list().ofMinSize(1).ofMaxSize(40);
    }

    @Property(tries = 400)
    void exposurePlusMovedValueNeverExceedsTheBudget(@ForAll("steps") List<Step> steps) {
        PolicyEngine engine = new PolicyEngine();
        Policy policy =
                new Policy("v1", Map.of(), List.of(new WindowBudget(BUDGET, Duration.ofDays(30))), allowlisted());
        World world = new World();
        Instant now = START;
        for (Step step : steps) {
            now = now.plusSeconds(60);
            if (step instanceof PullOutside pull) {
                world.pullOutside(SPENDERS.get(pull.spender()), pull.units());
            } else {
                world.reconcile();
                List<Effect> effects = world.effectsOf(step);
                SimulatedEffects simulated = new SimulatedEffects(effects, Set.of());
                Evaluation evaluation = Evaluations.of(
                        new AgentId("bot"),
                        false,
                        WALLET,
                        simulated,
                        new ScreeningResult(simulated.touched(), Set.of(), "none"),
                        policy,
                        world.spending(),
                        now);
                Decision decision = engine.evaluate(evaluation);
                if (decision.verdict() != Verdict.DENY) {
                    world.execute(evaluation.charges(), effects, now);
                }
            }
            assertThat(world.moved + world.outstandingAllowance())
                    .as("moved %s plus allowances %s after %s", world.moved, world.allowance, step)
                    .isLessThanOrEqualTo(BUDGET.units().longValueExact());
        }
    }

    private static Map<Address, String> allowlisted() {
        Map<Address, String> allowlist = new LinkedHashMap<>();
        allowlist.put(MERCHANT, "merchant");
        SPENDERS.forEach(s -> allowlist.put(s, "spender"));
        return allowlist;
    }

    /** The chain and what the service records about it. */
    private static final class World {
        final Map<Address, Long> allowance = new HashMap<>();
        long moved;
        /** Reservations counted against the budget: value moved, and each spender's exposure (held or used). */
        final List<SpendingState.Spend> counted = new ArrayList<>();

        final Map<Address, Long> exposureCounted = new HashMap<>();
        /** Of each spender's exposure, what is still held (the rest was used). */
        final Map<Address, Long> held = new HashMap<>();

        void pullOutside(Address spender, long units) {
            long available = allowance.getOrDefault(spender, 0L);
            long taken = Math.min(available, units);
            allowance.put(spender, available - taken);
            moved += taken;
        }

        /** Before a decision: what a spender took since is posted as spent; the exposure held follows the chain. */
        void reconcile() {
            for (Address spender : SPENDERS) {
                long h = held.getOrDefault(spender, 0L);
                long onChain = allowance.getOrDefault(spender, 0L);
                if (onChain < h) {
                    held.put(spender, onChain);
                }
            }
        }

        List<Effect> effectsOf(Step step) {
            return switch (step) {
                case Grant g ->
                    List.of(new Approval(TokenAmount.ofUnits(USDC, g.units()), WALLET, SPENDERS.get(g.spender())));
                case Revoke r -> List.of(new Approval(TokenAmount.ofUnits(USDC, 0), WALLET, SPENDERS.get(r.spender())));
                case Pay p ->
                    p.units() == 0
                            ? List.of()
                            : List.of(new Transfer(TokenAmount.ofUnits(USDC, p.units()), WALLET, MERCHANT));
                case UseInRequest u -> {
                    // The spender can pull no more than its allowance: the simulation shows what really moves.
                    long pulled = Math.min(u.units(), allowance.getOrDefault(SPENDERS.get(u.spender()), 0L));
                    yield pulled == 0
                            ? List.of()
                            : List.of(new Transfer(
                                    TokenAmount.ofUnits(USDC, pulled),
                                    WALLET,
                                    MERCHANT,
                                    Optional.of(SPENDERS.get(u.spender()))));
                }
                case PullOutside p -> throw new IllegalStateException("not a request");
            };
        }

        /** The request happens on chain, and the service records what it charged. */
        void execute(Charges charges, List<Effect> effects, Instant at) {
            charges.outflow().values().forEach(a -> counted.add(new SpendingState.Spend(a, at)));
            for (Charges.ExposureIncrease increase : charges.exposureIncreases()) {
                long units = increase.amount().units().longValueExact();
                exposureCounted.merge(increase.spender(), units, Long::sum);
                held.merge(increase.spender(), units, Long::sum);
            }
            for (Charges.CoveredUse use : charges.coveredUses()) {
                held.merge(use.spender(), -use.amount().units().longValueExact(), Long::sum);
            }
            for (Charges.ExposureDecrease decrease : charges.exposureDecreases()) {
                long units = decrease.amount().units().longValueExact();
                exposureCounted.merge(decrease.spender(), -units, Long::sum);
                held.merge(decrease.spender(), -units, Long::sum);
            }
            for (Effect effect : effects) {
                switch (effect) {
                    case Approval a ->
                        allowance.put(a.spender(), a.amount().units().longValueExact());
                    case Transfer t -> {
                        moved += t.amount().units().longValueExact();
                        t.operator()
                                .ifPresent(s ->
                                        allowance.merge(s, -t.amount().units().longValueExact(), Long::sum));
                    }
                    default -> {}
                }
            }
        }

        long outstandingAllowance() {
            return allowance.values().stream().mapToLong(Long::longValue).sum();
        }

        SpendingState spending() {
            List<SpendingState.Spend> spends = new ArrayList<>(counted);
            exposureCounted.forEach((spender, units) -> {
                if (units > 0) {
                    spends.add(new SpendingState.Spend(TokenAmount.ofUnits(USDC, units), START));
                }
            });
            List<SpendingState.HeldExposure> exposures = new ArrayList<>();
            held.forEach((spender, units) -> {
                if (units > 0) {
                    exposures.add(new SpendingState.HeldExposure(
                            new TokenAmount(USDC, BigInteger.valueOf(units)), spender, Approval.Kind.ERC20, START));
                }
            });
            return new SpendingState(spends, List.of(), List.of(), exposures, List.of(), List.of());
        }
    }
}
