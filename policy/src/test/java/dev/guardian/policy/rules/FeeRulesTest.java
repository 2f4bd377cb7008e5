package dev.guardian.policy.rules;

import static dev.guardian.policy.TestData.eth;
import static dev.guardian.policy.rules.EvaluationBuilder.NOW;
import static dev.guardian.policy.rules.EvaluationBuilder.evaluation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.decision.Verdict;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Gas is money: ceilings per transaction, budgets over periods, and too many on-chain reverts escalate. */
class FeeRulesTest {
    private static final BigInteger GWEI = BigInteger.valueOf(1_000_000_000L);
    private static final FeeLimits LIMITS = new FeeLimits(
            Optional.of(1_000_000L),
            Optional.of(eth("0.01")),
            List.of(new WindowBudget(eth("0.05"), Duration.ofHours(24))),
            Optional.of(new TransactionCountLimit(3, new BudgetPeriod.Rolling(Duration.ofHours(1)))));

    /** {@code gas x 10 gwei}, no L1 fee. */
    private static TransactionFee fee(long gas) {
        return new TransactionFee(gas, GWEI.multiply(BigInteger.TEN), BigInteger.ZERO);
    }

    @Test
    void passesAFeeWithinEveryLimit() {
        Evaluation evaluation = evaluation().feeLimits(LIMITS).fee(fee(100_000)).build();

        assertThat(new FeeCeilingRule().check(evaluation)).isEmpty();
        assertThat(new FeeBudgetRule().check(evaluation)).isEmpty();
        assertThat(new RepeatedRevertsRule().check(evaluation)).isEmpty();
    }

    @Test
    void deniesAGasLimitAboveTheCeilingAndAFeeAboveItsCeiling() {
        List<Reason> reasons = new FeeCeilingRule()
                .check(evaluation().feeLimits(LIMITS).fee(fee(2_000_000)).build());

        assertThat(reasons).extracting(Reason::rule).containsExactly(RuleId.GAS_LIMIT, RuleId.FEE_PER_TRANSACTION);
        assertThat(reasons).allSatisfy(r -> assertThat(r.verdict()).isEqualTo(Verdict.DENY));
        assertThat(reasons.get(1).numbers()).hasValueSatisfying(n -> {
            assertThat(n.limit()).isEqualTo(eth("0.01"));
            assertThat(n.attempted()).isEqualTo(eth("0.02"));
        });
    }

    @Test
    void theL1DataFeeCountsToo() {
        TransactionFee withL1 = new TransactionFee(
                100_000, GWEI.multiply(BigInteger.TEN), eth("0.0095").units());

        assertThat(new FeeCeilingRule()
                        .check(evaluation().feeLimits(LIMITS).fee(withL1).build()))
                .extracting(Reason::rule)
                .containsExactly(RuleId.FEE_PER_TRANSACTION);
    }

    @Test
    void deniesAFeeThatWouldCrossTheFeeBudgetAndSaysWhenItFits() {
        List<Reason> reasons = new FeeBudgetRule()
                .check(evaluation()
                        .feeLimits(LIMITS)
                        .feeSpent(eth("0.045"), NOW.minus(Duration.ofHours(2)))
                        .fee(fee(600_000))
                        .build());

        assertThat(reasons).singleElement().satisfies(reason -> {
            assertThat(reason.rule()).isEqualTo(RuleId.FEE_BUDGET);
            assertThat(reason.numbers())
                    .hasValueSatisfying(n -> assertThat(n.resetsAt())
                            .contains(NOW.minus(Duration.ofHours(2)).plus(Duration.ofHours(24))));
        });
    }

    @Test
    void escalatesOnceTooManyTransactionsRevertedOnChain() {
        EvaluationBuilder threeReverts = evaluation()
                .feeLimits(LIMITS)
                .revertedAt(NOW.minus(Duration.ofMinutes(50)))
                .revertedAt(NOW.minus(Duration.ofMinutes(20)))
                .revertedAt(NOW.minus(Duration.ofMinutes(10)));

        List<Reason> reasons = new RepeatedRevertsRule().check(threeReverts.build());

        assertThat(reasons).singleElement().satisfies(reason -> {
            assertThat(reason.rule()).isEqualTo(RuleId.REPEATED_REVERTS);
            assertThat(reason.verdict()).isEqualTo(Verdict.ESCALATE);
            assertThat(reason.counts())
                    .hasValueSatisfying(c -> assertThat(c.resetsAt())
                            .contains(NOW.minus(Duration.ofMinutes(50)).plus(Duration.ofHours(1))));
        });
        assertThat(new RepeatedRevertsRule()
                        .check(evaluation()
                                .feeLimits(LIMITS)
                                .revertedAt(NOW.minus(Duration.ofHours(2)))
                                .build()))
                .as("old reverts have left the window")
                .isEmpty();
    }

    @Test
    void aRequestJudgedWithoutAFeeIsNotHeldToFeeLimits() {
        Evaluation evaluation = evaluation().feeLimits(LIMITS).build();

        assertThat(new FeeCeilingRule().check(evaluation)).isEmpty();
        assertThat(new FeeBudgetRule().check(evaluation)).isEmpty();
    }
}
