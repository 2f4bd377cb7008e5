package dev.guardian.policy.rules;

import static dev.guardian.policy.TestData.USDC;
import static dev.guardian.policy.TestData.eth;
import static dev.guardian.policy.TestData.usdc;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
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
        assertThat(SpendingState.none().plus(atStart).since(USDC, T.minusNanos(1))).containsExactly(atStart);
    }

    @Test
    void addingASpendLeavesTheOriginalUnchanged() {
        SpendingState before = SpendingState.none();

        SpendingState after = before.plus(new SpendingState.Spend(usdc("1"), T));

        assertThat(before.spends()).isEmpty();
        assertThat(after.spends()).hasSize(1);
    }
}
