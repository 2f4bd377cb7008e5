package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.effects.Approval;
import java.math.BigInteger;
import java.util.Objects;

/**
 * What a request does to an allowance the wallet already holds, applied to its exposure once the request
 * is mined: {@code used} of it became money moved (posted), {@code released} of it was lowered or revoked
 * (voided). {@code asset} is the asset's key as reservations store it.
 */
public record AllowanceChange(String asset, Address spender, Approval.Kind kind, BigInteger used, BigInteger released) {
    public AllowanceChange {
        Objects.requireNonNull(asset, "asset");
        Objects.requireNonNull(spender, "spender");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(used, "used");
        Objects.requireNonNull(released, "released");
        if (used.signum() < 0 || released.signum() < 0) {
            throw new IllegalArgumentException("an allowance change is not negative");
        }
    }
}
