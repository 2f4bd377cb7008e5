package dev.guardian.policy.rules;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.Hex;
import dev.guardian.policy.TokenAmount;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * The call the wallet makes, exactly as it would be signed: the contract (or account) called, the native
 * value sent, and the calldata. Empty calldata is a plain value transfer; anything else runs code the
 * contract allowlist must know.
 */
public record WalletCall(Address to, TokenAmount value, byte[] data) {
    public WalletCall {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(data, "data");
        if (!(value.asset() instanceof Asset.Native)) {
            throw new IllegalArgumentException("a call's value is the chain's native coin");
        }
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    /** The 4-byte function selector, when the calldata has one. */
    public Optional<Selector> selector() {
        return data.length >= Selector.LENGTH
                ? Optional.of(Selector.of(Arrays.copyOf(data, Selector.LENGTH)))
                : Optional.empty();
    }

    public boolean hasCalldata() {
        return data.length > 0;
    }

    /** The calldata's {@code index}-th 32-byte word after the selector, when it has one. */
    public Optional<byte[]> argumentWord(int index) {
        int from = Selector.LENGTH + 32 * index;
        return index >= 0 && data.length >= from + 32
                ? Optional.of(Arrays.copyOfRange(data, from, from + 32))
                : Optional.empty();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WalletCall that
                && to.equals(that.to)
                && value.equals(that.value)
                && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(to, value, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "WalletCall[to=" + to + ", value=" + value + ", data=" + Hex.encode(data) + "]";
    }
}
