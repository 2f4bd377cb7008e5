package dev.guardian.service.x402;

import dev.guardian.policy.Address;
import dev.guardian.policy.Hex;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Choosing what to pay from a {@link PaymentRequired}, and encoding the signed payment as the reference client does. */
public final class X402Codec {
    /** The one scheme Guardian signs: a fixed amount by EIP-3009 (specs/schemes/exact/scheme_exact_evm.md). */
    public static final String EXACT = "exact";

    private static final int SIGNATURE_LENGTH = 65;

    private X402Codec() {}

    /**
     * The first offer Guardian can pay: scheme {@code exact}, on {@code chainId}, in {@code usdc}, with the
     * token's EIP-712 domain named. The first, because the reference client's default selector takes the
     * first of the requirements it can pay ({@code x402Client} in {@code @x402/core} 2.27.0
     * {@code dist/esm/client/index.mjs}). Otherwise every offer with the reason it does not fit.
     */
    public static Choice choose(PaymentRequired paymentRequired, long chainId, Address usdc) {
        Objects.requireNonNull(paymentRequired, "paymentRequired");
        Objects.requireNonNull(usdc, "usdc");
        int version = paymentRequired.version();
        String expectedNetwork = X402Network.describe(version, chainId);
        List<Choice.Rejection> rejections = new ArrayList<>();
        for (int i = 0; i < paymentRequired.requirements().size(); i++) {
            Requirement requirement = paymentRequired.requirements().get(i);
            int index = paymentRequired.requirementIndexes().get(i);
            String offered =
                    "(" + requirement.scheme() + " on " + requirement.network() + " in " + requirement.asset() + ")";
            if (!EXACT.equals(requirement.scheme())) {
                rejections.add(new Choice.Rejection(
                        index,
                        requirement.scheme(),
                        requirement.network(),
                        Choice.Reason.WRONG_SCHEME,
                        offered + " uses scheme \"" + requirement.scheme() + "\"; Guardian pays only \"exact\""));
            } else if (requirement.chainId() != chainId) {
                rejections.add(new Choice.Rejection(
                        index,
                        requirement.scheme(),
                        requirement.network(),
                        Choice.Reason.WRONG_NETWORK,
                        offered + " is on chain " + requirement.chainId() + "; Guardian pays on " + expectedNetwork));
            } else if (!requirement.asset().equals(usdc)) {
                rejections.add(new Choice.Rejection(
                        index,
                        requirement.scheme(),
                        requirement.network(),
                        Choice.Reason.WRONG_ASSET,
                        offered + " asks for token " + requirement.asset() + "; Guardian pays in USDC " + usdc));
            } else if (requirement.tokenName().isEmpty()
                    || requirement.tokenVersion().isEmpty()) {
                rejections.add(new Choice.Rejection(
                        index,
                        requirement.scheme(),
                        requirement.network(),
                        Choice.Reason.NO_TOKEN_DOMAIN,
                        offered + " has no extra.name and extra.version (the token's EIP-712 domain)"));
            } else {
                return new Choice.Payable(requirement);
            }
        }
        for (NonEvmOffer other : paymentRequired.nonEvmOffers()) {
            rejections.add(new Choice.Rejection(
                    other.index(),
                    other.scheme(),
                    other.network(),
                    Choice.Reason.WRONG_NETWORK,
                    "(" + other.scheme() + " on " + other.network() + ") is not on an EVM chain Guardian knows;"
                            + " Guardian pays on " + expectedNetwork));
        }
        rejections.sort((a, b) -> Integer.compare(a.index(), b.index()));
        return new Choice.Unpayable(rejections);
    }

    /**
     * The header to retry with, exactly as the reference client writes it for the same inputs. v2
     * ({@code x402Client.createPaymentPayload}, {@code @x402/core} 2.27.0 {@code dist/esm/client/index.mjs}):
     * {@code {"x402Version":2,"payload":{"authorization":{...},"signature":"0x.."},"extensions":..., "resource":...,
     * "accepted":...}} with {@code extensions} only when the server sent some, {@code resource} and
     * {@code accepted} echoed as received. v1 ({@code ExactEvmSchemeV1} client, {@code @x402/evm} 2.27.0
     * {@code dist/esm/chunk-7YJDSZOF.mjs}): {@code {"x402Version":1,"scheme":..,"network":..,"payload":{...}}}.
     * Then base64 of the UTF-8 JSON ({@code encodePaymentSignatureHeader}, {@code dist/esm/chunk-FV2JN4FK.mjs}).
     *
     * @param signature65 r, s and v (27 or 28) of the EIP-712 signature of
     *     {@link Authorization#typedDataJson(Requirement)}
     */
    public static PaymentHeader paymentHeader(
            PaymentRequired paymentRequired, Requirement requirement, Authorization authorization, byte[] signature65) {
        Objects.requireNonNull(paymentRequired, "paymentRequired");
        Objects.requireNonNull(requirement, "requirement");
        Objects.requireNonNull(authorization, "authorization");
        if (!paymentRequired.requirements().contains(requirement)) {
            throw new IllegalArgumentException("the requirement is not one of this answer's");
        }
        if (signature65 == null || signature65.length != SIGNATURE_LENGTH) {
            throw new IllegalArgumentException("an EIP-3009 signature is 65 bytes (r, s, v)");
        }
        int v = signature65[64] & 0xff;
        if (v != 27 && v != 28) {
            // FiatToken's ecrecover takes v as 27 or 28; the reference (viem) writes those.
            throw new IllegalArgumentException("the signature's v must be 27 or 28, was " + v);
        }
        if (!authorization.to().equals(requirement.payTo())
                || !authorization.value().equals(requirement.amount())) {
            throw new IllegalArgumentException("the authorization must pay the requirement's payTo its exact amount");
        }
        JsonNodeFactory nodes = PaymentRequired.JSON.getNodeFactory();
        ObjectNode payload = nodes.objectNode();
        payload.set("authorization", PaymentRequired.JSON.valueToTree(authorization.messageJson()));
        payload.put("signature", Hex.encode(signature65).toLowerCase(Locale.ROOT));
        ObjectNode root = nodes.objectNode();
        String name;
        if (requirement.version() == 2) {
            root.put("x402Version", 2);
            root.set("payload", payload);
            if (!paymentRequired.extensionsJson().isEmpty()) {
                root.set("extensions", PaymentRequired.JSON.readTree(paymentRequired.extensionsJson()));
            }
            root.set("resource", PaymentRequired.JSON.readTree(paymentRequired.resourceJson()));
            root.set("accepted", PaymentRequired.JSON.readTree(requirement.rawJson()));
            name = PaymentHeader.V2_NAME;
        } else {
            root.put("x402Version", 1);
            root.put("scheme", requirement.scheme());
            root.put("network", requirement.network());
            root.set("payload", payload);
            name = PaymentHeader.V1_NAME;
        }
        byte[] json = PaymentRequired.JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        return new PaymentHeader(name, Base64.getEncoder().encodeToString(json));
    }
}
