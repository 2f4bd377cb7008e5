package dev.guardian.policy.effects;

import dev.guardian.policy.Address;
import dev.guardian.policy.TokenAmount;
import java.util.Objects;

/** An ERC-20 allowance set by {@code owner} for {@code spender}: the power to move that much later. */
public record Approval(TokenAmount amount, Address owner, Address spender) implements Effect {
    public Approval {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(spender, "spender");
    }
}
