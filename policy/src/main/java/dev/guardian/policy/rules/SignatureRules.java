package dev.guardian.policy.rules;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a policy says of typed-data signatures: how far ahead a signature (or what it grants) may stay
 * usable, which messages that move no value the agent may sign (by EIP-712 domain and type, exactly), and
 * where it may pay by x402.
 * Value-moving signatures are otherwise judged by the same caps, budgets and allowlists as transactions.
 *
 * @param maxValidity the longest a signature may stay usable after it is asked for (EIP-3009 validBefore,
 *                    a permit's deadline), and the longest a Permit2 allowance it grants may last
 *                    ({@code expiration}); ten minutes unless the policy says otherwise
 * @param messages    typed data that moves no value and may be signed: nothing else is
 * @param x402        the resource origins the agent may pay by x402 and the most one request may pay
 */
public record SignatureRules(Duration maxValidity, List<AllowedMessage> messages, X402Rules x402) {
    public static final Duration DEFAULT_MAX_VALIDITY = Duration.ofMinutes(10);

    /**
     * Typed data that moves no value the agent may sign: of exactly this EIP-712 domain and this type. The
     * domain is matched whole: the typed data's domain must carry the fields named here with these values,
     * and no other field (a field left out here must be absent there, and a domain with a {@code salt}
     * never matches), so that a look-alike with another verifying contract, chain or version is not this
     * message. The type is matched by its full encoding, so that a struct of the same name with other
     * fields is not either.
     *
     * @param domainName        the domain's {@code name}, exactly
     * @param version           the domain's {@code version}, when it has one
     * @param chainId           the domain's {@code chainId}, when it has one
     * @param verifyingContract the domain's {@code verifyingContract}, when it has one
     * @param primaryType       the struct signed
     * @param encodedType       its EIP-712 {@code encodeType}, e.g. {@code Login(string user,uint256 issuedAt)}
     */
    public record AllowedMessage(
            String domainName,
            Optional<String> version,
            Optional<BigInteger> chainId,
            Optional<Address> verifyingContract,
            String primaryType,
            String encodedType) {
        public AllowedMessage {
            Objects.requireNonNull(domainName, "domainName");
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(chainId, "chainId");
            Objects.requireNonNull(verifyingContract, "verifyingContract");
            Objects.requireNonNull(primaryType, "primaryType");
            Objects.requireNonNull(encodedType, "encodedType");
            if (!encodedType.startsWith(primaryType + "(")) {
                throw new IllegalArgumentException(
                        "the encoded type " + encodedType + " is not of the primary type " + primaryType);
            }
        }

        /** The domain this entry names, as typed data would carry it. */
        public SignatureTerms.Domain domain() {
            return new SignatureTerms.Domain(
                    Optional.of(domainName), version, chainId, verifyingContract, Optional.empty());
        }

        boolean matches(SignatureTerms terms) {
            return terms.domain().equals(domain()) && terms.encodedType().equals(encodedType);
        }

        /** Whether {@code terms} only looks like this entry: the same domain name and primary type. */
        boolean resembles(SignatureTerms terms) {
            return terms.domainName().filter(domainName::equals).isPresent()
                    && terms.primaryType().equals(primaryType);
        }

        /** What differs between this entry and {@code terms}, for a refusal that says why. */
        String differences(SignatureTerms terms) {
            List<String> differ = new ArrayList<>();
            SignatureTerms.Domain given = terms.domain();
            SignatureTerms.Domain listed = domain();
            if (!given.version().equals(listed.version())) {
                differ.add("version");
            }
            if (!given.chainId().equals(listed.chainId())) {
                differ.add("chainId");
            }
            if (!given.verifyingContract().equals(listed.verifyingContract())) {
                differ.add("verifyingContract");
            }
            if (given.salt().isPresent()) {
                differ.add("salt (a listed domain has none)");
            }
            if (!terms.encodedType().equals(encodedType)) {
                differ.add("type");
            }
            return String.join(", ", differ);
        }
    }

    /**
     * @param origins       resource origins ({@code https://api.example.com}, no path) the agent may pay; none: x402 is off
     * @param maxPerRequest the most one x402 payment may cost, per asset; an asset without one cannot be paid by x402
     */
    public record X402Rules(List<String> origins, Map<Asset, TokenAmount> maxPerRequest) {
        public X402Rules {
            origins = List.copyOf(origins);
            maxPerRequest = Map.copyOf(maxPerRequest);
            maxPerRequest.forEach((asset, max) -> {
                if (!max.asset().equals(asset)) {
                    throw new IllegalArgumentException("the x402 maximum for " + asset + " is in " + max.asset());
                }
            });
        }

        public static X402Rules off() {
            return new X402Rules(List.of(), Map.of());
        }
    }

    public SignatureRules {
        Objects.requireNonNull(maxValidity, "maxValidity");
        Objects.requireNonNull(x402, "x402");
        messages = List.copyOf(messages);
        if (maxValidity.isNegative() || maxValidity.isZero()) {
            throw new IllegalArgumentException("a signature's longest validity is positive");
        }
    }

    /** Ten minutes of validity, no messages, no x402. */
    public static SignatureRules defaults() {
        return new SignatureRules(DEFAULT_MAX_VALIDITY, List.of(), X402Rules.off());
    }

    public boolean allows(SignatureTerms message) {
        return messages.stream().anyMatch(m -> m.matches(message));
    }

    /** A listed message that {@code message} only looks like (same domain name and type name), if any. */
    public Optional<AllowedMessage> resembled(SignatureTerms message) {
        return messages.stream().filter(m -> m.resembles(message)).findFirst();
    }
}
