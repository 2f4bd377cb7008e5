package dev.guardian.policy.rules;

import static dev.guardian.policy.TestData.DEX_ROUTER;
import static dev.guardian.policy.TestData.MERCHANT;
import static dev.guardian.policy.TestData.STRANGER;
import static dev.guardian.policy.TestData.WALLET;
import static dev.guardian.policy.TestData.usdc;
import static dev.guardian.policy.rules.EvaluationBuilder.NOW;
import static dev.guardian.policy.rules.EvaluationBuilder.evaluation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.decision.Counts;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.policy.effects.Transfer;
import dev.guardian.policy.rules.BudgetPeriod.Calendar;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** At most 3 requests that move money per rolling hour. */
class TransactionCountRuleTest {
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Instant FIRST = NOW.minus(Duration.ofMinutes(50));
    private static final Instant SECOND = NOW.minus(Duration.ofMinutes(30));
    private static final Instant THIRD = NOW.minus(Duration.ofMinutes(10));
    private final Rule rule = new TransactionCountRule();

    private static EvaluationBuilder threePerHour() {
        return evaluation().countLimit(3, new BudgetPeriod.Rolling(HOUR));
    }

    @Test
    void deniesARequestBeyondTheCountWithWhenOneMoreFits() {
        List<Reason> reasons = rule.check(threePerHour()
                .transactionAt(FIRST)
                .transactionAt(SECOND)
                .transactionAt(THIRD)
                .pays(usdc("1"), MERCHANT)
                .build());

        assertThat(reasons).singleElement().satisfies(reason -> {
            assertThat(reason.rule()).isEqualTo(RuleId.TRANSACTION_COUNT);
            assertThat(reason.verdict()).isEqualTo(Verdict.DENY);
            assertThat(reason.message()).isEqualTo("1h limit of 3 transactions reached: 3 already counted");
            assertThat(reason.counts()).contains(new Counts(3, 3, 0, Optional.of(HOUR), Optional.of(FIRST.plus(HOUR))));
            assertThat(reason.numbers()).isEmpty();
        });
    }

    @Test
    void allowsTheLastRequestThatFits() {
        assertThat(rule.check(threePerHour()
                        .transactionAt(FIRST)
                        .transactionAt(SECOND)
                        .pays(usdc("1"), MERCHANT)
                        .build()))
                .isEmpty();
    }

    @Test
    void forgetsARequestExactlyOneWindowLater() {
        EvaluationBuilder full = threePerHour()
                .transactionAt(NOW.minus(HOUR))
                .transactionAt(SECOND)
                .transactionAt(THIRD)
                .pays(usdc("1"), MERCHANT);

        assertThat(rule.check(full.build())).isEmpty();
        assertThat(rule.check(full.at(NOW.minusNanos(1)).build())).hasSize(1);
    }

    @Test
    void waitsForEnoughRequestsToLeaveWhenTheLimitWasLowered() {
        // Five counted against a limit of three: the oldest three must leave before one more fits.
        List<Reason> reasons = rule.check(threePerHour()
                .transactionAt(NOW.minus(Duration.ofMinutes(55)))
                .transactionAt(FIRST)
                .transactionAt(SECOND)
                .transactionAt(THIRD)
                .transactionAt(NOW.minus(Duration.ofMinutes(5)))
                .pays(usdc("1"), MERCHANT)
                .build());

        assertThat(reasons)
                .singleElement()
                .satisfies(reason -> assertThat(reason.counts())
                        .contains(new Counts(3, 5, 0, Optional.of(HOUR), Optional.of(SECOND.plus(HOUR)))));
    }

    @Test
    void theSameRequestFitsExactlyWhenTheRefusalSaidItWould() {
        EvaluationBuilder full = threePerHour()
                .transactionAt(FIRST)
                .transactionAt(SECOND)
                .transactionAt(THIRD)
                .pays(usdc("1"), MERCHANT);
        Instant resetsAt = rule.check(full.build())
                .getFirst()
                .counts()
                .orElseThrow()
                .resetsAt()
                .orElseThrow();

        assertThat(rule.check(full.at(resetsAt.minusNanos(1)).build())).hasSize(1);
        assertThat(rule.check(full.at(resetsAt).build())).isEmpty();
    }

    @Test
    void aCalendarCountResetsAtTheNextPeriod() {
        Calendar berlinDay = new Calendar(Calendar.Unit.DAY, ZoneId.of("Europe/Berlin"));
        // NOW is 13:00 in Berlin; the day began at 2026-11-25T23:00Z.
        List<Reason> reasons = rule.check(evaluation()
                .countLimit(2, berlinDay)
                .transactionAt(Instant.parse("2026-11-25T22:59:59Z"))
                .transactionAt(Instant.parse("2026-11-25T23:00:00Z"))
                .transactionAt(FIRST)
                .pays(usdc("1"), MERCHANT)
                .build());

        assertThat(reasons).singleElement().satisfies(reason -> {
            assertThat(reason.message())
                    .isEqualTo("calendar day (Europe/Berlin) limit of 2 transactions reached: 2 already counted");
            assertThat(reason.counts())
                    .contains(
                            new Counts(2, 2, 0, Optional.empty(), Optional.of(Instant.parse("2026-11-26T23:00:00Z"))));
        });
    }

    @Test
    void anApprovalCountsAsATransaction() {
        assertThat(rule.check(threePerHour()
                        .transactionAt(FIRST)
                        .transactionAt(SECOND)
                        .transactionAt(THIRD)
                        .approves(usdc("0"), DEX_ROUTER)
                        .build()))
                .hasSize(1);
    }

    @Test
    void aRequestThatMovesNothingOutDoesNotCount() {
        assertThat(rule.check(threePerHour()
                        .transactionAt(FIRST)
                        .transactionAt(SECOND)
                        .transactionAt(THIRD)
                        .effect(new Transfer(usdc("5"), STRANGER, WALLET))
                        .pays(usdc("0"), MERCHANT)
                        .touches(DEX_ROUTER)
                        .build()))
                .isEmpty();
    }

    @Test
    void checksEveryCountLimit() {
        List<Reason> reasons = rule.check(threePerHour()
                .countLimit(1, new BudgetPeriod.Rolling(Duration.ofMinutes(15)))
                .transactionAt(THIRD)
                .pays(usdc("1"), MERCHANT)
                .build());

        assertThat(reasons)
                .extracting(Reason::message)
                .containsExactly("15m limit of 1 transactions reached: 1 already counted");
    }
}
