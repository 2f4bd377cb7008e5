package dev.guardian.policy.rules;

import static dev.guardian.policy.TestData.MERCHANT;
import static dev.guardian.policy.TestData.STRANGER;
import static dev.guardian.policy.TestData.USDC;
import static dev.guardian.policy.TestData.WALLET;
import static dev.guardian.policy.TestData.eth;
import static dev.guardian.policy.TestData.usdc;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.AgentId;
import dev.guardian.policy.effects.SimulatedEffects;
import dev.guardian.policy.effects.Transfer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SpendingStateTest {
    private static final Instant T = Instant.parse("2026-11-26T12:00:00Z");

    @Test
    void listsSpendsOfOneAssetAfterAnInstantOldestFirst() {
        SpendingState.Spend late = new SpendingState.Spend(usdc("3"), T.plusSeconds(20));
        SpendingState.Spend early = new SpendingState.Spend(usdc("2"), T.plusSeconds(10));
        SpendingState state = new SpendingState(List.of(
                late,
                new SpendingState.Spend(eth("1"), T.plusSeconds(15)),
                early,
                new SpendingState.Spend(usdc("1"), T.minusSeconds(1))));

        assertThat(state.since(USDC, T)).containsExactly(early, late);
    }

    @Test
    void leavesOutASpendMadeExactlyAtTheStartOfTheWindow() {
        SpendingState.Spend atStart = new SpendingState.Spend(usdc("1"), T);

        assertThat(SpendingState.none().plus(atStart).since(USDC, T)).isEmpty();
        assertThat(SpendingState.none().plus(atStart).since(USDC, T.minusNanos(1)))
                .containsExactly(atStart);
    }

    @Test
    void listsWhatWentToOneCounterpartyInOneAssetAfterAnInstant() {
        SpendingState.CounterpartySpend toMerchant =
                new SpendingState.CounterpartySpend(MERCHANT, usdc("2"), T.plusSeconds(1));
        SpendingState state = new SpendingState(
                List.of(),
                List.of(
                        toMerchant,
                        new SpendingState.CounterpartySpend(MERCHANT, usdc("3"), T),
                        new SpendingState.CounterpartySpend(MERCHANT, eth("1"), T.plusSeconds(1)),
                        new SpendingState.CounterpartySpend(STRANGER, usdc("4"), T.plusSeconds(1))),
                List.of());

        assertThat(state.sentTo(MERCHANT, USDC, T)).containsExactly(toMerchant);
    }

    @Test
    void listsCountedTransactionsAfterAnInstantOldestFirst() {
        SpendingState state = new SpendingState(List.of(), List.of(), List.of(T.plusSeconds(2), T, T.plusSeconds(1)));

        assertThat(state.transactionsSince(T)).containsExactly(T.plusSeconds(1), T.plusSeconds(2));
    }

    @Test
    void reservingARequestRecordsItsTotalsPerAssetAndRecipientAndOneTransaction() {
        SimulatedEffects effects = new SimulatedEffects(
                List.of(
                        new Transfer(usdc("2"), WALLET, MERCHANT),
                        new Transfer(usdc("3"), WALLET, STRANGER),
                        new Transfer(usdc("4"), WALLET, MERCHANT),
                        new Transfer(usdc("100"), STRANGER, WALLET)),
                Set.of());

        SpendingState after = SpendingState.none().reserving(evaluationOf(effects), T);

        assertThat(after.spends()).containsExactly(new SpendingState.Spend(usdc("9"), T));
        assertThat(after.counterpartySpends())
                .containsExactly(
                        new SpendingState.CounterpartySpend(MERCHANT, usdc("6"), T),
                        new SpendingState.CounterpartySpend(STRANGER, usdc("3"), T));
        assertThat(after.transactions()).containsExactly(T);
    }

    @Test
    void reservingARequestThatMovesNothingOutRecordsNoTransaction() {
        SimulatedEffects incoming =
                new SimulatedEffects(List.of(new Transfer(usdc("100"), STRANGER, WALLET)), Set.of());

        assertThat(SpendingState.none().reserving(evaluationOf(incoming), T)).isEqualTo(SpendingState.none());
    }

    @Test
    void addingASpendLeavesTheOriginalUnchanged() {
        SpendingState before = SpendingState.none();

        SpendingState after = before.plus(new SpendingState.Spend(usdc("1"), T));

        assertThat(before.spends()).isEmpty();
        assertThat(after.spends()).hasSize(1);
    }

    private static Evaluation evaluationOf(SimulatedEffects effects) {
        return Evaluations.of(
                new AgentId("bot"),
                false,
                WALLET,
                effects,
                new ScreeningResult(effects.touched(), Set.of(), "none"),
                new Policy("v1", Map.of(), List.of(), Map.of()),
                SpendingState.none(),
                T);
    }
}
