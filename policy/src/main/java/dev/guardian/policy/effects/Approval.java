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

    public boolean unlimited() {
        return amount.units().compareTo(UNLIMITED) >= 0;
    }
}
