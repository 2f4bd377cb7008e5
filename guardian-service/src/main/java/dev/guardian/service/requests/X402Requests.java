package dev.guardian.service.requests;

import dev.guardian.policy.Address;
import dev.guardian.policy.Asset;
import dev.guardian.policy.AssetRegistry;
import dev.guardian.policy.Hex;
import dev.guardian.policy.TokenAmount;
import dev.guardian.policy.rules.SignatureTerms;
import dev.guardian.service.policies.X402Origins;
import dev.guardian.service.x402.Authorization;
import dev.guardian.service.x402.Choice;
import dev.guardian.service.x402.PaymentHeader;
import dev.guardian.service.x402.PaymentRequired;
import dev.guardian.service.x402.Requirement;
import dev.guardian.service.x402.X402Codec;
import dev.guardian.signer.TypedData;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * x402 for agents: from the 402 answer a seller gave the agent and the resource it asked for, the EIP-3009
 * authorization that pays it (built as the reference client builds it, for the one requirement Guardian
 * can pay: the {@code exact} scheme, this chain, USDC), as a request the pipeline judges like any payment;
 * and, once signed, the header the agent retries with. The seller's answer is kept with the request, so
 * that the header can be built again, byte for byte, for as long as the request exists.
 */
public class X402Requests {
    private static final SecureRandom NONCES = new SecureRandom();

    private final long chainId;
    private final Address usdc;
    private final AssetRegistry assets;
    private final Clock clock;

    X402Requests(long chainId, Address usdc, AssetRegistry assets, Clock clock) {
        this.chainId = chainId;
        this.usdc = usdc;
        this.assets = assets;
        this.clock = clock;
    }

    /** Why an x402 answer cannot be paid at all: nothing is recorded. {@code pointer}: the field at fault. */
    public static final class NotPayableException extends RuntimeException {
        private final String pointer;

        NotPayableException(String pointer, String message) {
            super(message);
            this.pointer = pointer;
        }

        public String pointer() {
            return pointer;
        }
    }

    /**
     * The payment of {@code resource} from {@code wallet}, for the seller's answer ({@code paymentRequired}: the
     * v2 header value, or the v1 body).
     *
     * @throws dev.guardian.service.x402.X402FormatException when the answer is not x402
     * @throws NotPayableException when no requirement can be paid, or the answer is for another resource
     */
    public AgentRequest.X402Payment payment(Address wallet, String resource, String paymentRequired, int version) {
        PaymentRequired answer = parse(paymentRequired, version);
        Requirement requirement = payable(answer);
        String resourceUrl = requirement.resourceUrl().isEmpty() ? resource : requirement.resourceUrl();
        if (!resourceUrl.equals(resource)) {
            throw new NotPayableException(
                    "/resource",
                    "the 402 answer is for the resource " + resourceUrl + ", not " + resource
                            + ": Guardian pays only for the resource the agent names");
        }
        String origin;
        try {
            origin = X402Origins.originOf(resourceUrl);
        } catch (IllegalArgumentException e) {
            throw new NotPayableException("/resource", e.getMessage());
        }
        byte[] nonce = new byte[32];
        NONCES.nextBytes(nonce);
        Authorization authorization = Authorization.forRequirement(
                requirement, wallet, nonce, clock.instant().getEpochSecond());
        TypedData typedData = TypedData.fromJson(authorization.typedDataJson(requirement));
        Asset token = assets.token(requirement.asset());
        return new AgentRequest.X402Payment(
                new SignatureTerms.X402Quote(resourceUrl, origin, new TokenAmount(token, requirement.amount())),
                requirement.payTo(),
                requirement.network(),
                answer.version(),
                paymentRequired,
                typedData);
    }

    /**
     * The header a signed x402 payment is retried with: {@code PAYMENT-SIGNATURE} (v2) or {@code X-PAYMENT}
     * (v1), built from the seller's answer as recorded, the authorization signed and its signature.
     */
    public Optional<PaymentHeader> header(StoredRequest request, TypedData signed) {
        if (request.requestKind() != RequestKind.X402_PAYMENT) {
            return Optional.empty();
        }
        Optional<byte[]> signature = request.typedData().flatMap(SignedTypedData::signature);
        if (signature.isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> described = request.description();
        int version = Integer.parseInt(String.valueOf(described.get("x402Version")));
        PaymentRequired answer = parse(String.valueOf(described.get("challenge")), version);
        Requirement requirement = payable(answer);
        Map<String, Object> message = signed.message();
        Authorization authorization = new Authorization(
                (Address) message.get("from"),
                (Address) message.get("to"),
                (BigInteger) message.get("value"),
                ((BigInteger) message.get("validAfter")).longValueExact(),
                ((BigInteger) message.get("validBefore")).longValueExact(),
                Hex.decode((String) message.get("nonce")));
        return Optional.of(X402Codec.paymentHeader(answer, requirement, authorization, signature.get()));
    }

    private static PaymentRequired parse(String paymentRequired, int version) {
        return version == 2 ? PaymentRequired.fromHeader(paymentRequired) : PaymentRequired.fromBody(paymentRequired);
    }

    private Requirement payable(PaymentRequired answer) {
        return switch (X402Codec.choose(answer, chainId, usdc)) {
            case Choice.Payable payable -> payable.requirement();
            case Choice.Unpayable unpayable ->
                throw new NotPayableException("/paymentRequired", unpayable.explanation());
        };
    }
}
