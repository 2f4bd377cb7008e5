package dev.guardian.service.signatures;

import dev.guardian.policy.Address;
import dev.guardian.policy.Hex;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How the use of a signature shows on chain, and until when it can happen: what Guardian watches to post
 * the reservation (used) or void it (lapsed unused, or cancelled). Recorded with the request when it is
 * signed ({@link #toJson}, {@link #fromJson}), so that the watcher follows what was signed, whatever the
 * configuration says by the time it looks (another Permit2, a USDC domain that no longer checks out).
 */
public sealed interface OnChainUse {

    /** The last instant at which the signature can be used: after it, a block can no longer accept it. */
    Instant usableUntil();

    /** The recorded form: a JSON object of strings (and a list of them for Permit2 grants), with its {@code kind}. */
    default Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        switch (this) {
            case Eip3009 a -> {
                json.put("kind", "eip3009");
                json.put("token", a.token().toString());
                json.put("authorizer", a.authorizer().toString());
                json.put("to", a.to().toString());
                json.put("nonce", Hex.encode(a.nonce()));
                json.put("validAfter", a.validAfter().toString());
                json.put("validBefore", a.validBefore().toString());
            }
            case Eip2612 p -> {
                json.put("kind", "eip2612");
                json.put("token", p.token().toString());
                json.put("owner", p.owner().toString());
                json.put("nonce", p.nonce().toString());
                json.put("deadline", p.deadline().toString());
            }
            case Permit2Allowance p -> {
                json.put("kind", "permit2-allowance");
                json.put("permit2", p.permit2().toString());
                json.put("owner", p.owner().toString());
                List<Map<String, Object>> grants = new ArrayList<>();
                for (Permit2Allowance.Grant grant : p.grants()) {
                    Map<String, Object> each = new LinkedHashMap<>();
                    each.put("token", grant.token().toString());
                    each.put("spender", grant.spender().toString());
                    each.put("nonce", grant.nonce().toString());
                    grants.add(each);
                }
                json.put("grants", grants);
                json.put("sigDeadline", p.sigDeadline().toString());
            }
            case Permit2Transfer p -> {
                json.put("kind", "permit2-transfer");
                json.put("permit2", p.permit2().toString());
                json.put("owner", p.owner().toString());
                json.put("nonce", p.nonce().toString());
                json.put("deadline", p.deadline().toString());
            }
        }
        return json;
    }

    /** The use {@link #toJson} recorded. */
    static OnChainUse fromJson(Map<String, ?> json) {
        String kind = text(json, "kind");
        return switch (kind) {
            case "eip3009" ->
                new Eip3009(
                        address(json, "token"),
                        address(json, "authorizer"),
                        address(json, "to"),
                        Hex.decode(text(json, "nonce")),
                        Instant.parse(text(json, "validAfter")),
                        Instant.parse(text(json, "validBefore")));
            case "eip2612" ->
                new Eip2612(
                        address(json, "token"),
                        address(json, "owner"),
                        new BigInteger(text(json, "nonce")),
                        Instant.parse(text(json, "deadline")));
            case "permit2-allowance" -> {
                List<Permit2Allowance.Grant> grants = new ArrayList<>();
                if (!(json.get("grants") instanceof List<?> recorded)) {
                    throw new IllegalArgumentException("a recorded Permit2 allowance has a list of grants");
                }
                for (Object each : recorded) {
                    if (!(each instanceof Map<?, ?> grant)) {
                        throw new IllegalArgumentException("a recorded Permit2 grant is an object");
                    }
                    @SuppressWarnings("unchecked")
                    Map<String, ?> fields = (Map<String, ?>) grant;
                    grants.add(new Permit2Allowance.Grant(
                            address(fields, "token"),
                            address(fields, "spender"),
                            new BigInteger(text(fields, "nonce"))));
                }
                yield new Permit2Allowance(
                        address(json, "permit2"),
                        address(json, "owner"),
                        grants,
                        Instant.parse(text(json, "sigDeadline")));
            }
            case "permit2-transfer" ->
                new Permit2Transfer(
                        address(json, "permit2"),
                        address(json, "owner"),
                        new BigInteger(text(json, "nonce")),
                        Instant.parse(text(json, "deadline")));
            default -> throw new IllegalArgumentException("unknown recorded signature use '" + kind + "'");
        };
    }

    private static String text(Map<String, ?> json, String field) {
        if (!(json.get(field) instanceof String value)) {
            throw new IllegalArgumentException("the recorded signature use has no " + field);
        }
        return value;
    }

    private static Address address(Map<String, ?> json, String field) {
        return Address.parse(text(json, field));
    }

    /**
     * An EIP-3009 authorization of a transfer to {@code to}: {@code authorizationState(authorizer, nonce)} turns
     * true when it is used (an {@code AuthorizationUsed} event) or cancelled ({@code AuthorizationCanceled}); the
     * token accepts it only while {@code validAfter < block.timestamp < validBefore}.
     */
    record Eip3009(Address token, Address authorizer, Address to, byte[] nonce, Instant validAfter, Instant validBefore)
            implements OnChainUse {
        public Eip3009 {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(authorizer, "authorizer");
            Objects.requireNonNull(to, "to");
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
        public boolean equals(Object other) {
            return other instanceof Eip3009 that
                    && token.equals(that.token)
                    && authorizer.equals(that.authorizer)
                    && to.equals(that.to)
                    && Arrays.equals(nonce, that.nonce)
                    && validAfter.equals(that.validAfter)
                    && validBefore.equals(that.validBefore);
        }

        @Override
        public int hashCode() {
            return Objects.hash(token, authorizer, to, Arrays.hashCode(nonce), validAfter, validBefore);
        }

        @Override
        public String toString() {
            return "Eip3009[token=" + token + ", authorizer=" + authorizer + ", to=" + to + ", nonce="
                    + Hex.encode(nonce) + ", validAfter=" + validAfter + ", validBefore=" + validBefore + "]";
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
