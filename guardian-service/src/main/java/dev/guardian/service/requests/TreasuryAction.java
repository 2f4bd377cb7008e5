package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.Hex;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.effects.Approval;
import dev.guardian.service.audit.Actor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What a person of the treasury asked Guardian to do with an agent's wallet when things go wrong: revoke
 * an allowance the wallet granted, or sweep one asset to the configured sweep address. Only a
 * description, like {@link AgentRequest}: what is judged is what the simulation says the transaction
 * would do ({@link TreasuryCheck}).
 */
public sealed interface TreasuryAction extends RequestDescription
        permits TreasuryAction.Revocation,
                TreasuryAction.Sweep,
                TreasuryAction.Cancellation,
                TreasuryAction.SafeCreation {

    /** Who asked for it: {@code person:<id>}, the actor of its first audit record. */
    Actor requestedBy();

    /** Why, in the person's words; recorded with the request and in the audit log. */
    String comment();

    /**
     * Lower the allowance that the wallet gave {@code spender} over {@code token} to zero: an ERC-20
     * {@code approve(spender, 0)} on the token, or Permit2's {@code lockdown} for a Permit2 allowance.
     */
    record Revocation(Asset token, Address spender, Approval.Kind allowance, Actor requestedBy, String comment)
            implements TreasuryAction {
        public Revocation {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(spender, "spender");
            Objects.requireNonNull(allowance, "allowance");
            Objects.requireNonNull(requestedBy, "requestedBy");
            Objects.requireNonNull(comment, "comment");
            if (token instanceof Asset.Native) {
                throw new IllegalArgumentException("an allowance is of a token, not of the native coin");
            }
            if (allowance == Approval.Kind.OPERATOR) {
                throw new IllegalArgumentException("operator grants are not revoked this way (yet)");
            }
        }

        /** The token's contract. */
        public Address tokenContract() {
            return contractOf(token);
        }

        @Override
        public String kind() {
            return RequestKind.TREASURY_REVOKE.name();
        }

        @Override
        public String canonicalText() {
            return "treasury-revoke|" + tokenContract().toLowerHex() + "|" + spender.toLowerHex() + "|" + allowance;
        }

        @Override
        public Map<String, String> describe() {
            Map<String, String> described = new LinkedHashMap<>();
            described.put("kind", kind());
            described.put(
                    "token",
                    token instanceof Asset.Erc20 known
                            ? known.symbol()
                            : tokenContract().toString());
            described.put("tokenAddress", tokenContract().toString());
            described.put("spender", spender.toString());
            described.put("allowance", allowance.name());
            described.put("requestedBy", requestedBy.value());
            described.put("comment", comment);
            return described;
        }
    }

    /** Send {@code amount} (all of the wallet's that asset, less the fee for the native coin) to {@code to}. */
    record Sweep(TokenAmount amount, Address to, Actor requestedBy, String comment) implements TreasuryAction {
        public Sweep {
            Objects.requireNonNull(amount, "amount");
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(requestedBy, "requestedBy");
            Objects.requireNonNull(comment, "comment");
            if (amount.isZero()) {
                throw new IllegalArgumentException("a sweep moves more than zero");
            }
        }

        @Override
        public String kind() {
            return RequestKind.TREASURY_SWEEP.name();
        }

        @Override
        public String canonicalText() {
            return "treasury-sweep|" + amount.asset().symbol() + "|" + amount.units() + "|" + to.toLowerHex();
        }

        @Override
        public Map<String, String> describe() {
            Map<String, String> described = new LinkedHashMap<>();
            described.put("kind", kind());
            described.put("asset", amount.asset().symbol());
            described.put("amount", amount.toDecimalString());
            described.put("units", amount.units().toString());
            described.put("to", to.toString());
            described.put("requestedBy", requestedBy.value());
            described.put("comment", comment);
            return described;
        }
    }

    /**
     * Cancel the outstanding EIP-3009 authorization of request {@code authorization} on chain
     * ({@code cancelAuthorization(authorizer, nonce, v, r, s)} on {@code token}, signed by the wallet), because
     * {@code why} (a freeze, the kill switch, a sanctions hit). Guardian asks for it itself.
     */
    record Cancellation(UUID authorization, Address token, byte[] nonce, String why) implements TreasuryAction {
        public Cancellation {
            Objects.requireNonNull(authorization, "authorization");
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(why, "why");
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
        public Actor requestedBy() {
            return Actor.GUARDIAN;
        }

        @Override
        public String comment() {
            return why;
        }

        @Override
        public String kind() {
            return RequestKind.TREASURY_CANCEL_AUTHORIZATION.name();
        }

        @Override
        public String canonicalText() {
            return "treasury-cancel-authorization|" + authorization + "|" + token.toLowerHex() + "|"
                    + Hex.encode(nonce);
        }

        @Override
        public Map<String, String> describe() {
            Map<String, String> described = new LinkedHashMap<>();
            described.put("kind", kind());
            described.put("authorization", authorization.toString());
            described.put("tokenAddress", token.toString());
            described.put("nonce", Hex.encode(nonce));
            described.put("requestedBy", Actor.GUARDIAN.value());
            described.put("comment", why);
            return described;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Cancellation that
                    && authorization.equals(that.authorization)
                    && token.equals(that.token)
                    && Arrays.equals(nonce, that.nonce)
                    && why.equals(that.why);
        }

        @Override
        public int hashCode() {
            return Objects.hash(authorization, token, Arrays.hashCode(nonce), why);
        }

        @Override
        public String toString() {
            return "Cancellation[authorization=" + authorization + ", token=" + token + ", nonce=" + Hex.encode(nonce)
                    + ", why=" + why + "]";
        }
    }

    /**
     * Create the Safe wallet {@code safe} for the agent: the relayer sends the factory's createProxyWithNonce,
     * whose setup installs and configures the guard. A person of the treasury asked for it.
     */
    record SafeCreation(Address safe, Address factory, Actor requestedBy, String comment) implements TreasuryAction {
        public SafeCreation {
            Objects.requireNonNull(safe, "safe");
            Objects.requireNonNull(factory, "factory");
            Objects.requireNonNull(requestedBy, "requestedBy");
            Objects.requireNonNull(comment, "comment");
        }

        @Override
        public String kind() {
            return RequestKind.TREASURY_SAFE_CREATION.name();
        }

        @Override
        public String canonicalText() {
            return "treasury-safe-creation|" + safe.toLowerHex();
        }

        @Override
        public Map<String, String> describe() {
            Map<String, String> described = new LinkedHashMap<>();
            described.put("kind", kind());
            described.put("safe", safe.toString());
            described.put("factory", factory.toString());
            described.put("requestedBy", requestedBy.value());
            described.put("comment", comment);
            return described;
        }
    }

    private static Address contractOf(Asset token) {
        return switch (token) {
            case Asset.Erc20 known -> known.contract();
            case Asset.UnknownToken unknown -> unknown.contract();
            case Asset.Native coin -> throw new IllegalArgumentException("the native coin has no contract");
        };
    }
}
