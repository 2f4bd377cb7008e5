package dev.guardian.service.chain;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The exact call Guardian would sign, minus nonce, fees and gas. {@code value} is ETH ({@link Asset.Native})
 * in wei; {@code data} is the calldata (empty for a plain value transfer).
 */
public record ContractCall(Address from, Address to, TokenAmount value, byte[] data) {
    public ContractCall {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(data, "data");
        if (!(value.asset() instanceof Asset.Native)) {
            throw new IllegalArgumentException("a call's value is the chain's native coin, not "
                    + value.asset().symbol());
        }
        data = data.clone();
    }

    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ContractCall that
                && from.equals(that.from)
                && to.equals(that.to)
                && value.equals(that.value)
                && Arrays.equals(data, that.data);
    }

    @Override
    public int hashCode() {
        return Objects.hash(from, to, value, Arrays.hashCode(data));
    }

    @Override
    public String toString() {
        return "ContractCall[from=" + from + ", to=" + to + ", value=" + value + ", data=0x"
                + HexFormat.of().formatHex(data) + "]";
    }
}
