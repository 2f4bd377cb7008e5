package dev.guardian.service.safe;

import java.util.Objects;

/**
 * An owner signature over a SafeTx hash that Guardian will not use, with the stable reason an API answer
 * can carry ({@link Reason#id()}) and a message with the offending numbers. The bytes themselves are never
 * in the message: they are the agent's and useless to anyone reading a log.
 */
public final class SafeSignatureException extends IllegalArgumentException {
    /** Why the signature was refused. The ids are part of the API: never rename one, add a new one. */
    public enum Reason {
        /** Not 65 bytes r || s || v. */
        LENGTH("safe-signature.length"),
        /**
         * A v that is neither an ECDSA signature over the hash (27/28, or 0/1 read as the recovery id) nor one
         * over the eth_sign message of the hash (31/32). Safe's other kinds, a contract signature and an
         * approved hash (v 0 and 1 as the Safe reads them), prove nothing off chain, so an agent's signature is
         * never taken as one: its 0 and 1 are read as recovery ids and re-encoded as 27 and 28.
         */
        V_UNSUPPORTED("safe-signature.v-unsupported"),
        /** r or s is zero or not below the group order: no key made it. */
        OUT_OF_RANGE("safe-signature.out-of-range"),
        /**
         * s in the upper half of the group order. The Safe would accept it (ecrecover does), but (r, n - s) is
         * the same signature: Guardian takes each signature in its one low-s form (EIP-2), as it signs.
         */
        MALLEABLE_S("safe-signature.malleable-s"),
        /** No public key recovers from r, s and v for this hash. */
        UNRECOVERABLE("safe-signature.unrecoverable");

        private final String id;

        Reason(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }
    }

    private final Reason reason;

    SafeSignatureException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
