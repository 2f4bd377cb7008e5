package dev.guardian.policy.rules;

import static dev.guardian.policy.TestData.DEX_ROUTER;
import static dev.guardian.policy.TestData.MERCHANT;
import static dev.guardian.policy.TestData.STRANGER;
import static dev.guardian.policy.TestData.USDC;
import static dev.guardian.policy.TestData.WALLET;
import static dev.guardian.policy.TestData.address;
import static dev.guardian.policy.rules.EvaluationBuilder.NOW;
import static dev.guardian.policy.rules.EvaluationBuilder.evaluation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.decision.Verdict;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Default deny for code: a call with calldata names a listed contract, function and arguments, or escalates. */
class ContractAllowlistRuleTest {
    private static final Address VAULT = address(0x7a);
    private static final ContractEntry.Function WITHDRAW_TO_PAYEE = new ContractEntry.Function(
            FunctionSignature.parse("withdrawTo(address,uint256,address)"),
            List.of(
                    new ArgumentCondition(2, new ArgumentCondition.Payee()),
                    new ArgumentCondition(1, new ArgumentCondition.AtMost(BigInteger.valueOf(100_000_000)))));
    private static final ContractEntry VAULT_ENTRY = ContractEntry.of("vault", List.of(WITHDRAW_TO_PAYEE), List.of());

    private final Rule rule = new ContractAllowlistRule();

    static byte[] word(Address address) {
        byte[] word = new byte[32];
        System.arraycopy(address.toBytes(), 0, word, 12, 20);
        return word;
    }

    static byte[] word(long value) {
        byte[] word = new byte[32];
        byte[] bytes = BigInteger.valueOf(value).toByteArray();
        System.arraycopy(bytes, 0, word, 32 - bytes.length, bytes.length);
        return word;
    }

    private EvaluationBuilder withdrawTo(Address receiver, long units) {
        return evaluation()
                .contract(VAULT, VAULT_ENTRY)
                .calls(
                        VAULT,
                        "withdrawTo(address,uint256,address)",
                        word(USDC.contract()),
                        word(units),
                        word(receiver));
    }

    @Test
    void aPlainValueTransferNeedsNoEntry() {
        assertThat(rule.check(evaluation().build())).isEmpty();
    }

    @Test
    void escalatesACallToAContractNotListed() {
        List<Reason> reasons = rule.check(
                evaluation().calls(STRANGER, "claim(address)", word(STRANGER)).build());

        assertThat(reasons).singleElement().satisfies(reason -> {
            assertThat(reason.rule()).isEqualTo(RuleId.CONTRACT_NOT_ALLOWLISTED);
            assertThat(reason.verdict()).isEqualTo(Verdict.ESCALATE);
            assertThat(reason.subject()).contains(STRANGER);
        });
    }

    @Test
    void deniesItInsteadWhenThePolicySaysSo() {
        assertThat(rule.check(evaluation()
                        .outsideContracts(Verdict.DENY)
                        .calls(STRANGER, "claim(address)", word(STRANGER))
                        .build()))
                .singleElement()
                .satisfies(reason -> assertThat(reason.verdict()).isEqualTo(Verdict.DENY));
    }

    @Test
    void escalatesAFunctionTheEntryDoesNotList() {
        List<Reason> reasons = rule.check(evaluation()
                .contract(VAULT, VAULT_ENTRY)
                .calls(VAULT, "setOperator(address,bool)", word(STRANGER), word(1))
                .build());

        assertThat(reasons).singleElement().satisfies(reason -> {
            assertThat(reason.rule()).isEqualTo(RuleId.FUNCTION_NOT_ALLOWLISTED);
            assertThat(reason.message())
                    .contains("withdrawTo(address,uint256,address)")
                    .contains("vault");
        });
    }

    @Test
    void calldataShorterThanASelectorIsNoListedFunction() {
        assertThat(rule.check(evaluation()
                        .contract(VAULT, VAULT_ENTRY)
                        .calls(new WalletCall(VAULT, TokenAmount.zero(Asset.ether()), new byte[] {1, 2}))
                        .build()))
                .extracting(Reason::rule)
                .containsExactly(RuleId.FUNCTION_NOT_ALLOWLISTED);
    }

    @Test
    void passesAListedFunctionWhoseArgumentsKeepTheirRules() {
        assertThat(rule.check(withdrawTo(MERCHANT, 100_000_000).build())).isEmpty();
        assertThat(rule.check(withdrawTo(WALLET, 1).build()))
                .as("back to the wallet itself")
                .isEmpty();
    }

    @Test
    void escalatesEachArgumentThatBreaksItsRule() {
        List<Reason> reasons = rule.check(withdrawTo(STRANGER, 100_000_001).build());

        assertThat(reasons)
                .extracting(Reason::rule)
                .containsOnly(RuleId.ARGUMENT_NOT_ALLOWED)
                .hasSize(2);
        assertThat(reasons.get(0).message())
                .contains("argument 2")
                .contains(STRANGER.toString())
                .contains("payee");
        assertThat(reasons.get(1).message())
                .contains("argument 1")
                .contains("100000001")
                .contains("at most 100000000");
    }

    @Test
    void aContractThroughWhichMoneyPassesOrAnExpiredEntryIsNoPayee() {
        AllowlistEntry router = new AllowlistEntry("router", AllowlistEntry.Kind.CONTRACT, Optional.empty(), List.of());
        AllowlistEntry expired = new AllowlistEntry("old", Optional.of(NOW.minus(Duration.ofDays(1))), List.of());

        assertThat(rule.check(withdrawTo(DEX_ROUTER, 1)
                        .allowlisted(DEX_ROUTER, router)
                        .build()))
                .extracting(Reason::rule)
                .containsExactly(RuleId.ARGUMENT_NOT_ALLOWED);
        assertThat(rule.check(
                        withdrawTo(STRANGER, 1).allowlisted(STRANGER, expired).build()))
                .extracting(Reason::rule)
                .containsExactly(RuleId.ARGUMENT_NOT_ALLOWED);
    }

    @Test
    void aWordWithUpperBytesSetIsNoAddressAndAMissingArgumentBreaksItsRule() {
        byte[] dirty = word(MERCHANT);
        dirty[0] = 1;
        assertThat(rule.check(evaluation()
                        .contract(VAULT, VAULT_ENTRY)
                        .calls(VAULT, "withdrawTo(address,uint256,address)", word(USDC.contract()), word(1), dirty)
                        .build()))
                .singleElement()
                .satisfies(reason -> assertThat(reason.message()).contains("not an address"));
        assertThat(rule.check(evaluation()
                        .contract(VAULT, VAULT_ENTRY)
                        .calls(VAULT, "withdrawTo(address,uint256,address)", word(USDC.contract()))
                        .build()))
                .extracting(Reason::message)
                .allSatisfy(message -> assertThat(message).contains("missing"));
    }

    @Test
    void thisSpenderOnly() {
        ContractEntry token = ContractEntry.of(
                "USDC",
                List.of(new ContractEntry.Function(
                        FunctionSignature.parse("approve(address,uint256)"),
                        List.of(new ArgumentCondition(0, new ArgumentCondition.OneOf(Set.of(DEX_ROUTER)))))),
                List.of());

        assertThat(rule.check(evaluation()
                        .contract(USDC.contract(), token)
                        .calls(USDC.contract(), "approve(address,uint256)", word(DEX_ROUTER), word(5))
                        .build()))
                .isEmpty();
        assertThat(rule.check(evaluation()
                        .contract(USDC.contract(), token)
                        .calls(USDC.contract(), "approve(address,uint256)", word(STRANGER), word(5))
                        .build()))
                .extracting(Reason::rule)
                .containsExactly(RuleId.ARGUMENT_NOT_ALLOWED);
    }

    @Test
    void judgesEveryApprovalOfAPermit2BatchNotOnlyTheFirst() {
        Address permit2 = address(0x22);
        String approve = "approve(address,address,uint160,uint48)";
        ContractEntry entry = ContractEntry.of(
                "Permit2",
                List.of(new ContractEntry.Function(
                        FunctionSignature.parse(approve),
                        List.of(
                                new ArgumentCondition(0, new ArgumentCondition.OneOf(Set.of(USDC.contract()))),
                                new ArgumentCondition(
                                        2, new ArgumentCondition.AtMost(BigInteger.valueOf(5_000_000)))))),
                List.of());
        EvaluationBuilder first = evaluation()
                .contract(permit2, entry)
                .calls(permit2, approve, word(USDC.contract()), word(DEX_ROUTER), word(1_000_000), word(0));
        WalletCall otherToken = call(permit2, approve, word(STRANGER), word(DEX_ROUTER), word(1_000_000), word(0));
        WalletCall tooMuch = call(permit2, approve, word(USDC.contract()), word(DEX_ROUTER), word(90_000_000), word(0));

        List<Reason> alone = rule.check(first.build());
        List<Reason> batch =
                rule.check(first.signature(batch(List.of(otherToken, tooMuch))).build());

        assertThat(alone).isEmpty();
        assertThat(batch)
                .extracting(Reason::rule)
                .containsExactly(RuleId.ARGUMENT_NOT_ALLOWED, RuleId.ARGUMENT_NOT_ALLOWED);
        assertThat(batch.get(0).message())
                .startsWith("argument 0 (address) of " + approve)
                .contains(STRANGER.toString());
        assertThat(batch.get(1).message())
                .startsWith("argument 2 (uint160) of " + approve)
                .contains("is 90000000");
    }

    private static WalletCall call(Address contract, String signature, byte[]... words) {
        byte[] data = new byte[4 + 32 * words.length];
        System.arraycopy(FunctionSignature.parse(signature).selector().toBytes(), 0, data, 0, 4);
        for (int i = 0; i < words.length; i++) {
            System.arraycopy(words[i], 0, data, 4 + 32 * i, 32);
        }
        return new WalletCall(contract, TokenAmount.zero(Asset.ether()), data);
    }

    private static SignatureTerms batch(List<WalletCall> furtherCalls) {
        return new SignatureTerms(
                SignatureTerms.Standard.PERMIT2_ALLOWANCE,
                Optional.empty(),
                SignatureTerms.Domain.named("Permit2"),
                "PermitBatch",
                "PermitBatch(PermitDetails[] details,address spender,uint256 sigDeadline)"
                        + "PermitDetails(address token,uint160 amount,uint48 expiration,uint48 nonce)",
                Optional.of(NOW.plusSeconds(60)),
                Optional.empty(),
                furtherCalls,
                Optional.empty());
    }

    @Test
    void aRegisteredTokenLetsItsOwnTransferAndApproveThroughAndNothingElse() {
        ContractEntry usdc = ContractEntry.erc20("USDC");

        assertThat(rule.check(evaluation()
                        .contract(USDC.contract(), usdc)
                        .calls(USDC.contract(), "transfer(address,uint256)", word(STRANGER), word(5))
                        .build()))
                .isEmpty();
        assertThat(rule.check(evaluation()
                        .contract(USDC.contract(), usdc)
                        .calls(
                                USDC.contract(),
                                "transferFrom(address,address,uint256)",
                                word(WALLET),
                                word(STRANGER),
                                word(5))
                        .build()))
                .extracting(Reason::rule)
                .containsExactly(RuleId.FUNCTION_NOT_ALLOWLISTED);
    }

    @Test
    void anArgumentRuleMustFitItsParameter() {
        FunctionSignature signature = FunctionSignature.parse("f(address,bytes,uint256)");

        assertThatThrownBy(() -> new ContractEntry.Function(
                        signature, List.of(new ArgumentCondition(1, new ArgumentCondition.Payee()))))
                .hasMessageContaining("cannot be");
        assertThatThrownBy(() -> new ContractEntry.Function(
                        signature, List.of(new ArgumentCondition(0, new ArgumentCondition.AtMost(BigInteger.ONE)))))
                .hasMessageContaining("cannot be");
        assertThatThrownBy(() -> new ContractEntry.Function(
                        signature, List.of(new ArgumentCondition(3, new ArgumentCondition.Wallet()))))
                .hasMessageContaining("no argument 3");
    }
}
