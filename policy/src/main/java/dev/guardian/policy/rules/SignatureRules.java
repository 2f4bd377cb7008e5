package dev.guardian.policy.rules;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.TokenAmount;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a policy says of typed-data signatures: how far ahead a signature may stay usable, which messages
 * that move no value the agent may sign (by EIP-712 domain and type), and where it may pay by x402.
 * Value-moving signatures are otherwise judged by the same caps, budgets and allowlists as transactions.
 *
 * @param maxValidity the longest a signature may stay usable after it is asked for (EIP-3009 validBefore,
 *                    a permit's deadline); ten minutes unless the policy says otherwise
 * @param messages    typed data that moves no value and may be signed: nothing else is
 * @param x402        the resource origins the agent may pay by x402 and the most one request may pay
 */
public record SignatureRules(Duration maxValidity, List<AllowedMessage> messages, X402Rules x402) {
    public static final Duration DEFAULT_MAX_VALIDITY = Duration.ofMinutes(10);

    /** Typed data of domain {@code domainName} (and {@code verifyingContract}, when set) and type {@code primaryType}. */
    public record AllowedMessage(String domainName, Optional<Address> verifyingContract, String primaryType) {
        public AllowedMessage {
            Objects.requireNonNull(domainName, "domainName");
            Objects.requireNonNull(verifyingContract, "verifyingContract");
            Objects.requireNonNull(primaryType, "primaryType");
        }

        boolean matches(SignatureTerms terms) {
            return terms.domainName().filter(domainName::equals).isPresent()
                    && terms.primaryType().equals(primaryType)
                    && verifyingContract
                            .map(c ->
                                    terms.verifyingContract().filter(c::equals).isPresent())
                            .orElse(true);
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
}
