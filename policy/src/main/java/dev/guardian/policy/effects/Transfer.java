package dev.guardian.policy.effects;

import dev.guardian.policy.Address;
import dev.guardian.policy.TokenAmount;
import java.util.Objects;
import java.util.Optional;

/**
 * Value moved from one address to another: an ERC-20 Transfer log or a native value move in the call
 * tree. {@code operator} is who made a token move {@code from}'s tokens when it was not {@code from}
 * itself (the {@code msg.sender} of the token call): a spender using an allowance. Empty for a move
 * made by {@code from}, and for native value (only its owner can send it).
 */
public record Transfer(TokenAmount amount, Address from, Address to, Optional<Address> operator) implements Effect {
    public Transfer {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(operator, "operator");
        if (operator.isPresent() && operator.get().equals(from)) {
            operator = Optional.empty();
        }
    }

    /** A move made by {@code from} itself. */
    public Transfer(TokenAmount amount, Address from, Address to) {
        this(amount, from, to, Optional.empty());
    }

    /** Whether a spender moved {@code from}'s tokens with an allowance, rather than {@code from} itself. */
    public boolean byOperator() {
        return operator.isPresent();
    }
}
