package dev.guardian.policy;

import static dev.guardian.policy.TestData.ETH;
import static dev.guardian.policy.TestData.USDC;
import static dev.guardian.policy.TestData.unlimited;
import static dev.guardian.policy.TestData.usdc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenAmountTest {

    @ParameterizedTest
    @CsvSource({"12.50, 12500000", "12.5, 12500000", "0, 0", "0.000001, 1", "1000000, 1000000000000", "007, 7000000"})
    void parsesWholeUnitsIntoSmallestUnits(String decimal, long units) {
        assertThat(TokenAmount.parse(USDC, decimal)).isEqualTo(TokenAmount.ofUnits(USDC, units));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0000001", "-1", "+1", "1e3", " 1", "1 ", "", "1.", ".5", "1,5", "0x10", "NaN"})
    void rejectsTextThatIsNotAPlainAmountOfUsdc(String decimal) {
        assertThatThrownBy(() -> TokenAmount.parse(USDC, decimal)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acceptsTrailingZerosBeyondTheAssetsDecimals() {
        assertThat(TokenAmount.parse(USDC, "1.00000000")).isEqualTo(usdc("1"));
    }

    @Test
    void parsesTheSmallestUnitOfEther() {
        assertThat(TokenAmount.parse(ETH, "0.000000000000000001").units()).isEqualTo(BigInteger.ONE);
    }

    @Test
    void writesPlainDecimalsWithoutExponentOrTrailingZeros() {
        assertThat(usdc("12.50").toDecimalString()).isEqualTo("12.5");
        assertThat(usdc("0").toDecimalString()).isEqualTo("0");
        assertThat(usdc("1000000").toDecimalString()).isEqualTo("1000000");
        assertThat(usdc("0.000001").toDecimalString()).isEqualTo("0.000001");
        assertThat(usdc("12.50")).hasToString("12.5 USDC");
    }

    @Test
    void addsAndSubtractsWithinOneAsset() {
        assertThat(usdc("480").plus(usdc("30"))).isEqualTo(usdc("510"));
        assertThat(usdc("500").minus(usdc("480"))).isEqualTo(usdc("20"));
        assertThat(usdc("480").minusOrZero(usdc("500"))).isEqualTo(usdc("0"));
    }

    @Test
    void throwsInsteadOfWrappingPast2To256() {
        assertThatThrownBy(() -> unlimited(USDC).plus(TokenAmount.ofUnits(USDC, 1)))
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void throwsInsteadOfGoingBelowZero() {
        assertThatThrownBy(() -> usdc("1").minus(usdc("1.000001"))).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> new TokenAmount(USDC, BigInteger.valueOf(-1))).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void refusesToMixAssets() {
        assertThatThrownBy(() -> usdc("1").plus(TestData.eth("1"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> usdc("1").minus(TestData.eth("1"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> usdc("1").exceeds(TestData.eth("1"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void comparesAmountsOfOneAsset() {
        assertThat(usdc("30").exceeds(usdc("20"))).isTrue();
        assertThat(usdc("20").exceeds(usdc("20"))).isFalse();
        assertThat(usdc("0").isZero()).isTrue();
    }
}
