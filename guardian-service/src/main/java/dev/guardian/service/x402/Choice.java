package dev.guardian.service.x402;

import java.util.List;
import java.util.Objects;

/** What {@link X402Codec#choose} found: the requirement Guardian can pay, or why none of the offers fits. */
public sealed interface Choice {
    /** Guardian can pay {@code requirement}. */
    record Payable(Requirement requirement) implements Choice {
        public Payable {
            Objects.requireNonNull(requirement, "requirement");
        }
    }

    /** No offer fits; one rejection per offer, in the server's order. */
    record Unpayable(List<Rejection> rejections) implements Choice {
        public Unpayable {
            rejections = List.copyOf(rejections);
            if (rejections.isEmpty()) {
                throw new IllegalArgumentException("an unpayable answer rejects at least one offer");
            }
        }

        /** One line per offer, for a refusal an agent can read. */
        public String explanation() {
            StringBuilder text = new StringBuilder("none of the offered x402 payment requirements can be paid:");
            for (Rejection rejection : rejections) {
                text.append(" accepts[")
                        .append(rejection.index())
                        .append("] ")
                        .append(rejection.message())
                        .append(';');
            }
            text.setLength(text.length() - 1);
            return text.toString();
        }
    }

    /** Why an offer cannot be paid. */
    enum Reason {
        /** Not the {@code exact} scheme, the only one Guardian signs. */
        WRONG_SCHEME,
        /** Not this chain (or not an EVM chain at all). */
        WRONG_NETWORK,
        /** Not this chain's USDC. */
        WRONG_ASSET,
        /** No {@code extra.name}/{@code extra.version}: the token's EIP-712 domain is unknown. */
        NO_TOKEN_DOMAIN
    }

    /**
     * @param index the offer's position in {@code accepts}
     * @param message says what was offered and what would have been payable
     */
    record Rejection(int index, String scheme, String network, Reason reason, String message) {
        public Rejection {
            Objects.requireNonNull(scheme, "scheme");
            Objects.requireNonNull(network, "network");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(message, "message");
        }
    }
}
