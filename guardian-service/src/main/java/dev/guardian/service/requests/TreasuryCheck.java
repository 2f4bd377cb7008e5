package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.Hex;
import dev.guardian.policy.Keccak256;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.decision.Decision;
import dev.guardian.policy.decision.Reason;
import dev.guardian.policy.decision.RuleId;
import dev.guardian.policy.effects.Approval;
import dev.guardian.policy.effects.Effect;
import dev.guardian.policy.effects.Transfer;
import dev.guardian.policy.effects.UnknownEvent;
import dev.guardian.policy.rules.ScreeningResult;
import dev.guardian.service.chain.Simulation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The narrow check that judges treasury actions instead of the agent's policy. A treasury action only
 * lowers risk, so the policy's limits, the agent's freeze and the kill switch do not apply to it; what
 * does apply is that its simulated effects are exactly what it says and nothing more:
 *
 * <ul>
 *   <li>a <b>revocation</b> sets the named allowance of the wallet (token, spender, kind) to zero, and
 *       does nothing else: no value moves, no other allowance changes, no event Guardian does not read
 *       ({@code treasury.revocation-effects});
 *   <li>a <b>sweep</b> moves the swept asset from the wallet to the sweep address, exactly the amount
 *       asked for, and nothing else: no other recipient, no onward hop, no allowance, no unknown event but
 *       those the sweep address itself emits on receipt (a multisig's "received" event)
 *       ({@code treasury.sweep-effects}); and no address it touches is on a sanctions list
 *       ({@code sanctions.hit}).
 * </ul>
 *
 * A simulation that reverts or cannot be read is a denial, as for agents ({@code simulation.reverted},
 * {@code simulation.undecodable}). The fee is not an effect: it is judged by nothing, and counts against
 * no budget (docs/treasury.md). Pure: it reads nothing and locks nothing.
 */
final class TreasuryCheck {
    private TreasuryCheck() {}

    static Decision revocation(TreasuryAction.Revocation revocation, Address wallet, Simulation simulation) {
        Optional<Reason> failed = notSucceeded(simulation);
        if (failed.isPresent()) {
            return Decision.of(List.of(failed.get()));
        }
        List<Reason> reasons = new ArrayList<>();
        boolean lowered = false;
        for (Effect effect : ((Simulation.Succeeded) simulation).effects().effects()) {
            switch (effect) {
                case Approval a
                when a.owner().equals(wallet)
                        && a.spender().equals(revocation.spender())
                        && a.kind() == revocation.allowance()
                        && sameToken(a.amount().asset(), revocation.tokenContract())
                        && a.revokes() -> lowered = true;
                case Approval a ->
                    reasons.add(revocationDenied("the call would set another allowance: " + a.kind() + " of "
                                    + a.amount().asset() + " from " + a.owner() + " to " + a.spender() + " at "
                                    + a.amount().units() + " units")
                            .about(a.spender()));
                case Transfer t ->
                    reasons.add(revocationDenied("the call would move " + t.amount() + " from " + t.from() + " to "
                                    + t.to() + "; a revocation moves nothing")
                            .about(t.to()));
                case UnknownEvent u ->
                    reasons.add(revocationDenied("the call would make " + u.emitter() + " emit the event " + u.topic0()
                                    + ", which Guardian does not read")
                            .about(u.emitter()));
            }
        }
        if (!lowered) {
            reasons.add(revocationDenied("the call would not lower the " + revocation.allowance() + " allowance of "
                            + revocation.tokenContract() + " that " + wallet + " gave " + revocation.spender()
                            + " to zero (is " + revocation.tokenContract() + " that token"
                            + (revocation.allowance() == Approval.Kind.PERMIT2 ? ", and Permit2 configured" : "")
                            + "?)")
                    .about(revocation.tokenContract()));
        }
        return Decision.of(reasons);
    }

    static Decision sweep(
            TreasuryAction.Sweep sweep, Address wallet, Simulation simulation, Optional<ScreeningResult> screening) {
        Optional<Reason> failed = notSucceeded(simulation);
        if (failed.isPresent()) {
            return Decision.of(List.of(failed.get()));
        }
        List<Reason> reasons = new ArrayList<>();
        TokenAmount moved = TokenAmount.zero(sweep.amount().asset());
        for (Effect effect : ((Simulation.Succeeded) simulation).effects().effects()) {
            switch (effect) {
                case Transfer t
                when t.from().equals(wallet)
                        && t.to().equals(sweep.to())
                        && t.amount().asset().equals(sweep.amount().asset())
                        && t.operator().isEmpty() -> moved = moved.plus(t.amount());
                case Transfer t ->
                    reasons.add(sweepDenied("the call would move " + t.amount() + " from " + t.from() + " to " + t.to()
                                    + "; a sweep moves " + sweep.amount().asset() + " from " + wallet
                                    + " to the sweep address " + sweep.to() + " only")
                            .about(t.to()));
                case Approval a ->
                    reasons.add(sweepDenied("the call would set an allowance: " + a.kind() + " of "
                                    + a.amount().asset() + " from " + a.owner() + " to " + a.spender())
                            .about(a.spender()));
                case UnknownEvent u when u.emitter().equals(sweep.to()) -> {
                    // The sweep address's own code saying it received the funds (a Safe's SafeReceived): the
                    // sweep address is the organisation's, configured by its operator.
                }
                case UnknownEvent u ->
                    reasons.add(sweepDenied("the call would make " + u.emitter() + " emit the event " + u.topic0()
                                    + ", which Guardian does not read")
                            .about(u.emitter()));
            }
        }
        if (!moved.equals(sweep.amount())) {
            reasons.add(sweepDenied("the call would move " + moved + " from " + wallet + " to the sweep address "
                    + sweep.to() + ", not the " + sweep.amount() + " asked for"));
        }
        screening.ifPresent(s -> s.hits().stream()
                .sorted()
                .forEach(hit -> reasons.add(
                        Reason.deny(RuleId.SANCTIONS_HIT, hit + " is on the sanctions list (" + s.listVersion() + ")")
                                .about(hit))));
        return Decision.of(reasons);
    }

    /** The token's {@code AuthorizationCanceled(address indexed authorizer, bytes32 indexed nonce)}. */
    static final String AUTHORIZATION_CANCELED_TOPIC =
            Hex.encode(Keccak256.hash("AuthorizationCanceled(address,bytes32)".getBytes(StandardCharsets.US_ASCII)));

    /**
     * A cancellation of an EIP-3009 authorization: its call must do nothing but make the token emit
     * {@code AuthorizationCanceled}: no value moved, no allowance set, no other event.
     */
    static Decision cancellation(TreasuryAction.Cancellation cancellation, Simulation simulation) {
        Optional<Reason> failed = notSucceeded(simulation);
        if (failed.isPresent()) {
            return Decision.of(List.of(failed.get()));
        }
        List<Reason> reasons = new ArrayList<>();
        boolean cancelled = false;
        for (Effect effect : ((Simulation.Succeeded) simulation).effects().effects()) {
            switch (effect) {
                case UnknownEvent u
                when u.emitter().equals(cancellation.token()) && u.topic0().equals(AUTHORIZATION_CANCELED_TOPIC) ->
                    cancelled = true;
                case UnknownEvent u ->
                    reasons.add(cancellationDenied("the call would make " + u.emitter() + " emit the event "
                            + u.topic0() + "; a cancellation emits only the token's AuthorizationCanceled"));
                case Transfer t ->
                    reasons.add(cancellationDenied(
                            "the call would move " + t.amount() + " from " + t.from() + " to " + t.to()));
                case Approval a ->
                    reasons.add(cancellationDenied("the call would set an allowance: " + a.kind() + " of "
                            + a.amount().asset() + " from " + a.owner() + " to " + a.spender()));
            }
        }
        if (!cancelled) {
            reasons.add(cancellationDenied("the call would not cancel the authorization"));
        }
        return Decision.of(reasons);
    }

    /**
     * The creation of a Safe wallet: its call must move nothing and set no allowance, and only the factory, the
     * new Safe and the guard may emit events (the proxy's creation, the Safe's setup, the guard's configuration).
     */
    static Decision safeCreation(TreasuryAction.SafeCreation creation, Address guard, Simulation simulation) {
        Optional<Reason> failed = notSucceeded(simulation);
        if (failed.isPresent()) {
            return Decision.of(List.of(failed.get()));
        }
        List<Reason> reasons = new ArrayList<>();
        for (Effect effect : ((Simulation.Succeeded) simulation).effects().effects()) {
            switch (effect) {
                case UnknownEvent u
                when u.emitter().equals(creation.factory())
                        || u.emitter().equals(creation.safe())
                        || u.emitter().equals(guard) -> {}
                case UnknownEvent u ->
                    reasons.add(Reason.deny(
                            RuleId.TREASURY_SAFE_CREATION_EFFECTS,
                            "the creation would make " + u.emitter() + " emit the event " + u.topic0()
                                    + "; only the factory, the new Safe and its guard take part"));
                case Transfer t ->
                    reasons.add(Reason.deny(
                            RuleId.TREASURY_SAFE_CREATION_EFFECTS,
                            "the creation would move " + t.amount() + " from " + t.from() + " to " + t.to()));
                case Approval a ->
                    reasons.add(Reason.deny(
                            RuleId.TREASURY_SAFE_CREATION_EFFECTS,
                            "the creation would set an allowance of "
                                    + a.amount().asset() + " from " + a.owner() + " to " + a.spender()));
            }
        }
        return Decision.of(reasons);
    }

    private static Reason cancellationDenied(String message) {
        return Reason.deny(RuleId.TREASURY_CANCELLATION_EFFECTS, message);
    }

    private static Optional<Reason> notSucceeded(Simulation simulation) {
        return switch (simulation) {
            case Simulation.Succeeded s -> Optional.empty();
            case Simulation.Reverted r ->
                Optional.of(Reason.deny(RuleId.SIMULATION_REVERTED, "the transaction would revert: " + r.reason()));
            case Simulation.Undecodable u -> Optional.of(Reason.deny(RuleId.SIMULATION_UNDECODABLE, u.reason()));
        };
    }

    private static boolean sameToken(Asset asset, Address contract) {
        return switch (asset) {
            case Asset.Erc20 token -> token.contract().equals(contract);
            case Asset.UnknownToken token -> token.contract().equals(contract);
            case Asset.Native coin -> false;
        };
    }

    private static Reason revocationDenied(String message) {
        return Reason.deny(RuleId.TREASURY_REVOCATION_EFFECTS, message);
    }

    private static Reason sweepDenied(String message) {
        return Reason.deny(RuleId.TREASURY_SWEEP_EFFECTS, message);
    }
}
