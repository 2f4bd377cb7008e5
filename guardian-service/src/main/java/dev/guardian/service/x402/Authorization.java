package dev.guardian.service.x402;

import dev.guardian.policy.Address;
import dev.guardian.policy.Hex;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An EIP-3009 {@code TransferWithAuthorization}: {@code from} lets {@code value} smallest units of the token
 * go to {@code to} between {@code validAfter} and {@code validBefore} (Unix seconds, exclusive both ends as
 * FiatToken checks them), once, under {@code nonce}.
 *
 * @param nonce 32 bytes; copied in and out
 */
public record Authorization(
        Address from, Address to, BigInteger value, long validAfter, long validBefore, byte[] nonce) {
    /** How far back v1 clients date {@code validAfter}: {@code now - 600} in both reference v1 clients. */
    static final long V1_VALID_AFTER_SLACK_SECONDS = 600;

    public Authorization {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (value == null || value.signum() < 0 || value.bitLength() > 256) {
            throw new IllegalArgumentException("value must be a uint256");
        }
        if (validAfter < 0 || validBefore <= validAfter) {
            throw new IllegalArgumentException("validity must be 0 <= validAfter < validBefore");
        }
        if (nonce == null || nonce.length != 32) {
            throw new IllegalArgumentException("nonce must be 32 bytes");
        }
        nonce = nonce.clone();
    }

    /**
     * The authorization the reference client would make for {@code requirement} at {@code nowSeconds}:
     * {@code to} the requirement's payee, its exact amount, valid before {@code now + maxTimeoutSeconds};
     * valid after 0 in v2 ({@code createEIP3009Payload}, {@code @x402/evm} 2.27.0
     * {@code dist/esm/chunk-3CXVARP6.mjs}) and after {@code now - 600} in v1 ({@code ExactEvmSchemeV1},
     * {@code dist/esm/chunk-7YJDSZOF.mjs}; {@code x402} 1.2.0 {@code preparePaymentHeader}).
     */
    public static Authorization forRequirement(Requirement requirement, Address from, byte[] nonce, long nowSeconds) {
        long validAfter = requirement.version() == 2 ? 0 : Math.max(0, nowSeconds - V1_VALID_AFTER_SLACK_SECONDS);
        long validBefore = Math.addExact(nowSeconds, requirement.maxTimeoutSeconds());
        return new Authorization(from, requirement.payTo(), requirement.amount(), validAfter, validBefore, nonce);
    }

    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    /** {@code 0x} and 64 lower-case hex digits, as viem's {@code toHex} writes the reference client's nonce. */
    public String nonceHex() {
        return Hex.encode(nonce);
    }

    /**
     * The {@code eth_signTypedData_v4} document for this authorization under the token's EIP-712 domain:
     * {@code types} (with {@code EIP712Domain}), {@code primaryType}, {@code domain}, {@code message}. Numbers
     * are decimal strings and addresses EIP-55 hex, so no reader loses precision. The types are
     * {@code authorizationTypes} of {@code @x402/evm} 2.27.0 ({@code dist/esm/chunk-SGFNIWGK.mjs}); the domain
     * as the reference client builds it ({@code name}, {@code version}, {@code chainId},
     * {@code verifyingContract} = the asset).
     */
    public Map<String, Object> typedDataJson(String name, String version, long chainId, Address verifyingContract) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(verifyingContract, "verifyingContract");
        Map<String, Object> types = new LinkedHashMap<>();
        types.put(
                "EIP712Domain",
                List.of(
                        field("name", "string"),
                        field("version", "string"),
                        field("chainId", "uint256"),
                        field("verifyingContract", "address")));
        types.put(
                "TransferWithAuthorization",
                List.of(
                        field("from", "address"),
                        field("to", "address"),
                        field("value", "uint256"),
                        field("validAfter", "uint256"),
                        field("validBefore", "uint256"),
                        field("nonce", "bytes32")));
        Map<String, Object> domain = new LinkedHashMap<>();
        domain.put("name", name);
        domain.put("version", version);
        domain.put("chainId", Long.toString(chainId));
        domain.put("verifyingContract", verifyingContract.toString());
        Map<String, Object> typedData = new LinkedHashMap<>();
        typedData.put("types", types);
        typedData.put("primaryType", "TransferWithAuthorization");
        typedData.put("domain", domain);
        typedData.put("message", messageJson());
        return typedData;
    }

    /**
     * The typed data for {@code requirement}: its token's domain ({@code extra.name}, {@code extra.version})
     * on its chain. Throws {@link X402FormatException} when the server did not name the domain.
     */
    public Map<String, Object> typedDataJson(Requirement requirement) {
        String name = requirement.tokenName().orElseThrow(() -> missingDomain(requirement));
        String version = requirement.tokenVersion().orElseThrow(() -> missingDomain(requirement));
        return typedDataJson(name, version, requirement.chainId(), requirement.asset());
    }

    /** The {@code authorization} object of the payment payload, in the reference client's member order. */
    Map<String, Object> messageJson() {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("from", from.toString());
        message.put("to", to.toString());
        message.put("value", value.toString());
        message.put("validAfter", Long.toString(validAfter));
        message.put("validBefore", Long.toString(validBefore));
        message.put("nonce", nonceHex());
        return message;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Authorization that
                && from.equals(that.from)
                && to.equals(that.to)
                && value.equals(that.value)
                && validAfter == that.validAfter
                && validBefore == that.validBefore
                && Arrays.equals(nonce, that.nonce);
    }

    @Override
    public int hashCode() {
        return Objects.hash(from, to, value, validAfter, validBefore, Arrays.hashCode(nonce));
    }

    @Override
    public String toString() {
        return "Authorization[from=" + from + ", to=" + to + ", value=" + value + ", validAfter=" + validAfter
                + ", validBefore=" + validBefore + ", nonce=" + nonceHex() + "]";
    }

    private static Map<String, String> field(String name, String type) {
        Map<String, String> field = new LinkedHashMap<>();
        field.put("name", name);
        field.put("type", type);
        return field;
    }

    private static X402FormatException missingDomain(Requirement requirement) {
        return new X402FormatException("the requirement for " + requirement.asset() + " on " + requirement.network()
                + " has no extra.name and extra.version (the token's EIP-712 domain): the reference client refuses"
                + " to sign without them, and so does Guardian");
    }
}
