package dev.guardian.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class TokenAmountProperties {

    @Property
    void parsingWhatWasPrintedGivesBackTheSameAmount(
            @ForAll("units") BigInteger units, @ForAll @IntRange(min = 0, max = 36) int decimals) {
        Asset asset = new Asset.Native("COIN", decimals);
        TokenAmount amount = new TokenAmount(asset, units);

        String printed = amount.toDecimalString();

        assertThat(printed).matches("[0-9]+(\\.[0-9]*[1-9])?");
        assertThat(TokenAmount.parse(asset, printed)).isEqualTo(amount);
    }

    @Provide
    Arbitrary<BigInteger> units() {
        return Arbitraries.oneOf(
                Arbitraries.bigIntegers().between(BigInteger.ZERO, TokenAmount.MAX_UINT256),
                Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.valueOf(10_000_000)),
                Arbitraries.of(BigInteger.ZERO, BigInteger.ONE, BigInteger.TEN, TokenAmount.MAX_UINT256));
    }
}
