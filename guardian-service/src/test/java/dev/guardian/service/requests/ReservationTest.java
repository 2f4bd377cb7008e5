package dev.guardian.service.requests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** A reservation is posted at most at its amount, voided or expired, once; it is never edited. */
class ReservationTest {
    private static final Asset.Erc20 USDC =
            new Asset.Erc20(Address.parse("0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913"), "USDC", 6);
    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");
    private static final Instant LATER = AT.plusSeconds(30);

    private static Reservation pending(String amount) {
        return new Reservation(
                1,
                Optional.of(UUID.randomUUID()),
                Reservation.Purpose.OUTFLOW,
                TokenAmount.parse(USDC, amount),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                AT,
                Optional.empty(),
                Optional.empty());
    }

    private static Reservation settled(Reservation reservation, Reservation.Outcome outcome) {
        return new Reservation(
                reservation.id(),
                reservation.requestId(),
                reservation.purpose(),
                reservation.amount(),
                reservation.counterparty(),
                reservation.allowance(),
                reservation.team(),
                reservation.reservedAt(),
                reservation.replaces(),
                Optional.of(outcome));
    }

    @Test
    void aPendingReservationCountsForItsWholeAmount() {
        Reservation held = pending("10");

        assertThat(held.isPending()).isTrue();
        assertThat(held.counts()).isTrue();
        assertThat(held.counted()).isEqualTo(TokenAmount.parse(USDC, "10"));
    }

    @Test
    void postedAtLessItCountsForWhatReallyLeft() {
        Reservation held = pending("10");

        Reservation posted = settled(held, held.post(TokenAmount.parse(USDC, "7.5"), LATER));

        assertThat(posted.isPending()).isFalse();
        assertThat(posted.counts()).isTrue();
        assertThat(posted.counted()).isEqualTo(TokenAmount.parse(USDC, "7.5"));
        assertThat(posted.outcome()).hasValueSatisfying(o -> {
            assertThat(o.kind()).isEqualTo(Reservation.Kind.POSTED);
            assertThat(o.at()).isEqualTo(LATER);
        });
    }

    @Test
    void isNeverPostedAtMoreThanItHeld() {
        Reservation held = pending("10");

        assertThatThrownBy(() -> held.post(TokenAmount.parse(USDC, "10.000001"), LATER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at most");
        assertThat(held.post(TokenAmount.parse(USDC, "10"), LATER).postedUnits())
                .contains(BigInteger.valueOf(10_000_000));
    }

    @Test
    void isPostedInItsOwnAssetOnly() {
        assertThatThrownBy(() -> pending("1").post(TokenAmount.parse(Asset.ether(), "1"), LATER))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void voidedOrExpiredItNoLongerCounts() {
        Reservation held = pending("10");

        assertThat(settled(held, held.voided(LATER)).counts()).isFalse();
        assertThat(settled(held, held.expired(LATER)).counts()).isFalse();
    }

    @Test
    void isSettledOnceWhateverTheSecondAttempt() {
        Reservation held = pending("10");
        Reservation voided = settled(held, held.voided(LATER));

        assertThatThrownBy(() -> voided.post(TokenAmount.parse(USDC, "1"), LATER))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("settled once");
        assertThatThrownBy(() -> voided.voided(LATER)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> voided.expired(LATER)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anOutcomeCannotClaimMoreThanThePendingAmountNorAnAmountWithoutPosting() {
        Reservation held = pending("1");

        assertThatThrownBy(() -> settled(
                        held,
                        new Reservation.Outcome(
                                Reservation.Kind.POSTED, Optional.of(BigInteger.valueOf(1_000_001)), LATER)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Reservation.Outcome(Reservation.Kind.VOIDED, Optional.of(BigInteger.ONE), LATER))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Reservation.Outcome(Reservation.Kind.POSTED, Optional.empty(), LATER))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
