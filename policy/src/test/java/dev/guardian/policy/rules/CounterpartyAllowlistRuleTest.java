package dev.guardian.policy.rules;

import static dev.guardian.policy.TestData.DEX_ROUTER;
import static dev.guardian.policy.TestData.MERCHANT;
import static dev.guardian.policy.TestData.STRANGER;
import static dev.guardian.policy.TestData.WALLET;
import static dev.guardian.policy.TestData.address;
import static dev.guardian.policy.TestData.unlimited;
import static dev.guardian.policy.TestData.usdc;
import static dev.guardian.policy.rules.EvaluationBuilder.NOW;
import static dev.guardian.policy.rules.EvaluationBuilder.evaluation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.TestData;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.policy.effects.Transfer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The default policy allowlists the merchant only, without expiry. */
class CounterpartyAllowlistRuleTest {
    private final Rule rule = new CounterpartyAllowlistRule();

    @Test
    void escalatesAPaymentToSomeoneNotOnTheAllowlist() {
        List<Reason> reasons = rule.check(evaluation().pays(usdc("1"), STRANGER).build());

        assertThat(reasons).singleElement().satisfies(reason -> {
            assertThat(reason.rule()).isEqualTo(RuleId.COUNTERPARTY_NOT_ALLOWLISTED);
            assertThat(reason.verdict()).isEqualTo(Verdict.ESCALATE);
            assertThat(reason.subject()).contains(STRANGER);
            assertThat(reason.message()).contains(STRANGER.toString());
        });
    }

    @Test
    void escalatesAnAllowanceForASpenderNotOnTheAllowlist() {
        List<Reason> reasons = rule.check(
                evaluation().approves(unlimited(TestData.USDC), DEX_ROUTER).build());

        assertThat(reasons).extracting(Reason::subject).containsExactly(Optional.of(DEX_ROUTER));
    }

    @Test
    void findsAStrangerPaidInsideACallToAnAllowlistedContract() {
        List<Reason> reasons = rule.check(evaluation()
                .allowlisted(DEX_ROUTER)
                .pays(usdc("50"), DEX_ROUTER)
                .pays(usdc("5"), STRANGER)
                .pays(usdc("1"), MERCHANT)
                .build());

        assertThat(reasons).extracting(Reason::subject).containsExactly(Optional.of(STRANGER));
    }

    @Test
    void namesEachStrangerOnce() {
        List<Reason> reasons = rule.check(evaluation()
                .pays(usdc("1"), STRANGER)
                .pays(usdc("2"), STRANGER)
                .approves(usdc("3"), STRANGER)
                .build());

        assertThat(reasons).hasSize(1);
    }

    @Test
    void passesPaymentsToAllowlistedParties() {
        assertThat(rule.check(evaluation()
                        .pays(usdc("1"), MERCHANT)
                        .approves(usdc("1"), MERCHANT)
                        .build()))
                .isEmpty();
    }

    @Test
    void escalatesAPaymentToAPartyWhoseEntryHasExpiredSayingWhen() {
        Instant expiry = NOW.minus(Duration.ofHours(1));

        List<Reason> reasons = rule.check(evaluation()
                .allowlisted(DEX_ROUTER, new AllowlistEntry("uniswap router", Optional.of(expiry), List.of()))
                .pays(usdc("5"), DEX_ROUTER)
                .build());

        assertThat(reasons).singleElement().satisfies(reason -> {
            assertThat(reason.rule()).isEqualTo(RuleId.COUNTERPARTY_ALLOWLIST_EXPIRED);
            assertThat(reason.verdict()).isEqualTo(Verdict.ESCALATE);
            assertThat(reason.subject()).contains(DEX_ROUTER);
            assertThat(reason.message())
                    .isEqualTo(DEX_ROUTER + " (uniswap router) was allowlisted until "
                            + "2026-11-26T11:00:00Z; that entry has expired, so a person must decide");
        });
    }

    @Test
    void anEntryHasExpiredAtItsExpiryInstantItself() {
        EvaluationBuilder expiringNow = evaluation()
                .allowlisted(DEX_ROUTER, new AllowlistEntry("uniswap router", Optional.of(NOW), List.of()))
                .approves(usdc("5"), DEX_ROUTER);

        assertThat(rule.check(expiringNow.build()))
                .extracting(Reason::rule)
                .containsExactly(RuleId.COUNTERPARTY_ALLOWLIST_EXPIRED);
        assertThat(rule.check(expiringNow.at(NOW.minusNanos(1)).build())).isEmpty();
    }

    @Test
    void anEntryWithoutExpiryNeverExpires() {
        assertThat(rule.check(evaluation()
                        .at(Instant.parse("2099-01-01T00:00:00Z"))
                        .pays(usdc("1"), MERCHANT)
                        .build()))
                .isEmpty();
    }

    @Test
    void ignoresPartiesThatOnlySendToTheWalletOrMoveOthersMoney() {
        assertThat(rule.check(evaluation()
                        .effect(new Transfer(usdc("7"), STRANGER, WALLET))
                        .effect(new Transfer(usdc("7"), DEX_ROUTER, address(0x42)))
                        .build()))
                .isEmpty();
    }
}
