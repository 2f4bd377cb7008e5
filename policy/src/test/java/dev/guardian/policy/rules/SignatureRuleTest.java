package dev.guardian.policy.rules;

import static dev.guardian.policy.TestData.MERCHANT;
import static dev.guardian.policy.TestData.USDC;
import static dev.guardian.policy.TestData.usdc;
import static dev.guardian.policy.rules.EvaluationBuilder.NOW;
import static dev.guardian.policy.rules.EvaluationBuilder.evaluation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.decision.Decision;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.decision.Validity;
import dev.guardian.policy.decision.Verdict;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/** Typed data: default deny for what Guardian does not recognise, bounded validity, and x402's own limits. */
class SignatureRuleTest {
    private static final Address TOKEN = Address.parse("0x833589fcd6edb6e08f4c7c32d4f71b54bda02913");
    private static final String SHOP = "https://api.shop.example";

    private static SignatureTerms transfer(Instant validUntil, Optional<SignatureTerms.X402Quote> x402) {
        return new SignatureTerms(
                SignatureTerms.Standard.EIP3009_TRANSFER,
                Optional.empty(),
                Optional.of("USD Coin"),
                Optional.of(TOKEN),
                "TransferWithAuthorization",
                Optional.of(validUntil),
                x402);
    }

    private static SignatureTerms message(String domain, String type) {
        return new SignatureTerms(
                SignatureTerms.Standard.MESSAGE,
                Optional.empty(),
                Optional.of(domain),
                Optional.empty(),
                type,
                Optional.empty(),
                Optional.empty());
    }

    private static SignatureRules x402(String origin, String max) {
        return new SignatureRules(
                SignatureRules.DEFAULT_MAX_VALIDITY,
                List.of(),
                new SignatureRules.X402Rules(List.of(origin), Map.of(USDC, usdc(max))));
    }

    @Test
    void addsNothingToATransaction() {
        assertThat(new SignatureRule()
                        .check(evaluation().pays(usdc("1"), MERCHANT).build()))
                .isEmpty();
    }

    @Test
    void passesATransferUsableForLessThanTheLongestValidity() {
        Evaluation evaluation = evaluation()
                .pays(usdc("1"), MERCHANT)
                .signature(transfer(NOW.plus(Duration.ofMinutes(9)), Optional.empty()))
                .build();

        assertThat(new SignatureRule().check(evaluation)).isEmpty();
        assertThat(new PolicyEngine().evaluate(evaluation).verdict()).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void deniesASignatureUsableLongerThanThePolicyAllowsWithBothDurations() {
        Evaluation evaluation = evaluation()
                .pays(usdc("1"), MERCHANT)
                .signature(transfer(NOW.plus(Duration.ofHours(1)), Optional.empty()))
                .build();

        List<Reason> reasons = new SignatureRule().check(evaluation);

        assertThat(reasons).singleElement().satisfies(r -> {
            assertThat(r.rule()).isEqualTo(RuleId.SIGNATURE_VALIDITY);
            assertThat(r.verdict()).isEqualTo(Verdict.DENY);
            assertThat(r.validity()).contains(new Validity(Duration.ofMinutes(10), Duration.ofHours(1)));
        });
    }

    @Test
    void deniesTypedDataItDoesNotRecogniseUnlessThePolicyListsIt() {
        SignatureTerms login = message("login.example", "Login");

        Decision unlisted =
                new PolicyEngine().evaluate(evaluation().signature(login).build());
        Decision listed = new PolicyEngine()
                .evaluate(evaluation()
                        .signature(login)
                        .signatureRules(new SignatureRules(
                                Duration.ofMinutes(10),
                                List.of(new SignatureRules.AllowedMessage("login.example", Optional.empty(), "Login")),
                                SignatureRules.X402Rules.off()))
                        .build());

        assertThat(unlisted.verdict()).isEqualTo(Verdict.DENY);
        assertThat(unlisted.reasons()).extracting(Reason::rule).containsExactly(RuleId.TYPED_DATA_NOT_ALLOWED);
        assertThat(listed.verdict()).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void aListedMessageMustMatchItsDomainTypeAndContract() {
        SignatureRules rules = new SignatureRules(
                Duration.ofMinutes(10),
                List.of(new SignatureRules.AllowedMessage("login.example", Optional.of(TOKEN), "Login")),
                SignatureRules.X402Rules.off());

        assertThat(rules.allows(message("login.example", "Login"))).isFalse(); // no contract named
        assertThat(rules.allows(message("other.example", "Login"))).isFalse();
        assertThat(rules.allows(message("login.example", "Logout"))).isFalse();
    }

    @Test
    void deniesRefusedTypedDataWhateverThePolicyLists() {
        SignatureTerms refused = new SignatureTerms(
                SignatureTerms.Standard.REFUSED,
                Optional.of("the domain is not USDC's"),
                Optional.of("USD Coin"),
                Optional.of(TOKEN),
                "TransferWithAuthorization",
                Optional.empty(),
                Optional.empty());

        assertThat(new SignatureRule().check(evaluation().signature(refused).build()))
                .extracting(Reason::rule, Reason::message)
                .containsExactly(Tuple.tuple(RuleId.TYPED_DATA_NOT_ALLOWED, "the domain is not USDC's"));
    }

    @Test
    void x402IsOffUnlessThePolicyListsTheOriginAndAMaximum() {
        SignatureTerms.X402Quote quote = new SignatureTerms.X402Quote(SHOP + "/weather", SHOP, usdc("0.01"));

        List<Reason> reasons = new SignatureRule()
                .check(evaluation()
                        .pays(usdc("0.01"), MERCHANT)
                        .signature(transfer(NOW.plusSeconds(60), Optional.of(quote)))
                        .build());

        assertThat(reasons)
                .extracting(Reason::rule)
                .containsExactly(RuleId.X402_ORIGIN_NOT_ALLOWED, RuleId.X402_PRICE_LIMIT);
    }

    @Test
    void deniesAnX402PriceAboveTheMostPerRequestWithTheFigures() {
        SignatureTerms.X402Quote quote = new SignatureTerms.X402Quote(SHOP + "/weather", SHOP, usdc("2"));

        List<Reason> reasons = new SignatureRule()
                .check(evaluation()
                        .pays(usdc("2"), MERCHANT)
                        .signature(transfer(NOW.plusSeconds(60), Optional.of(quote)))
                        .signatureRules(x402(SHOP, "1"))
                        .build());

        assertThat(reasons).singleElement().satisfies(r -> {
            assertThat(r.rule()).isEqualTo(RuleId.X402_PRICE_LIMIT);
            assertThat(r.numbers()).hasValueSatisfying(n -> {
                assertThat(n.limit()).isEqualTo(usdc("1"));
                assertThat(n.attempted()).isEqualTo(usdc("2"));
            });
        });
    }

    @Test
    void passesAnX402PaymentWithinItsLimitsToAListedOrigin() {
        SignatureTerms.X402Quote quote = new SignatureTerms.X402Quote(SHOP + "/weather", SHOP, usdc("0.5"));

        assertThat(new SignatureRule()
                        .check(evaluation()
                                .pays(usdc("0.5"), MERCHANT)
                                .signature(transfer(NOW.plusSeconds(60), Optional.of(quote)))
                                .signatureRules(x402(SHOP, "1"))
                                .build()))
                .isEmpty();
    }

    @Test
    void budgetsStillApplyToASignedTransfer() {
        Decision decision = new PolicyEngine()
                .evaluate(evaluation()
                        .pays(usdc("50"), MERCHANT)
                        .spent(usdc("480"), Duration.ofHours(1))
                        .signature(transfer(NOW.plusSeconds(60), Optional.empty()))
                        .build());

        assertThat(decision.verdict()).isEqualTo(Verdict.DENY);
        assertThat(decision.reasons()).extracting(Reason::rule).contains(RuleId.WINDOW_BUDGET);
    }
}
