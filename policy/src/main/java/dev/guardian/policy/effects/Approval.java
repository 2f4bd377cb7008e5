package dev.guardian.policy.effects;

import dev.guardian.policy.Address;
import dev.guardian.policy.TokenAmount;
import java.math.BigInteger;
import java.util.Objects;

/**
 * An allowance set by {@code owner} for {@code spender}: the power to move that much of the owner's
 * tokens later. {@code amount} is the allowance from now on (an ERC-20 Approval event carries the new
 * value, not an increment); zero revokes it.
 */
public record Approval(TokenAmount amount, Address owner, Address spender, Kind kind) implements Effect {
    /**
     * Which allowance: an ERC-20 allowance of the token itself, an allowance held by Uniswap's Permit2
     * contract, or an operator of all of the owner's tokens (ERC-721/1155 {@code setApprovalForAll},
     * ERC-777 and ERC-6909 operators), which has no amount: granting it is unlimited.
     */
    public enum Kind {
        ERC20,
        PERMIT2,
        OPERATOR
    }

    /** Allowances this large (2^255 and above) are, for every purpose, unlimited. */
    public static final BigInteger UNLIMITED = BigInteger.TWO.pow(255);

    /**
     * Permit2 keeps allowances in a uint160, and one of {@code type(uint160).max} is never decremented
     * (AllowanceTransfer's {@code _transfer}): the unlimited allowance of Permit2, as 2^256-1 is of an ERC-20
     * token. Like {@link #UNLIMITED}, half the range and above counts as unlimited.
     */
    public static final BigInteger UNLIMITED_PERMIT2 = BigInteger.TWO.pow(159);

    /** {@code type(uint160).max}, what a Permit2 client sends for "unlimited". */
    public static final BigInteger MAX_UINT160 = BigInteger.TWO.pow(160).subtract(BigInteger.ONE);

    public Approval {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(spender, "spender");
        Objects.requireNonNull(kind, "kind");
    }

    /** An ERC-20 allowance of the token itself. */
    public Approval(TokenAmount amount, Address owner, Address spender) {
        this(amount, owner, spender, Kind.ERC20);
    }

    public boolean revokes() {
        return amount.isZero();
    }

    /** Whether the allowance is, for every purpose, unlimited: by its kind's measure (see {@link #UNLIMITED_PERMIT2}). */
    public boolean unlimited() {
        return amount.units().compareTo(kind == Kind.PERMIT2 ? UNLIMITED_PERMIT2 : UNLIMITED) >= 0;
    }
}
