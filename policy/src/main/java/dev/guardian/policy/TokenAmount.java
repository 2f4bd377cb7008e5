package dev.guardian.policy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Objects;

/**
 * An amount of one asset in its smallest unit (USDC: millionths, ETH: wei). Never negative, never
 * above the EVM's 2^256-1, and arithmetic throws instead of wrapping or mixing assets. Decimal text
 * exists only at the edges: {@link #parse} and {@link #toDecimalString()}.
 */
public record TokenAmount(Asset asset, BigInteger units) implements Comparable<TokenAmount> {
    public static final BigInteger MAX_UINT256 = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

    public TokenAmount {
        Objects.requireNonNull(asset, "asset");
        Objects.requireNonNull(units, "units");
        if (units.signum() < 0) {
            throw new ArithmeticException("an amount cannot be negative");
        }
        if (units.compareTo(MAX_UINT256) > 0) {
            throw new ArithmeticException("an amount cannot exceed 2^256-1 units");
        }
    }

    public static TokenAmount zero(Asset asset) {
        return new TokenAmount(asset, BigInteger.ZERO);
    }

    public static TokenAmount ofUnits(Asset asset, long units) {
        return new TokenAmount(asset, BigInteger.valueOf(units));
    }

    /**
     * Parses a whole-unit decimal such as {@code "12.50"} into smallest units. Rejects signs,
     * exponents, more decimal places than the asset has, and anything that is not a plain number.
     */
    public static TokenAmount parse(Asset asset, String decimal) {
        if (decimal == null || !decimal.matches("[0-9]{1,78}(\\.[0-9]{1,36})?")) {
            throw new IllegalArgumentException("an amount is a plain decimal number such as 12.50");
        }
        BigDecimal value = new BigDecimal(decimal);
        if (value.stripTrailingZeros().scale() > asset.decimals()) {
            throw new IllegalArgumentException(
                    asset.symbol() + " has " + asset.decimals() + " decimal places; " + decimal + " has more");
        }
        return new TokenAmount(asset, value.movePointRight(asset.decimals()).toBigIntegerExact());
    }

    public TokenAmount plus(TokenAmount other) {
        return new TokenAmount(asset, units.add(sameAsset(other).units));
    }

    public TokenAmount minus(TokenAmount other) {
        BigInteger difference = units.subtract(sameAsset(other).units);
        if (difference.signum() < 0) {
            throw new ArithmeticException("subtracting " + other + " from " + this + " would go below zero");
        }
        return new TokenAmount(asset, difference);
    }

    /** {@code this - other}, or zero where other is larger: "what is left" of a limit. */
    public TokenAmount minusOrZero(TokenAmount other) {
        return compareTo(other) <= 0 ? zero(asset) : minus(other);
    }

    public boolean isZero() {
        return units.signum() == 0;
    }

    public boolean exceeds(TokenAmount other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(TokenAmount other) {
        return units.compareTo(sameAsset(other).units);
    }

    /** Whole units as a plain decimal, e.g. {@code 12.5} for 12 500 000 USDC units; no exponent. */
    public String toDecimalString() {
        return new BigDecimal(units, asset.decimals()).stripTrailingZeros().toPlainString();
    }

    @Override
    public String toString() {
        return toDecimalString() + " " + asset.symbol();
    }

    private TokenAmount sameAsset(TokenAmount other) {
        if (!asset.equals(other.asset)) {
            throw new IllegalArgumentException("cannot combine " + asset.symbol() + " with " + other.asset.symbol());
        }
        return other;
    }
}
