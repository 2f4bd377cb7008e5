package dev.guardian.service.signatures;

import dev.guardian.policy.Address;
import dev.guardian.policy.Hex;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * How the use of a signature shows on chain, and until when it can happen: what Guardian watches to post
 * the reservation (used) or void it (lapsed unused, or cancelled).
 */
public sealed interface OnChainUse {

    /** The last instant at which the signature can be used: after it, a block can no longer accept it. */
    Instant usableUntil();

    /**
     * An EIP-3009 authorization: {@code authorizationState(authorizer, nonce)} turns true when it is used
     * (an {@code AuthorizationUsed} event) or cancelled ({@code AuthorizationCanceled}); the token accepts it
     * only while {@code validAfter < block.timestamp < validBefore}.
     */
    record Eip3009(Address token, Address authorizer, byte[] nonce, Instant validAfter, Instant validBefore)
            implements OnChainUse {
        public Eip3009 {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(authorizer, "authorizer");
            nonce = nonce.clone();
            if (nonce.length != 32) {
                throw new IllegalArgumentException("an EIP-3009 nonce is 32 bytes");
            }
        }

        @Override
        public byte[] nonce() {
            return nonce.clone();
        }

        @Override
        public Instant usableUntil() {
            return validBefore.minusSeconds(1);
        }

        @Override
        public String toString() {
            return "Eip3009[token=" + token + ", authorizer=" + authorizer + ", nonce=" + Hex.encode(nonce)
                    + ", validAfter=" + validAfter + ", validBefore=" + validBefore + "]";
        }
    }

    /** An EIP-2612 permit: used once {@code nonces(owner)} has passed {@code nonce}; usable until {@code deadline}. */
    record Eip2612(Address token, Address owner, BigInteger nonce, Instant deadline) implements OnChainUse {
        @Override
        public Instant usableUntil() {
            return deadline;
        }
    }

    /**
     * Permit2 allowances ({@code PermitSingle}, {@code PermitBatch}): used once the Permit2 allowance nonce of
     * each (token, spender) has passed the signed one; usable until {@code sigDeadline}.
     */
    record Permit2Allowance(Address permit2, Address owner, List<Grant> grants, Instant sigDeadline)
            implements OnChainUse {
        public record Grant(Address token, Address spender, BigInteger nonce) {}

        public Permit2Allowance {
            grants = List.copyOf(grants);
        }

        @Override
        public Instant usableUntil() {
            return sigDeadline;
        }
    }

    /**
     * A Permit2 signature transfer ({@code PermitTransferFrom}, {@code PermitWitnessTransferFrom}): used once
     * bit {@code nonce & 255} of {@code nonceBitmap(owner, nonce >> 8)} is set; usable until {@code deadline}.
     */
    record Permit2Transfer(Address permit2, Address owner, BigInteger nonce, Instant deadline) implements OnChainUse {
        @Override
        public Instant usableUntil() {
            return deadline;
        }
    }
}
