package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.Hex;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.rules.SignatureTerms;
import dev.guardian.service.safe.SafeTransaction;
import dev.guardian.signer.Eip712;
import dev.guardian.signer.TypedData;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an agent asked for, already validated. Only a description: policy judges what the simulation
 * says the resulting transaction would do, never this.
 */
public sealed interface AgentRequest extends RequestDescription
        permits AgentRequest.Payment,
                AgentRequest.ContractCall,
                AgentRequest.SignatureRequest,
                AgentRequest.SafeProposal {

    /** Who sends a co-signed Safe transaction once Guardian has co-signed it. */
    enum SafeSubmitter {
        /** Guardian's relayer sends execTransaction; its fee counts in the agent's fee budget. */
        GUARDIAN,
        /** The agent sends it itself with the complete signatures Guardian hands back. */
        AGENT
    }

    /**
     * A Safe transaction the agent proposes for its Safe wallet, with its own EIP-712 SafeTx signature
     * ({@code signature}, 65 bytes r || s || v). Guardian judges what executing it would do, co-signs only
     * then, and sends it from the relayer or hands the signatures back ({@code submitter}).
     */
    record SafeProposal(SafeTransaction transaction, byte[] signature, SafeSubmitter submitter)
            implements AgentRequest {
        public SafeProposal {
            Objects.requireNonNull(transaction, "transaction");
            Objects.requireNonNull(signature, "signature");
            Objects.requireNonNull(submitter, "submitter");
            signature = signature.clone();
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }

        @Override
        public String kind() {
            return RequestKind.SAFE_TRANSACTION.name();
        }

        /** Every signed field, the agent's signature and who sends it: a retry must be all of these again. */
        @Override
        public String canonicalText() {
            SafeTransaction tx = transaction;
            return "safe|" + tx.to().toLowerHex() + "|" + tx.value().units() + "|" + Hex.encode(tx.data()) + "|"
                    + tx.operation().code() + "|" + tx.safeTxGas() + "|" + tx.baseGas() + "|" + tx.gasPrice() + "|"
                    + tx.gasToken().toLowerHex() + "|" + tx.refundReceiver().toLowerHex() + "|" + tx.nonce() + "|"
                    + Hex.encode(signature) + "|" + submitter;
        }

        @Override
        public Map<String, String> describe() {
            Map<String, String> described = new LinkedHashMap<>();
            described.put("kind", kind());
            described.put("to", transaction.to().toString());
            described.put(
                    "value",
                    transaction.value().toDecimalString() + " "
                            + transaction.value().asset().symbol());
            described.put("data", Hex.encode(transaction.data()));
            described.put("operation", transaction.operation().name());
            described.put("nonce", transaction.nonce().toString());
            described.put("submit", submitter.name().toLowerCase(Locale.ROOT));
            return described;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof SafeProposal that
                    && transaction.equals(that.transaction)
                    && Arrays.equals(signature, that.signature)
                    && submitter == that.submitter;
        }

        @Override
        public int hashCode() {
            return Objects.hash(transaction, Arrays.hashCode(signature), submitter);
        }

        @Override
        public String toString() {
            return "SafeProposal[" + transaction + ", submitter=" + submitter + "]";
        }
    }

    /**
     * A typed-data signature instead of a transaction: Guardian judges what the typed data would let others
     * do, and signs exactly it ({@link #typedData()}), never a hash the agent computed.
     */
    sealed interface SignatureRequest extends AgentRequest permits TypedDataSignature, X402Payment {
        TypedData typedData();

        /** The x402 payment this signature is, if it is one: the resource and the price it was quoted. */
        Optional<SignatureTerms.X402Quote> x402();
    }

    /** Sign {@code typedData} (EIP-712, as {@code eth_signTypedData_v4} takes it) as the agent gave it. */
    record TypedDataSignature(TypedData typedData) implements SignatureRequest {
        public TypedDataSignature {
            Objects.requireNonNull(typedData, "typedData");
        }

        @Override
        public Optional<SignatureTerms.X402Quote> x402() {
            return Optional.empty();
        }

        @Override
        public String kind() {
            return RequestKind.TYPED_DATA.name();
        }

        /** The EIP-712 digest identifies the typed data: the same digest is the same signature. */
        @Override
        public String canonicalText() {
            return "typed-data|" + Hex.encode(Eip712.digest(typedData));
        }

        @Override
        public Map<String, String> describe() {
            Map<String, String> described = new LinkedHashMap<>();
            described.put("kind", kind());
            described.put("primaryType", typedData.primaryType());
            Optional.ofNullable(typedData.domain().get("name"))
                    .ifPresent(name -> described.put("domain", String.valueOf(name)));
            Optional.ofNullable(typedData.domain().get("verifyingContract"))
                    .ifPresent(contract -> described.put("verifyingContract", String.valueOf(contract)));
            described.put("digest", Hex.encode(Eip712.digest(typedData)));
            return described;
        }
    }

    /**
     * Pay an x402 resource: Guardian chose {@code requirement} of the seller's 402 answer ({@code challenge},
     * as the agent handed it over) and built {@code typedData}, the EIP-3009 authorization that pays it.
     * Identified by what the agent asked for (the resource and the requirement), not by the authorization's
     * random nonce, so that a retry under the same idempotency key is the same request and is never signed twice.
     * The resource (and its origin) is what the agent asserts it asked for: the 402 answer comes from the agent
     * too, so neither is evidence of what was bought; the payee and the price are what the signature binds.
     */
    record X402Payment(
            SignatureTerms.X402Quote quote,
            Address payTo,
            String network,
            int x402Version,
            String challenge,
            TypedData typedData)
            implements SignatureRequest {
        /** The key of the resource URL in what was asked: the agent's assertion, which Guardian cannot check. */
        public static final String ASSERTED_RESOURCE = "assertedResource";

        /** The key of the resource's origin in what was asked, which the policy's x402 origins judge. */
        public static final String ASSERTED_ORIGIN = "assertedOrigin";

        public X402Payment {
            Objects.requireNonNull(quote, "quote");
            Objects.requireNonNull(payTo, "payTo");
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(challenge, "challenge");
            Objects.requireNonNull(typedData, "typedData");
        }

        @Override
        public Optional<SignatureTerms.X402Quote> x402() {
            return Optional.of(quote);
        }

        @Override
        public String kind() {
            return RequestKind.X402_PAYMENT.name();
        }

        @Override
        public String canonicalText() {
            return "x402|" + x402Version + "|" + quote.resourceUrl() + "|" + network + "|"
                    + quote.price().asset().symbol() + "|" + quote.price().units() + "|" + payTo.toLowerHex();
        }

        @Override
        public Map<String, String> describe() {
            Map<String, String> described = new LinkedHashMap<>();
            described.put("kind", kind());
            // The agent's word: Guardian never sees the HTTP exchange, so the names say whose claim they are.
            described.put(ASSERTED_RESOURCE, quote.resourceUrl());
            described.put(ASSERTED_ORIGIN, quote.origin());
            described.put(
                    "price",
                    quote.price().toDecimalString() + " "
                            + quote.price().asset().symbol());
            described.put("payTo", payTo.toString());
            described.put("network", network);
            described.put("x402Version", Integer.toString(x402Version));
            described.put("challenge", challenge);
            described.put("digest", Hex.encode(Eip712.digest(typedData)));
            return described;
        }
    }

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
