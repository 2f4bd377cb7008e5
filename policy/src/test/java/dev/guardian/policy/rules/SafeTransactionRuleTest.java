package dev.guardian.policy.rules;

import static dev.guardian.policy.TestData.MERCHANT;
import static dev.guardian.policy.TestData.STRANGER;
import static dev.guardian.policy.TestData.WALLET;
import static dev.guardian.policy.TestData.address;
import static dev.guardian.policy.rules.EvaluationBuilder.evaluation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.TestData;
import dev.guardian.policy.decision.Decision;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.decision.Verdict;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The hard rules of a co-signed Safe: each denies on its own, whatever the policy allows. */
class SafeTransactionRuleTest {
    private static final Address USDC = TestData.USDC.contract();
    private static final Address GUARD = address(0x61);
    private static final Address MULTI_SEND = address(0x62);
    private static final Address AGENT_OWNER = address(0x63);
    private static final Selector TRANSFER = Selector.ofSignature("transfer(address,uint256)");
    private static final Selector ADD_OWNER = Selector.ofSignature("addOwnerWithThreshold(address,uint256)");

    private static SafeTerms payment() {
        return new SafeTerms(
                WALLET,
                GUARD,
                MULTI_SEND,
                false,
                USDC,
                List.of(new SafeTerms.InnerCall(USDC, Optional.of(TRANSFER))),
                Optional.empty(),
                List.of(),
                BigInteger.valueOf(3),
                BigInteger.valueOf(3),
                AGENT_OWNER,
                Optional.of(AGENT_OWNER),
                Optional.empty());
    }

    private static List<Reason> reasons(SafeTerms terms) {
        return new SafeTransactionRule().check(evaluation().safe(terms).build());
    }

    private static List<RuleId> rules(SafeTerms terms) {
        return reasons(terms).stream().map(Reason::rule).toList();
    }

    @Test
    void addsNothingToAPaymentTheAgentSignedAtTheSafesNonce() {
        assertThat(reasons(payment())).isEmpty();
    }

    @Test
    void addsNothingToARequestThatIsNoSafeTransaction() {
        assertThat(new SafeTransactionRule().check(evaluation().build())).isEmpty();
    }

    @Test
    void deniesASignatureByAnyoneButTheAgentsOwnerKey() {
        SafeTerms p = payment();
        SafeTerms stranger = new SafeTerms(
                p.safe(),
                p.guard(),
                p.multiSend(),
                false,
                p.to(),
                p.calls(),
                Optional.empty(),
                List.of(),
                p.nonce(),
                p.safeNonce(),
                AGENT_OWNER,
                Optional.of(STRANGER),
                Optional.empty());
        SafeTerms nobody = new SafeTerms(
                p.safe(),
                p.guard(),
                p.multiSend(),
                false,
                p.to(),
                p.calls(),
                Optional.empty(),
                List.of(),
                p.nonce(),
                p.safeNonce(),
                AGENT_OWNER,
                Optional.empty(),
                Optional.empty());
        assertThat(rules(stranger)).containsExactly(RuleId.SAFE_SIGNATURE_NOT_AGENT_OWNER);
        assertThat(rules(nobody)).containsExactly(RuleId.SAFE_SIGNATURE_NOT_AGENT_OWNER);
        assertThat(reasons(stranger).getFirst().message()).contains(STRANGER.toString(), AGENT_OWNER.toString());
    }

    @Test
    void deniesDelegateCallToAnythingButMultiSendCallOnly() {
        SafeTerms p = payment();
        SafeTerms elsewhere = new SafeTerms(
                p.safe(),
                p.guard(),
                p.multiSend(),
                true,
                MERCHANT,
                List.of(new SafeTerms.InnerCall(MERCHANT, Optional.empty())),
                Optional.empty(),
                List.of(),
                p.nonce(),
                p.safeNonce(),
                AGENT_OWNER,
                Optional.of(AGENT_OWNER),
                Optional.empty());
        SafeTerms batch = new SafeTerms(
                p.safe(),
                p.guard(),
                p.multiSend(),
                true,
                MULTI_SEND,
                p.calls(),
                Optional.empty(),
                List.of(),
                p.nonce(),
                p.safeNonce(),
                AGENT_OWNER,
                Optional.of(AGENT_OWNER),
                Optional.empty());
        assertThat(rules(elsewhere)).containsExactly(RuleId.SAFE_DELEGATECALL_NOT_ALLOWED);
        assertThat(rules(batch)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void deniesEveryCallToTheSafeItselfOrItsGuardEvenInsideABatch(boolean toTheSafe) {
        SafeTerms p = payment();
        Address target = toTheSafe ? WALLET : GUARD;
        SafeTerms change = new SafeTerms(
                p.safe(),
                p.guard(),
                p.multiSend(),
                true,
                MULTI_SEND,
                List.of(p.calls().getFirst(), new SafeTerms.InnerCall(target, Optional.of(ADD_OWNER))),
                Optional.empty(),
                List.of(),
                p.nonce(),
                p.safeNonce(),
                AGENT_OWNER,
                Optional.of(AGENT_OWNER),
                Optional.empty());
        assertThat(rules(change)).containsExactly(RuleId.SAFE_SETUP_CHANGE_NOT_ALLOWED);
        assertThat(reasons(change).getFirst().message()).contains(ADD_OWNER.toString());
    }

    @Test
    void deniesGasRefundsAStaleNonceAMalformedBatchAndASafeNoLongerAsCreated_allAtOnce() {
        SafeTerms p = payment();
        SafeTerms everything = new SafeTerms(
                p.safe(),
                p.guard(),
                p.multiSend(),
                true,
                MULTI_SEND,
                List.of(),
                Optional.of("entry at 0 is truncated"),
                List.of("gasPrice", "refundReceiver"),
                BigInteger.TWO,
                BigInteger.valueOf(3),
                AGENT_OWNER,
                Optional.of(AGENT_OWNER),
                Optional.of("its guard is 0x00"));
        List<Reason> reasons = reasons(everything);
        assertThat(reasons)
                .extracting(Reason::rule)
                .containsExactly(
                        RuleId.SAFE_MULTISEND_MALFORMED,
                        RuleId.SAFE_GAS_REFUND_NOT_ALLOWED,
                        RuleId.SAFE_NONCE_NOT_CURRENT,
                        RuleId.SAFE_SETUP_NOT_AS_CREATED);
        assertThat(reasons).extracting(Reason::verdict).containsOnly(Verdict.DENY);
        assertThat(reasons.get(1).message()).contains("gasPrice, refundReceiver");
        assertThat(reasons.get(2).message()).contains("nonce 2", "nonce is 3");
    }

    @Test
    void theEngineDeniesWhenAHardRuleFires() {
        SafeTerms p = payment();
        SafeTerms stale = new SafeTerms(
                p.safe(),
                p.guard(),
                p.multiSend(),
                false,
                p.to(),
                p.calls(),
                Optional.empty(),
                List.of(),
                BigInteger.ONE,
                p.safeNonce(),
                AGENT_OWNER,
                Optional.of(AGENT_OWNER),
                Optional.empty());
        Decision decision = new PolicyEngine().evaluate(evaluation().safe(stale).build());
        assertThat(decision.verdict()).isEqualTo(Verdict.DENY);
        assertThat(decision.reasons()).extracting(Reason::rule).contains(RuleId.SAFE_NONCE_NOT_CURRENT);
    }
}
