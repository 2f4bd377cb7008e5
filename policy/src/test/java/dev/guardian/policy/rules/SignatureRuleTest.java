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
import java.math.BigInteger;
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

    private static final String TRANSFER_TYPE =
            "TransferWithAuthorization(address from,address to,uint256 value,uint256 validAfter,uint256 validBefore,"
                    + "bytes32 nonce)";
    private static final String LOGIN_TYPE = "Login(string user,uint256 issuedAt)";
    private static final BigInteger CHAIN = BigInteger.valueOf(8453);

    private static SignatureTerms transfer(Instant validUntil, Optional<SignatureTerms.X402Quote> x402) {
        return new SignatureTerms(
                SignatureTerms.Standard.EIP3009_TRANSFER,
                Optional.empty(),
                new SignatureTerms.Domain(
                        Optional.of("USD Coin"),
                        Optional.of("2"),
                        Optional.of(CHAIN),
                        Optional.of(TOKEN),
                        Optional.empty()),
                "TransferWithAuthorization",
                TRANSFER_TYPE,
                Optional.of(validUntil),
                Optional.empty(),
                List.of(),
                x402);
    }

    private static SignatureTerms permit2(Instant sigDeadline, Instant expiration) {
        return new SignatureTerms(
                SignatureTerms.Standard.PERMIT2_ALLOWANCE,
                Optional.empty(),
                SignatureTerms.Domain.named("Permit2"),
                "PermitSingle",
                "PermitSingle(PermitDetails details,address spender,uint256 sigDeadline)"
                        + "PermitDetails(address token,uint160 amount,uint48 expiration,uint48 nonce)",
                Optional.of(sigDeadline),
                Optional.of(expiration),
                List.of(),
                Optional.empty());
    }

    private static SignatureTerms message(SignatureTerms.Domain domain, String encodedType) {
        return new SignatureTerms(
                SignatureTerms.Standard.MESSAGE,
                Optional.empty(),
                domain,
                encodedType.substring(0, encodedType.indexOf('(')),
                encodedType,
                Optional.empty(),
                Optional.empty(),
                List.of(),
                Optional.empty());
    }

    private static SignatureTerms message(String domain, String encodedType) {
        return message(SignatureTerms.Domain.named(domain), encodedType);
    }

    private static SignatureTerms.Domain domain(
            String name, Optional<String> version, Optional<Long> chainId, Optional<Address> contract) {
        return new SignatureTerms.Domain(
                Optional.of(name), version, chainId.map(BigInteger::valueOf), contract, Optional.empty());
    }

    private static SignatureRules listing(SignatureRules.AllowedMessage... messages) {
        return new SignatureRules(Duration.ofMinutes(10), List.of(messages), SignatureRules.X402Rules.off());
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
        SignatureTerms login = message("login.example", LOGIN_TYPE);

        Decision unlisted =
                new PolicyEngine().evaluate(evaluation().signature(login).build());
        Decision listed = new PolicyEngine()
                .evaluate(evaluation()
                        .signature(login)
                        .signatureRules(listing(new SignatureRules.AllowedMessage(
                                "login.example",
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                "Login",
                                LOGIN_TYPE)))
                        .build());

        assertThat(unlisted.verdict()).isEqualTo(Verdict.DENY);
        assertThat(unlisted.reasons()).extracting(Reason::rule).containsExactly(RuleId.TYPED_DATA_NOT_ALLOWED);
        assertThat(unlisted.reasons().getFirst().message())
                .as("the refusal says exactly what to list")
                .contains(LOGIN_TYPE)
                .contains("{name=login.example}");
        assertThat(listed.verdict()).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void aListedMessageMatchesItsWholeDomainAndItsExactType() {
        Address contract = Address.parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
        SignatureRules rules = listing(new SignatureRules.AllowedMessage(
                "login.example", Optional.of("1"), Optional.of(CHAIN), Optional.of(contract), "Login", LOGIN_TYPE));

        SignatureTerms exact = message(
                domain("login.example", Optional.of("1"), Optional.of(8453L), Optional.of(contract)), LOGIN_TYPE);
        assertThat(rules.allows(exact)).isTrue();
        for (SignatureTerms lookalike : List.of(
                message(domain("login.example", Optional.of("1"), Optional.of(8453L), Optional.of(TOKEN)), LOGIN_TYPE),
                message(domain("login.example", Optional.of("1"), Optional.of(1L), Optional.of(contract)), LOGIN_TYPE),
                message(
                        domain("login.example", Optional.of("2"), Optional.of(8453L), Optional.of(contract)),
                        LOGIN_TYPE),
                message(
                        domain("login.example", Optional.empty(), Optional.of(8453L), Optional.of(contract)),
                        LOGIN_TYPE),
                message(domain("login.example", Optional.of("1"), Optional.empty(), Optional.of(contract)), LOGIN_TYPE),
                message(domain("login.example", Optional.of("1"), Optional.of(8453L), Optional.empty()), LOGIN_TYPE),
                message(
                        new SignatureTerms.Domain(
                                Optional.of("login.example"),
                                Optional.of("1"),
                                Optional.of(CHAIN),
                                Optional.of(contract),
                                Optional.of("0x" + "00".repeat(32))),
                        LOGIN_TYPE),
                message(
                        domain("login.example", Optional.of("1"), Optional.of(8453L), Optional.of(contract)),
                        "Login(string user,uint256 issuedAt,address spender)"),
                message(
                        domain("other.example", Optional.of("1"), Optional.of(8453L), Optional.of(contract)),
                        LOGIN_TYPE))) {
            assertThat(rules.allows(lookalike))
                    .as(lookalike.domain() + " " + lookalike.encodedType())
                    .isFalse();
        }
    }

    @Test
    void quotesOnlyTheStartOfAnAgentsVeryLongType() {
        String huge = "Blob(" + "uint256 a,".repeat(300) + "uint256 z)";

        List<Reason> reasons = new SignatureRule()
                .check(evaluation().signature(message("blob.example", huge)).build());

        assertThat(reasons).singleElement().satisfies(r -> {
            assertThat(r.message()).contains("…(" + huge.length() + " characters)");
            assertThat(r.message().length()).isLessThan(huge.length());
        });
    }

    @Test
    void deniesALookalikeOfAListedMessageSayingWhatDiffers() {
        Address listedContract = Address.parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
        SignatureTerms lookalike = message(
                domain("Snapshot", Optional.empty(), Optional.of(8453L), Optional.of(TOKEN)), "Vote(uint256 choice)");

        List<Reason> reasons = new SignatureRule()
                .check(evaluation()
                        .signature(lookalike)
                        .signatureRules(listing(new SignatureRules.AllowedMessage(
                                "Snapshot",
                                Optional.empty(),
                                Optional.of(CHAIN),
                                Optional.of(listedContract),
                                "Vote",
                                "Vote(uint256 choice)")))
                        .build());

        assertThat(reasons).singleElement().satisfies(r -> {
            assertThat(r.rule()).isEqualTo(RuleId.TYPED_DATA_NOT_ALLOWED);
            assertThat(r.message()).contains("differs in verifyingContract").doesNotContain("chainId,");
        });
    }

    @Test
    void deniesAPermit2AllowanceThatOutlastsTheLongestValidityWithBothDurations() {
        Evaluation evaluation = evaluation()
                .signature(permit2(NOW.plusSeconds(60), NOW.plus(Duration.ofDays(30))))
                .build();

        List<Reason> reasons = new SignatureRule().check(evaluation);

        assertThat(reasons).singleElement().satisfies(r -> {
            assertThat(r.rule()).isEqualTo(RuleId.SIGNATURE_VALIDITY);
            assertThat(r.message()).contains("allowance").contains("expiration");
            assertThat(r.validity()).contains(new Validity(Duration.ofMinutes(10), Duration.ofDays(30)));
        });
        assertThat(new SignatureRule()
                        .check(evaluation()
                                .signature(permit2(NOW.plusSeconds(60), NOW.plus(Duration.ofMinutes(10))))
                                .build()))
                .isEmpty();
    }

    @Test
    void deniesRefusedTypedDataWhateverThePolicyLists() {
        SignatureTerms refused = transfer(NOW.plusSeconds(60), Optional.empty()).refused("the domain is not USDC's");

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
