package dev.guardian.policy.rules;

import static dev.guardian.policy.TestData.DEX_ROUTER;
import static dev.guardian.policy.TestData.ETH;
import static dev.guardian.policy.TestData.MERCHANT;
import static dev.guardian.policy.TestData.STRANGER;
import static dev.guardian.policy.TestData.WALLET;
import static dev.guardian.policy.TestData.address;
import static dev.guardian.policy.TestData.eth;
import static dev.guardian.policy.TestData.usdc;
import static dev.guardian.policy.rules.EvaluationBuilder.NOW;
import static dev.guardian.policy.rules.EvaluationBuilder.evaluation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.effects.Transfer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Value that passes through an allowlisted contract is judged where it ends, hop after hop. */
class OnwardRecipientRuleTest {
    private static final AllowlistEntry ROUTER =
            new AllowlistEntry("router", AllowlistEntry.Kind.CONTRACT, Optional.empty(), List.of());
    private static final Address POOL = address(0x9a);

    private final Rule rule = new OnwardRecipientRule();

    private static EvaluationBuilder throughRouter() {
        return evaluation().allowlisted(DEX_ROUTER, ROUTER).pays(usdc("50"), DEX_ROUTER);
    }

    @Test
    void escalatesWhoeverTheRouterPassesTheMoneyOnTo() {
        List<Reason> reasons = rule.check(throughRouter()
                .effect(new Transfer(usdc("50"), DEX_ROUTER, STRANGER))
                .build());

        assertThat(reasons).singleElement().satisfies(reason -> {
            assertThat(reason.rule()).isEqualTo(RuleId.ONWARD_NOT_ALLOWLISTED);
            assertThat(reason.subject()).contains(STRANGER);
            assertThat(reason.message()).contains("50 USDC");
        });
    }

    @Test
    void passesMoneyThatEndsWithAnAllowlistedPayee() {
        assertThat(rule.check(throughRouter()
                        .effect(new Transfer(usdc("50"), DEX_ROUTER, MERCHANT))
                        .build()))
                .isEmpty();
    }

    @Test
    void followsEveryHopAndAnyAsset() {
        List<Reason> reasons = rule.check(throughRouter()
                .allowlisted(POOL, ROUTER)
                .effect(new Transfer(usdc("50"), DEX_ROUTER, POOL))
                .effect(new Transfer(eth("0.01"), POOL, STRANGER))
                .build());

        assertThat(reasons).extracting(Reason::rule).contains(RuleId.ONWARD_NOT_ALLOWLISTED);
        assertThat(reasons).extracting(Reason::subject).contains(Optional.of(STRANGER));
    }

    @Test
    void escalatesMoneyThatStaysWithAContractItShouldOnlyPassThrough() {
        List<Reason> reasons = rule.check(throughRouter()
                .effect(new Transfer(usdc("45"), DEX_ROUTER, MERCHANT))
                .build());

        assertThat(reasons).singleElement().satisfies(reason -> {
            assertThat(reason.rule()).isEqualTo(RuleId.NOT_A_PAYEE);
            assertThat(reason.subject()).contains(DEX_ROUTER);
            assertThat(reason.message()).contains("5 USDC");
        });
    }

    @Test
    void valueComingBackToTheWalletEndsThereAndABurnIsNoSource() {
        assertThat(rule.check(evaluation()
                        .allowlisted(POOL)
                        .pays(usdc("50"), POOL)
                        .effect(new Transfer(TokenAmount.parse(ETH, "0.02"), POOL, WALLET))
                        .effect(new Transfer(usdc("1"), Address.ZERO, STRANGER))
                        .build()))
                .isEmpty();
    }

    @Test
    void anExpiredEntryFurtherDownEscalatesAgain() {
        AllowlistEntry expired = new AllowlistEntry("old", Optional.of(NOW.minus(Duration.ofDays(1))), List.of());

        assertThat(rule.check(throughRouter()
                        .allowlisted(STRANGER, expired)
                        .effect(new Transfer(usdc("50"), DEX_ROUTER, STRANGER))
                        .build()))
                .extracting(Reason::rule)
                .containsExactly(RuleId.COUNTERPARTY_ALLOWLIST_EXPIRED);
    }
}
