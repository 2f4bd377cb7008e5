package dev.guardian.service.requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.policy.Address;
import dev.guardian.policy.AgentId;
import dev.guardian.policy.TxHash;
import dev.guardian.policy.decision.Verdict;
import dev.guardian.service.requests.RequestLifecycle.ReservationChange;
import dev.guardian.service.requests.RequestLifecycle.Transition;
import dev.guardian.service.requests.RequestLifecycle.Trigger;
import dev.guardian.service.signatures.OnChainUse;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The request lifecycle as a table: every legal and every illegal transition, with no database. */
class RequestLifecycleTest {
    private static final TxHash HASH = TxHash.of(new byte[32]);
    private static final Address WALLET = Address.parse("0x00000000000000000000000000000000000000a1");

    /** One event of each trigger. */
    static final Map<Trigger, RequestEvent> SAMPLES = samples();

    private static Map<Trigger, RequestEvent> samples() {
        Map<Trigger, RequestEvent> samples = new EnumMap<>(Trigger.class);
        Instant deadline = Instant.parse("2026-12-02T00:00:00Z");
        samples.put(Trigger.ALLOWED, decided(Verdict.ALLOW));
        samples.put(Trigger.TREASURY_ACCEPTED, treasuryDecided(Verdict.ALLOW));
        samples.put(Trigger.ESCALATED, decided(Verdict.ESCALATE));
        samples.put(Trigger.DENIED, decided(Verdict.DENY));
        samples.put(Trigger.VOTED, new RequestEvent.ApprovalVoted("alice", "fine", 1, 2));
        RequestEvent.Resimulated same = new RequestEvent.Resimulated(Optional.of(List.of()), Optional.empty());
        samples.put(
                Trigger.APPROVED, new RequestEvent.Approved(same, Optional.empty(), "v2", Optional.empty(), List.of()));
        samples.put(
                Trigger.RECHECK_FAILED,
                new RequestEvent.ApprovalRecheckFailed(
                        same, Optional.empty(), "v2", Optional.empty(), List.of(), "no"));
        samples.put(Trigger.REJECTED, new RequestEvent.Rejected("bob", "no", 0, 1));
        samples.put(Trigger.EXPIRED, new RequestEvent.ApprovalExpired(deadline, 0));
        samples.put(
                Trigger.SIGNED,
                new RequestEvent.Signed(WALLET, 0, HASH, 60_000, BigInteger.TWO, BigInteger.ONE, new byte[] {1}));
        samples.put(Trigger.SIGNING_FAILED, new RequestEvent.SigningFailed("agent was frozen"));
        samples.put(Trigger.SUBMITTED, new RequestEvent.Submitted(HASH, 0, Optional.empty()));
        samples.put(Trigger.BROADCAST_UNANSWERED, new RequestEvent.BroadcastUnanswered(HASH, 0, "timeout"));
        samples.put(Trigger.REFUSED_BY_NODE, new RequestEvent.RefusedByNode(HASH, 0, "insufficient funds"));
        samples.put(
                Trigger.REPLACED,
                new RequestEvent.Replaced(
                        HASH, HASH, 0, 60_000, BigInteger.TEN, BigInteger.ONE, new byte[] {2}, "not mined in time"));
        samples.put(
                Trigger.CANCELLATION_SIGNED,
                new RequestEvent.CancellationSigned(
                        HASH, HASH, 0, BigInteger.TEN, BigInteger.ONE, new byte[] {2}, "agent was frozen"));
        samples.put(Trigger.CANCELLED, new RequestEvent.Cancelled(HASH, 8, 21_000, BigInteger.TEN));
        samples.put(Trigger.CONFIRMED, new RequestEvent.Confirmed(HASH, 7, 21_000, BigInteger.TEN, List.of()));
        samples.put(
                Trigger.DIVERGED,
                new RequestEvent.Diverged(
                        new AgentId("bot"),
                        WALLET,
                        HASH,
                        7,
                        21_000,
                        BigInteger.TEN,
                        List.of(),
                        List.of(),
                        List.of("an allowance was left")));
        samples.put(
                Trigger.TREASURY_DIVERGED,
                new RequestEvent.Diverged(
                        new AgentId("bot"),
                        WALLET,
                        HASH,
                        7,
                        21_000,
                        BigInteger.TEN,
                        List.of(),
                        List.of(),
                        List.of("the sweep moved funds elsewhere"),
                        Optional.of(RequestKind.TREASURY_SWEEP)));
        samples.put(Trigger.REVERTED, new RequestEvent.Reverted(HASH, 7, 21_000, BigInteger.TEN));
        samples.put(Trigger.SUPERSEDED, new RequestEvent.Superseded(HASH, 0, 1));
        samples.put(
                Trigger.AUTHORIZATION_SIGNED,
                new RequestEvent.TypedDataSigned(
                        WALLET,
                        "0x01",
                        new byte[65],
                        Optional.of(new OnChainUse.Eip2612(WALLET, WALLET, BigInteger.ZERO, deadline))));
        samples.put(
                Trigger.MESSAGE_SIGNED,
                new RequestEvent.TypedDataSigned(WALLET, "0x02", new byte[65], Optional.empty()));
        samples.put(
                Trigger.AUTHORIZATION_USED,
                new RequestEvent.AuthorizationUsed(Optional.of(HASH), 9, Optional.empty(), "AuthorizationUsed"));
        samples.put(Trigger.AUTHORIZATION_LAPSED, new RequestEvent.AuthorizationLapsed(deadline, 9, deadline));
        samples.put(
                Trigger.AUTHORIZATION_CANCELLED,
                new RequestEvent.AuthorizationCancelled(UUID.randomUUID(), Optional.of(HASH), 9, "agent frozen"));
        return samples;
    }

    private static RequestEvent.Decided decided(Verdict verdict) {
        boolean escalated = verdict == Verdict.ESCALATE;
        return new RequestEvent.Decided(
                new AgentId("bot"),
                WALLET,
                Optional.empty(),
                "v1",
                Optional.empty(),
                verdict,
                List.of(),
                escalated ? Optional.of(1) : Optional.empty(),
                escalated ? Optional.of(Instant.EPOCH) : Optional.empty(),
                Map.of(),
                Optional.empty());
    }

    private static RequestEvent.Decided treasuryDecided(Verdict verdict) {
        return RequestEvent.Decided.treasury(
                RequestKind.TREASURY_REVOKE,
                new AgentId("bot"),
                WALLET,
                Optional.empty(),
                verdict,
                List.of(),
                Optional.empty());
    }

    /** The intended lifecycle, written out by hand: what the table must say. */
    private static final Map<Trigger, Expected> INTENDED = Map.ofEntries(
            Map.entry(Trigger.ALLOWED, new Expected(Set.of(), RequestStatus.ALLOWED, ReservationChange.HOLD)),
            Map.entry(Trigger.TREASURY_ACCEPTED, new Expected(Set.of(), RequestStatus.ALLOWED, ReservationChange.NONE)),
            Map.entry(
                    Trigger.ESCALATED, new Expected(Set.of(), RequestStatus.PENDING_APPROVAL, ReservationChange.HOLD)),
            Map.entry(Trigger.DENIED, new Expected(Set.of(), RequestStatus.DENIED, ReservationChange.NONE)),
            Map.entry(Trigger.VOTED, pending(RequestStatus.PENDING_APPROVAL, ReservationChange.NONE)),
            Map.entry(Trigger.APPROVED, pending(RequestStatus.APPROVED, ReservationChange.RENEW)),
            Map.entry(Trigger.RECHECK_FAILED, pending(RequestStatus.FAILED, ReservationChange.VOID)),
            Map.entry(Trigger.REJECTED, pending(RequestStatus.REJECTED, ReservationChange.VOID)),
            Map.entry(Trigger.EXPIRED, pending(RequestStatus.EXPIRED, ReservationChange.VOID)),
            Map.entry(Trigger.SIGNED, readyToSign(RequestStatus.SIGNED, ReservationChange.NONE)),
            Map.entry(Trigger.SIGNING_FAILED, readyToSign(RequestStatus.FAILED, ReservationChange.VOID)),
            Map.entry(
                    Trigger.SUBMITTED,
                    new Expected(Set.of(RequestStatus.SIGNED), RequestStatus.SUBMITTED, ReservationChange.NONE)),
            Map.entry(
                    Trigger.BROADCAST_UNANSWERED,
                    new Expected(Set.of(RequestStatus.SIGNED), RequestStatus.SIGNED, ReservationChange.NONE)),
            // A node's refusal is not final: a load-balanced provider's other node may have taken the
            // transaction and it may be mined, so the request stays in flight (SIGNED: no node is known to
            // hold it) with its reservation, whether the refusal came first or after a node had accepted it.
            // It used to fail the request and release the reservation, which let money move unbudgeted.
            Map.entry(Trigger.REFUSED_BY_NODE, inFlight(RequestStatus.SIGNED, ReservationChange.NONE)),
            Map.entry(Trigger.REPLACED, inFlight(RequestStatus.SIGNED, ReservationChange.RAISE_FEE)),
            Map.entry(Trigger.CANCELLATION_SIGNED, inFlight(RequestStatus.SIGNED, ReservationChange.NONE)),
            Map.entry(Trigger.CANCELLED, inFlight(RequestStatus.FAILED, ReservationChange.CHARGE_FEE)),
            Map.entry(Trigger.CONFIRMED, inFlight(RequestStatus.CONFIRMED, ReservationChange.POST)),
            Map.entry(Trigger.DIVERGED, inFlight(RequestStatus.DIVERGED, ReservationChange.CHARGE_ACTUAL)),
            Map.entry(Trigger.TREASURY_DIVERGED, inFlight(RequestStatus.DIVERGED, ReservationChange.NONE)),
            Map.entry(Trigger.REVERTED, inFlight(RequestStatus.FAILED, ReservationChange.CHARGE_FEE)),
            Map.entry(Trigger.SUPERSEDED, inFlight(RequestStatus.FAILED, ReservationChange.VOID)),
            Map.entry(Trigger.AUTHORIZATION_SIGNED, readyToSign(RequestStatus.AUTHORIZED, ReservationChange.NONE)),
            Map.entry(Trigger.MESSAGE_SIGNED, readyToSign(RequestStatus.CONFIRMED, ReservationChange.POST)),
            Map.entry(Trigger.AUTHORIZATION_USED, authorized(RequestStatus.CONFIRMED, ReservationChange.POST)),
            Map.entry(Trigger.AUTHORIZATION_LAPSED, authorized(RequestStatus.EXPIRED, ReservationChange.VOID)),
            Map.entry(Trigger.AUTHORIZATION_CANCELLED, authorized(RequestStatus.FAILED, ReservationChange.VOID)));

    private record Expected(Set<RequestStatus> from, RequestStatus to, ReservationChange reservation) {}

    private static Expected pending(RequestStatus to, ReservationChange reservation) {
        return new Expected(Set.of(RequestStatus.PENDING_APPROVAL), to, reservation);
    }

    private static Expected readyToSign(RequestStatus to, ReservationChange reservation) {
        return new Expected(Set.of(RequestStatus.ALLOWED, RequestStatus.APPROVED), to, reservation);
    }

    private static Expected authorized(RequestStatus to, ReservationChange reservation) {
        return new Expected(Set.of(RequestStatus.AUTHORIZED), to, reservation);
    }

    private static Expected inFlight(RequestStatus to, ReservationChange reservation) {
        return new Expected(Set.of(RequestStatus.SIGNED, RequestStatus.SUBMITTED), to, reservation);
    }

    /** Every trigger against every state, and against a request not yet recorded. */
    static Stream<Arguments> everyTriggerInEveryState() {
        List<Arguments> cases = new ArrayList<>();
        for (Trigger trigger : Trigger.values()) {
            cases.add(Arguments.of(trigger, Optional.empty()));
            for (RequestStatus state : RequestStatus.values()) {
                cases.add(Arguments.of(trigger, Optional.of(state)));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} from {1}")
    @MethodSource("everyTriggerInEveryState")
    void movesExactlyAsIntendedOrIsIllegal(Trigger trigger, Optional<RequestStatus> from) {
        Expected intended = INTENDED.get(trigger);
        boolean legal =
                from.map(intended.from()::contains).orElse(intended.from().isEmpty());

        Transition transition = RequestLifecycle.next(from, SAMPLES.get(trigger));

        if (legal) {
            assertThat(transition).isInstanceOfSatisfying(Transition.Moves.class, moves -> {
                assertThat(moves.from()).isEqualTo(from);
                assertThat(moves.to()).isEqualTo(intended.to());
                assertThat(moves.reservation()).isEqualTo(intended.reservation());
                assertThat(moves.event()).isSameAs(SAMPLES.get(trigger));
            });
        } else {
            assertThat(transition).isInstanceOfSatisfying(Transition.Illegal.class, illegal -> {
                assertThat(illegal.from()).isEqualTo(from);
                assertThat(illegal.trigger()).isEqualTo(trigger);
                assertThat(illegal.why()).contains(trigger.name());
            });
        }
    }

    @Test
    void theTableHasALineForEveryTriggerAndEveryEventHasATrigger() {
        assertThat(RequestLifecycle.table().keySet()).containsExactlyInAnyOrder(Trigger.values());
        assertThat(SAMPLES.keySet()).containsExactlyInAnyOrder(Trigger.values());
        Set<Class<?>> sampled = SAMPLES.values().stream().map(Object::getClass).collect(Collectors.toSet());
        assertThat(sampled)
                .as("a sample of every kind of event")
                .containsExactlyInAnyOrder(RequestEvent.class.getPermittedSubclasses());
    }

    @ParameterizedTest
    @EnumSource(
            value = RequestStatus.class,
            names = {"DENIED", "REJECTED", "EXPIRED", "CONFIRMED", "FAILED", "DIVERGED"})
    void aFinalStateHasNoWayOut(RequestStatus finalState) {
        assertThat(finalState.isFinal()).isTrue();
        for (RequestEvent event : SAMPLES.values()) {
            assertThat(RequestLifecycle.next(finalState, event))
                    .as("%s from %s", event.trigger(), finalState)
                    .isInstanceOf(Transition.Illegal.class);
        }
    }

    @Test
    void everyStateButTheFinalOnesCanBeLeftAndEveryStateCanBeReached() {
        Set<RequestStatus> left = RequestLifecycle.table().values().stream()
                .flatMap(row -> row.from().stream())
                .collect(Collectors.toSet());
        Set<RequestStatus> reached = RequestLifecycle.table().values().stream()
                .map(RequestLifecycle.Row::to)
                .collect(Collectors.toSet());

        assertThat(reached).containsExactlyInAnyOrder(RequestStatus.values());
        assertThat(left)
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(RequestStatus.values())
                        .filter(s -> !s.isFinal())
                        .toList());
    }

    @Test
    void aDecisionStartsARequestByItsVerdictAndNothingElseDoes() {
        assertThat(RequestLifecycle.table().entrySet().stream()
                        .filter(e -> e.getValue().starts())
                        .map(Map.Entry::getKey))
                .containsExactlyInAnyOrder(
                        Trigger.ALLOWED, Trigger.TREASURY_ACCEPTED, Trigger.ESCALATED, Trigger.DENIED);
        assertThat(decided(Verdict.ESCALATE).trigger()).isEqualTo(Trigger.ESCALATED);
        assertThat(treasuryDecided(Verdict.ALLOW).trigger()).isEqualTo(Trigger.TREASURY_ACCEPTED);
        assertThat(treasuryDecided(Verdict.DENY).trigger()).isEqualTo(Trigger.DENIED);
        assertThat(RequestLifecycle.next(RequestStatus.ALLOWED, decided(Verdict.ALLOW)))
                .as("a recorded request is never decided again")
                .isInstanceOf(Transition.Illegal.class);
    }

    @Test
    void onlyAnEscalationCarriesAQuorumAndADeadline() {
        assertThatThrownBy(() -> new RequestEvent.Decided(
                        new AgentId("bot"),
                        WALLET,
                        Optional.empty(),
                        "v1",
                        Optional.empty(),
                        Verdict.ALLOW,
                        List.of(),
                        Optional.of(2),
                        Optional.of(Instant.EPOCH),
                        Map.of(),
                        Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RequestEvent.Decided(
                        new AgentId("bot"),
                        WALLET,
                        Optional.empty(),
                        "v1",
                        Optional.empty(),
                        Verdict.ESCALATE,
                        List.of(),
                        Optional.empty(),
                        Optional.empty(),
                        Map.of(),
                        Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTreasuryActionIsNeverEscalatedAndReservesNothing() {
        assertThatThrownBy(() -> treasuryDecided(Verdict.ESCALATE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RequestEvent.Decided(
                        new AgentId("bot"),
                        WALLET,
                        Optional.empty(),
                        RequestEvent.Decided.TREASURY_CHECK,
                        Optional.empty(),
                        Verdict.ALLOW,
                        List.of(),
                        Optional.empty(),
                        Optional.empty(),
                        Map.of("USDC", "1000000"),
                        Optional.empty(),
                        Optional.of(RequestKind.TREASURY_SWEEP)))
                .as("a treasury action holds nothing against the agent's budgets")
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RequestEvent.Decided(
                        new AgentId("bot"),
                        WALLET,
                        Optional.empty(),
                        RequestEvent.Decided.TREASURY_CHECK,
                        Optional.empty(),
                        Verdict.ALLOW,
                        List.of(),
                        Optional.empty(),
                        Optional.empty(),
                        Map.of(),
                        Optional.empty(),
                        Optional.of(RequestKind.PAYMENT)))
                .as("a payment is the agent's own")
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(SAMPLES.get(Trigger.TREASURY_DIVERGED).trigger()).isEqualTo(Trigger.TREASURY_DIVERGED);
    }

    @Test
    void anIllegalTransitionSaysWhatWasTriedAndFromWhereItWouldHaveApplied() {
        Transition.Illegal illegal = (Transition.Illegal)
                RequestLifecycle.next(RequestStatus.PENDING_APPROVAL, SAMPLES.get(Trigger.CONFIRMED));

        assertThat(illegal.why())
                .isEqualTo("CONFIRMED cannot happen to a request that is PENDING_APPROVAL; only to one that is SIGNED,"
                        + " SUBMITTED");
    }
}
