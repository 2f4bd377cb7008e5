package dev.guardian.policy.effects;

import static dev.guardian.policy.TestData.DEX_ROUTER;
import static dev.guardian.policy.TestData.ETH;
import static dev.guardian.policy.TestData.MERCHANT;
import static dev.guardian.policy.TestData.STRANGER;
import static dev.guardian.policy.TestData.USDC;
import static dev.guardian.policy.TestData.WALLET;
import static dev.guardian.policy.TestData.address;
import static dev.guardian.policy.TestData.eth;
import static dev.guardian.policy.TestData.unlimited;
import static dev.guardian.policy.TestData.usdc;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SimulatedEffectsTest {

    @Test
    void countsOnlyWhatLeavesTheWallet() {
        SimulatedEffects effects = new SimulatedEffects(
                List.of(
                        new Transfer(usdc("10"), WALLET, MERCHANT),
                        new Transfer(usdc("5"), WALLET, WALLET), // to itself: nothing leaves
                        new Transfer(usdc("7"), STRANGER, WALLET), // incoming
                        new Transfer(usdc("3"), DEX_ROUTER, STRANGER) // between others
                        ),
                Set.of());

        assertThat(effects.outgoingTransfers(WALLET)).containsExactly(new Transfer(usdc("10"), WALLET, MERCHANT));
        assertThat(effects.outgoingTotals(WALLET)).isEqualTo(Map.of(USDC, usdc("10")));
    }

    @Test
    void addsUpEachAssetSeparately() {
        SimulatedEffects effects = new SimulatedEffects(
                List.of(
                        new Transfer(usdc("10"), WALLET, MERCHANT),
                        new Transfer(eth("0.5"), WALLET, DEX_ROUTER),
                        new Transfer(usdc("2.5"), WALLET, STRANGER)),
                Set.of());

        assertThat(effects.outgoingTotals(WALLET)).isEqualTo(Map.of(USDC, usdc("12.5"), ETH, eth("0.5")));
    }

    @Test
    void counterpartiesAreRecipientsAndSpenders() {
        SimulatedEffects effects = new SimulatedEffects(
                List.of(
                        new Transfer(usdc("10"), WALLET, MERCHANT),
                        new Approval(unlimited(USDC), WALLET, DEX_ROUTER),
                        new Approval(usdc("1"), STRANGER, address(0x44)), // someone else's approval
                        new Transfer(usdc("7"), STRANGER, WALLET)),
                Set.of());

        assertThat(effects.counterparties(WALLET)).containsExactly(MERCHANT, DEX_ROUTER);
        assertThat(effects.approvalsBy(WALLET)).containsExactly(new Approval(unlimited(USDC), WALLET, DEX_ROUTER));
    }

    @Test
    void touchedIncludesEveryPartyAndWhatTheTraceReported() {
        Address calledContract = address(0x99);
        SimulatedEffects effects = new SimulatedEffects(
                List.of(new Transfer(usdc("10"), WALLET, MERCHANT), new Approval(usdc("1"), STRANGER, DEX_ROUTER)),
                Set.of(calledContract));

        assertThat(effects.touched()).containsExactlyInAnyOrder(calledContract, WALLET, MERCHANT, STRANGER, DEX_ROUTER);
    }

    @Test
    void hasNothingToSayAboutAnEmptySimulation() {
        SimulatedEffects effects = new SimulatedEffects(List.of(), Set.of());

        assertThat(effects.outgoingTotals(WALLET)).isEmpty();
        assertThat(effects.counterparties(WALLET)).isEmpty();
        assertThat(effects.touched()).isEmpty();
    }
}
