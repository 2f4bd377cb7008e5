package dev.guardian.policy.rules;

import dev.guardian.policy.Address;
import dev.guardian.policy.TokenAmount;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a typed-data signature is, as the rules read it besides its effects: which standard Guardian
 * recognised it as (or why it recognised none), the EIP-712 domain and type it names, until when someone
 * else can use it, and, for an x402 payment, the resource and the price it was quoted for. The effects (the
 * transfer or allowances the signature authorises) are judged like those of a transaction.
 *
 * @param validUntil the last instant at which the signature can be used on chain (EIP-3009 {@code validBefore},
 *                   a permit's deadline); empty for a message that is never used on chain
 */
public record SignatureTerms(
        Standard standard,
        Optional<String> refusal,
        Optional<String> domainName,
        Optional<Address> verifyingContract,
        String primaryType,
        Optional<Instant> validUntil,
        Optional<X402Quote> x402) {

    /** The kinds of typed data Guardian recognises, and the one it does not. */
    public enum Standard {
        /** EIP-3009 {@code TransferWithAuthorization}: a transfer anyone may submit. */
        EIP3009_TRANSFER,
        /** EIP-3009 {@code ReceiveWithAuthorization}: a transfer only the payee may submit. */
        EIP3009_RECEIVE,
        /** EIP-2612 {@code Permit}: an ERC-20 allowance granted by signature. */
        EIP2612_PERMIT,
        /** Permit2 {@code PermitSingle} or {@code PermitBatch}: Permit2 allowances granted by signature. */
        PERMIT2_ALLOWANCE,
        /** Permit2 {@code PermitTransferFrom} or {@code PermitWitnessTransferFrom}: one transfer by the spender. */
        PERMIT2_TRANSFER,
        /** A type that moves no value Guardian knows of: signed only if the policy lists its domain and type. */
        MESSAGE,
        /** Typed data Guardian refuses whatever the policy says (see {@code refusal}). */
        REFUSED
    }

    /** An x402 payment: the resource it pays for, its origin (scheme, host, port) and the quoted price. */
    public record X402Quote(String resourceUrl, String origin, TokenAmount price) {
        public X402Quote {
            Objects.requireNonNull(resourceUrl, "resourceUrl");
            Objects.requireNonNull(origin, "origin");
            Objects.requireNonNull(price, "price");
        }
    }

    public SignatureTerms {
        Objects.requireNonNull(standard, "standard");
        Objects.requireNonNull(refusal, "refusal");
        Objects.requireNonNull(domainName, "domainName");
        Objects.requireNonNull(verifyingContract, "verifyingContract");
        Objects.requireNonNull(primaryType, "primaryType");
        Objects.requireNonNull(validUntil, "validUntil");
        Objects.requireNonNull(x402, "x402");
        if ((standard == Standard.REFUSED) != refusal.isPresent()) {
            throw new IllegalArgumentException("only refused typed data carries a refusal, and it always does");
        }
    }

    /** Whether it moves value or grants allowances (so it is watched on chain until used or lapsed). */
    public boolean movesValue() {
        return standard != Standard.MESSAGE && standard != Standard.REFUSED;
    }
}
