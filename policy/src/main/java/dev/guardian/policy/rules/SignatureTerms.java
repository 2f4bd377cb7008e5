package dev.guardian.policy.rules;

import dev.guardian.policy.Address;
import dev.guardian.policy.TokenAmount;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a typed-data signature is, as the rules read it besides its effects: which standard Guardian
 * recognised it as (or why it recognised none), the EIP-712 domain and type it names, until when someone
 * else can use it, and, for an x402 payment, the resource and the price it was quoted for. The effects (the
 * transfer or allowances the signature authorises) are judged like those of a transaction.
 *
 * @param domain       the typed data's EIP-712 domain, every field it carries
 * @param primaryType  the name of the struct signed
 * @param encodedType  the primary type's EIP-712 encoding ({@code encodeType}: the struct with every struct
 *                     it references, field for field): what a listed message must match exactly
 * @param validUntil   the last instant at which the signature can be used on chain (EIP-3009 {@code validBefore},
 *                     a permit's deadline); empty for a message that is never used on chain
 * @param grantedUntil the last instant at which what the signature grants can be used, when that can outlast
 *                     the signature itself: a Permit2 allowance's {@code expiration} (the latest of a batch);
 *                     empty otherwise. Bounded like {@code validUntil}, because a short signature that grants a
 *                     year-long allowance is a year-long grant.
 * @param furtherCalls the calls the signature is equivalent to besides the evaluation's own call: for a Permit2
 *                     {@code PermitBatch}, Permit2's {@code approve} of every detail after the first. The contract
 *                     rules judge each as they judge the call; empty for every other signature.
 */
public record SignatureTerms(
        Standard standard,
        Optional<String> refusal,
        Domain domain,
        String primaryType,
        String encodedType,
        Optional<Instant> validUntil,
        Optional<Instant> grantedUntil,
        List<WalletCall> furtherCalls,
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

    /**
     * An EIP-712 domain as the typed data carries it: each of the standard's fields it has, and only those.
     *
     * @param salt lower-case {@code 0x} hex of the 32-byte salt
     */
    public record Domain(
            Optional<String> name,
            Optional<String> version,
            Optional<BigInteger> chainId,
            Optional<Address> verifyingContract,
            Optional<String> salt) {
        public Domain {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(chainId, "chainId");
            Objects.requireNonNull(verifyingContract, "verifyingContract");
            Objects.requireNonNull(salt, "salt");
        }

        /** A domain of a name alone. */
        public static Domain named(String name) {
            return new Domain(
                    Optional.of(name), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        }

        /** As people read it, with the fields it has: {@code {name=login.example, chainId=8453}}. */
        @Override
        public String toString() {
            List<String> fields = new ArrayList<>();
            name.ifPresent(n -> fields.add("name=" + n));
            version.ifPresent(v -> fields.add("version=" + v));
            chainId.ifPresent(c -> fields.add("chainId=" + c));
            verifyingContract.ifPresent(c -> fields.add("verifyingContract=" + c));
            salt.ifPresent(s -> fields.add("salt=" + s));
            return "{" + String.join(", ", fields) + "}";
        }
    }

    /**
     * An x402 payment: the resource it pays for, its origin (scheme, host, port) and the quoted price.
     * The resource and its origin are the agent's assertion (the URL it says it asked for, and the 402
     * answer it says it got); Guardian cannot see the HTTP exchange, so only the payee and the price bind.
     */
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
        Objects.requireNonNull(domain, "domain");
        Objects.requireNonNull(primaryType, "primaryType");
        Objects.requireNonNull(encodedType, "encodedType");
        Objects.requireNonNull(validUntil, "validUntil");
        Objects.requireNonNull(grantedUntil, "grantedUntil");
        Objects.requireNonNull(x402, "x402");
        furtherCalls = List.copyOf(furtherCalls);
        if ((standard == Standard.REFUSED) != refusal.isPresent()) {
            throw new IllegalArgumentException("only refused typed data carries a refusal, and it always does");
        }
    }

    /** The domain's name, when it has one. */
    public Optional<String> domainName() {
        return domain.name();
    }

    /** The domain's verifying contract, when it names one. */
    public Optional<Address> verifyingContract() {
        return domain.verifyingContract();
    }

    /** Whether it moves value or grants allowances (so it is watched on chain until used or lapsed). */
    public boolean movesValue() {
        return standard != Standard.MESSAGE && standard != Standard.REFUSED;
    }

    /** The same terms, refused for {@code why}: nothing of it is judged as moving value any more. */
    public SignatureTerms refused(String why) {
        return new SignatureTerms(
                Standard.REFUSED,
                Optional.of(why),
                domain,
                primaryType,
                encodedType,
                Optional.empty(),
                Optional.empty(),
                List.of(),
                x402);
    }

    /** The same terms, for the x402 payment {@code quote} (or none). */
    public SignatureTerms withX402(Optional<X402Quote> quote) {
        return new SignatureTerms(
                standard, refusal, domain, primaryType, encodedType, validUntil, grantedUntil, furtherCalls, quote);
    }
}
