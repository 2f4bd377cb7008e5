package dev.guardian.policy.effects;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EffectComparisonTest {
    private static final Asset.Erc20 USDC =
            new Asset.Erc20(Address.parseLenient("0x5fbdb2315678afecb367f032d93f642f64180aa3"), "USDC", 6);
    private static final Address WALLET = Address.parseLenient("0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
    private static final Address PAYEE = Address.parseLenient("0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc");
    private static final Address THIEF = Address.parseLenient("0x0000000000000000000000000000000000000bad");
    private static final Address ROUTER = Address.parseLenient("0xe7f1725e7734ce288f8367e1bb143e90bb3f0512");

    @Test
    void theSameMovementsInAnotherSplitAreNoDifference() {
        SimulatedEffects judged = effects(new Transfer(usdc(10), WALLET, PAYEE));
        SimulatedEffects actual = effects(new Transfer(usdc(4), WALLET, PAYEE), new Transfer(usdc(6), WALLET, PAYEE));

        assertThat(EffectComparison.beyond(judged, actual)).isEmpty();
    }

    @Test
    void lessThanJudgedIsNoDifference() {
        assertThat(EffectComparison.beyond(
                        effects(new Transfer(usdc(10), WALLET, PAYEE)), effects(new Transfer(usdc(3), WALLET, PAYEE))))
                .isEmpty();
    }

    @Test
    void moneyThatWentElsewhereIsADifference() {
        List<EffectComparison.Difference> differences = EffectComparison.beyond(
                effects(new Transfer(usdc(10), WALLET, PAYEE)), effects(new Transfer(usdc(10), WALLET, THIEF)));

        assertThat(differences)
                .singleElement()
                .extracting(EffectComparison.Difference::what)
                .asString()
                .contains("0.00001 USDC moved from " + WALLET + " to " + THIEF, "no such movement was judged");
    }

    @Test
    void moreThanJudgedIsADifferenceThatSaysHowMuchWasJudged() {
        assertThat(EffectComparison.beyond(
                        effects(new Transfer(usdc(10), WALLET, PAYEE)), effects(new Transfer(usdc(11), WALLET, PAYEE))))
                .singleElement()
                .extracting(EffectComparison.Difference::what)
                .asString()
                .contains("only 0.00001 USDC was judged");
    }

    @Test
    void anOnwardHopThatWasNotJudgedIsADifference() {
        SimulatedEffects judged =
                effects(new Transfer(usdc(10), WALLET, ROUTER), new Transfer(usdc(10), ROUTER, PAYEE));
        SimulatedEffects actual =
                effects(new Transfer(usdc(10), WALLET, ROUTER), new Transfer(usdc(10), ROUTER, THIEF));

        assertThat(EffectComparison.beyond(judged, actual)).hasSize(1);
    }

    @Test
    void anAllowanceLeftHigherThanJudgedOrNotJudgedIsADifferenceAndARevocationIsNot() {
        SimulatedEffects judged = effects(new Approval(usdc(5), WALLET, ROUTER));

        assertThat(EffectComparison.beyond(judged, effects(new Approval(usdc(6), WALLET, ROUTER))))
                .hasSize(1);
        assertThat(EffectComparison.beyond(judged, effects(new Approval(usdc(5), WALLET, THIEF))))
                .hasSize(1);
        assertThat(EffectComparison.beyond(judged, effects(new Approval(usdc(0), WALLET, ROUTER))))
                .isEmpty();
    }

    @Test
    void anEventOfTheCalledContractTheSimulationDidNotShowIsADifference() {
        String topic = "0x" + "ab".repeat(32);
        SimulatedEffects actual = effects(new UnknownEvent(ROUTER, topic, 1), new UnknownEvent(PAYEE, topic, 2));

        assertThat(EffectComparison.beyond(SimulatedEffects.NONE, actual))
                .singleElement()
                .extracting(EffectComparison.Difference::what)
                .asString()
                .contains(ROUTER.toString(), topic);
        assertThat(EffectComparison.beyond(actual, actual)).isEmpty();
    }

    private static SimulatedEffects effects(Effect... effects) {
        return new SimulatedEffects(List.of(effects), Set.of());
    }

    private static TokenAmount usdc(long units) {
        return TokenAmount.ofUnits(USDC, units);
    }
}
