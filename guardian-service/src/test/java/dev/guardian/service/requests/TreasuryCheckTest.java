package dev.guardian.service.requests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.decision.Decision;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.policy.effects.Approval;
import dev.guardian.policy.effects.Effect;
import dev.guardian.policy.effects.SimulatedEffects;
import dev.guardian.policy.effects.Transfer;
import dev.guardian.policy.effects.UnknownEvent;
import dev.guardian.policy.rules.ScreeningResult;
import dev.guardian.service.audit.Actor;
import dev.guardian.service.chain.Simulation;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The narrow check that judges treasury actions: exactly what the action says, and nothing more. */
class TreasuryCheckTest {
    private static final Address WALLET = address(0xa1);
    private static final Address SPENDER = address(0xb2);
    private static final Address OTHER = address(0xc3);
    private static final Address SWEEP = address(0xd4);
    private static final Asset.Erc20 USDC = new Asset.Erc20(address(0xe5), "USDC", 6);
    private static final Actor TESS = Actor.person("tess");
    private static final String EVENT = "0x" + "ab".repeat(32);

    private static final TreasuryAction.Revocation REVOKE =
            new TreasuryAction.Revocation(USDC, SPENDER, Approval.Kind.ERC20, TESS, "incident");

    @Test
    void aRevocationThatOnlyLowersTheNamedAllowanceToZeroIsAccepted() {
        Decision decision = TreasuryCheck.revocation(
                REVOKE, WALLET, succeeded(new Approval(usdc("0"), WALLET, SPENDER, Approval.Kind.ERC20)));

        assertThat(decision.verdict()).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void aRevocationThatMovesValueOrTouchesAnotherAllowanceOrEmitsAnUnknownEventIsRefused() {
        Approval revoked = new Approval(usdc("0"), WALLET, SPENDER, Approval.Kind.ERC20);

        assertThat(rules(TreasuryCheck.revocation(
                        REVOKE, WALLET, succeeded(revoked, new Transfer(usdc("5"), WALLET, SPENDER)))))
                .containsExactly(RuleId.TREASURY_REVOCATION_EFFECTS);
        assertThat(rules(TreasuryCheck.revocation(
                        REVOKE,
                        WALLET,
                        succeeded(revoked, new Approval(usdc("5"), WALLET, OTHER, Approval.Kind.ERC20)))))
                .containsExactly(RuleId.TREASURY_REVOCATION_EFFECTS);
        assertThat(rules(TreasuryCheck.revocation(
                        REVOKE, WALLET, succeeded(revoked, new UnknownEvent(USDC.contract(), EVENT, 1)))))
                .containsExactly(RuleId.TREASURY_REVOCATION_EFFECTS);
    }

    @Test
    void aRevocationThatLowersNothingOrOnlyPartlyOrAnotherKindIsRefused() {
        assertThat(rules(TreasuryCheck.revocation(REVOKE, WALLET, succeeded())))
                .containsExactly(RuleId.TREASURY_REVOCATION_EFFECTS);
        assertThat(rules(TreasuryCheck.revocation(
                        REVOKE, WALLET, succeeded(new Approval(usdc("1"), WALLET, SPENDER, Approval.Kind.ERC20)))))
                .as("lowered, but not to zero")
                .contains(RuleId.TREASURY_REVOCATION_EFFECTS);
        assertThat(rules(TreasuryCheck.revocation(
                        REVOKE, WALLET, succeeded(new Approval(usdc("0"), WALLET, SPENDER, Approval.Kind.PERMIT2)))))
                .as("a Permit2 allowance is not the ERC-20 one named")
                .contains(RuleId.TREASURY_REVOCATION_EFFECTS);
    }

    @Test
    void aRevertOrAnUnreadableTraceIsTheSameDenialAsForAgents() {
        assertThat(rules(TreasuryCheck.revocation(REVOKE, WALLET, new Simulation.Reverted("not a token"))))
                .containsExactly(RuleId.SIMULATION_REVERTED);
        assertThat(rules(TreasuryCheck.sweep(sweep("10"), WALLET, new Simulation.Undecodable("too big"), clean())))
                .containsExactly(RuleId.SIMULATION_UNDECODABLE);
    }

    @Test
    void aSweepThatMovesExactlyTheAmountToTheSweepAddressIsAcceptedEvenWithTheSweepAddressesOwnEvent() {
        Decision decision = TreasuryCheck.sweep(
                sweep("10"),
                WALLET,
                succeeded(new Transfer(usdc("10"), WALLET, SWEEP), new UnknownEvent(SWEEP, EVENT, 2)),
                clean());

        assertThat(decision.verdict()).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void aSweepThatMovesElsewhereOrAnotherAmountOrSetsAnAllowanceIsRefused() {
        assertThat(rules(TreasuryCheck.sweep(
                        sweep("10"),
                        WALLET,
                        succeeded(new Transfer(usdc("9"), WALLET, SWEEP), new Transfer(usdc("1"), WALLET, OTHER)),
                        clean())))
                .containsExactly(RuleId.TREASURY_SWEEP_EFFECTS, RuleId.TREASURY_SWEEP_EFFECTS);
        assertThat(rules(TreasuryCheck.sweep(
                        sweep("10"),
                        WALLET,
                        succeeded(new Transfer(usdc("10"), WALLET, SWEEP), new Transfer(usdc("10"), SWEEP, OTHER)),
                        clean())))
                .as("what the sweep address sends on is not the sweep")
                .containsExactly(RuleId.TREASURY_SWEEP_EFFECTS);
        assertThat(rules(TreasuryCheck.sweep(
                        sweep("10"),
                        WALLET,
                        succeeded(
                                new Transfer(usdc("10"), WALLET, SWEEP),
                                new Approval(usdc("10"), WALLET, OTHER, Approval.Kind.ERC20)),
                        clean())))
                .containsExactly(RuleId.TREASURY_SWEEP_EFFECTS);
        assertThat(rules(TreasuryCheck.sweep(
                        sweep("10"),
                        WALLET,
                        succeeded(new Transfer(usdc("10"), WALLET, SWEEP), new UnknownEvent(OTHER, EVENT, 1)),
                        clean())))
                .containsExactly(RuleId.TREASURY_SWEEP_EFFECTS);
    }

    @Test
    void aSweepToASanctionedAddressIsRefused() {
        Optional<ScreeningResult> listed =
                Optional.of(new ScreeningResult(Set.of(WALLET, SWEEP), Set.of(SWEEP), "test-list"));

        Decision decision =
                TreasuryCheck.sweep(sweep("10"), WALLET, succeeded(new Transfer(usdc("10"), WALLET, SWEEP)), listed);

        assertThat(rules(decision)).containsExactly(RuleId.SANCTIONS_HIT);
        assertThat(decision.reasons().getFirst().subject()).contains(SWEEP);
    }

    private static TreasuryAction.Sweep sweep(String usdc) {
        return new TreasuryAction.Sweep(usdc(usdc), SWEEP, TESS, "incident");
    }

    private static Optional<ScreeningResult> clean() {
        return Optional.of(new ScreeningResult(Set.of(WALLET, SWEEP), Set.of(), "test-list"));
    }

    private static Simulation succeeded(Effect... effects) {
        return new Simulation.Succeeded(new SimulatedEffects(List.of(effects), Set.of()), 50_000);
    }

    private static List<RuleId> rules(Decision decision) {
        assertThat(decision.verdict()).isEqualTo(decision.reasons().isEmpty() ? Verdict.ALLOW : Verdict.DENY);
        return decision.reasons().stream().map(Reason::rule).toList();
    }

    private static TokenAmount usdc(String amount) {
        return TokenAmount.parse(USDC, amount);
    }

    private static Address address(int last) {
        byte[] bytes = new byte[20];
        bytes[19] = (byte) last;
        return Address.of(bytes);
    }
}
