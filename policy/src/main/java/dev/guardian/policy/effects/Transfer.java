package dev.guardian.policy.effects;

import dev.guardian.policy.Address;
import dev.guardian.policy.TokenAmount;
import java.util.Objects;

/** Value moved from one address to another: an ERC-20 Transfer log or a native value move in the call tree. */
public record Transfer(TokenAmount amount, Address from, Address to) implements Effect {
    public Transfer {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
    }
}
