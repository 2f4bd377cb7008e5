package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.Hex;
import dev.guardian.policy.TokenAmount;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * What an agent asked for, already validated. Only a description: policy judges what the simulation
 * says the resulting transaction would do, never this.
 */
public sealed interface AgentRequest extends RequestDescription
        permits AgentRequest.Payment, AgentRequest.ContractCall {

    /** Pay {@code amount} of an ERC-20 token to {@code recipient}. */
    record Payment(Address recipient, TokenAmount amount) implements AgentRequest {
        public Payment {
            Objects.requireNonNull(recipient, "recipient");
            Objects.requireNonNull(amount, "amount");
            if (!(amount.asset() instanceof Asset.Erc20)) {
                throw new IllegalArgumentException("a payment moves a known ERC-20 token");
            }
            if (amount.isZero()) {
                throw new IllegalArgumentException("a payment moves more than zero");
            }
        }

        @Override
        public String kind() {
            return RequestKind.PAYMENT.name();
        }

        @Override
        public String canonicalText() {
            return "payment|" + recipient.toLowerHex() + "|" + amount.asset().symbol() + "|" + amount.units();
        }

        @Override
        public Map<String, String> describe() {
            return Map.of(
                    "kind",
                    kind(),
                    "recipient",
                    recipient.toString(),
                    "asset",
                    amount.asset().symbol(),
                    "amount",
                    amount.toDecimalString());
        }
    }

    /** Call a contract with {@code data}, sending {@code value} of the native coin. */
    record ContractCall(Address to, byte[] data, TokenAmount value) implements AgentRequest {
        public ContractCall {
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(value, "value");
            data = data == null ? new byte[0] : data.clone();
            if (!(value.asset() instanceof Asset.Native)) {
                throw new IllegalArgumentException("the value of a contract call is in the native coin");
            }
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public String kind() {
            return RequestKind.CONTRACT_CALL.name();
        }

        @Override
        public String canonicalText() {
            return "call|" + to.toLowerHex() + "|" + Hex.encode(data) + "|" + value.units();
        }

        @Override
        public Map<String, String> describe() {
            return Map.of(
                    "kind",
                    kind(),
                    "to",
                    to.toString(),
                    "data",
                    Hex.encode(data),
                    "value",
                    value.toDecimalString() + " " + value.asset().symbol());
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof ContractCall that
                    && to.equals(that.to)
                    && Arrays.equals(data, that.data)
                    && value.equals(that.value);
        }

        @Override
        public int hashCode() {
            return Objects.hash(to, Arrays.hashCode(data), value);
        }

        @Override
        public String toString() {
            return "ContractCall[to=" + to + ", data=" + Hex.encode(data) + ", value=" + value + "]";
        }
    }
}
