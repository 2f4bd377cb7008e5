package dev.guardian.service.x402;

import dev.guardian.policy.Address;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A server's 402 answer: what it wants paid for which resource. Read strictly, because what is read here
 * decides what Guardian signs: a field of the wrong type, a duplicate member, an amount that is not a
 * decimal integer, or an address with a bad EIP-55 checksum is refused with a message saying what to send.
 *
 * <p>v2 carries it base64-encoded in the {@code PAYMENT-REQUIRED} header (specs/transports-v2/http.md;
 * {@code decodePaymentRequiredHeader} in {@code @x402/core} 2.27.0 {@code dist/esm/chunk-FV2JN4FK.mjs}); v1
 * as the JSON body of the 402 (specs/transports-v1/http.md; {@code x402-express} 1.2.0
 * {@code dist/esm/index.mjs}). Like the reference client ({@code x402HTTPClient.getPaymentRequiredResponse}),
 * a header wins over a body, and a body is read only when it says {@code "x402Version": 1}.
 *
 * @param version 1 or 2
 * @param error the server's {@code error} text, "" when absent
 * @param resourceJson v2: the {@code resource} object as received, echoed in the payment; "" for v1
 * @param extensionsJson v2: the {@code extensions} object as received, echoed in the payment; "" when absent
 * @param requirements the offers on EVM chains, in the server's order
 * @param requirementIndexes each requirement's position in {@code accepts}
 * @param nonEvmOffers the other offers
 */
public record PaymentRequired(
        int version,
        String error,
        String resourceJson,
        String extensionsJson,
        List<Requirement> requirements,
        List<Integer> requirementIndexes,
        List<NonEvmOffer> nonEvmOffers) {
    /** The name of the v2 header that carries it. */
    public static final String HEADER = "PAYMENT-REQUIRED";

    /** As {@code Base64EncodedRegex} in {@code @x402/core} 2.27.0 {@code dist/esm/chunk-XW2CWVLZ.mjs}. */
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]*={0,2}");

    private static final Pattern UNITS = Pattern.compile("[0-9]+"); // as isAtomicAmount in @x402/core client
    private static final int MAX_UNITS_DIGITS = 78; // uint256

    /**
     * The longest {@code maxTimeoutSeconds} Guardian reads: seven days. The authorization it signs is valid for
     * that long, and no policy lets a signature stay usable longer (PolicyDocuments' longest validity), so a
     * longer timeout could never be paid; bounding it here also keeps {@code now + maxTimeoutSeconds} far from
     * any overflow, whatever the server wrote.
     */
    public static final long MAX_TIMEOUT_SECONDS = 7 * 24 * 3600;

    static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    public PaymentRequired {
        if (version != 1 && version != 2) {
            throw new IllegalArgumentException("x402 version is 1 or 2, was " + version);
        }
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(resourceJson, "resourceJson");
        Objects.requireNonNull(extensionsJson, "extensionsJson");
        requirements = List.copyOf(requirements);
        requirementIndexes = List.copyOf(requirementIndexes);
        nonEvmOffers = List.copyOf(nonEvmOffers);
        if (requirements.size() != requirementIndexes.size()) {
            throw new IllegalArgumentException("one index per requirement");
        }
    }

    /**
     * Reads a 402 answer: the {@code PAYMENT-REQUIRED} header value when there is one (null or blank when
     * not), else the body.
     */
    public static PaymentRequired from402(String paymentRequiredHeader, String body) {
        if (paymentRequiredHeader != null && !paymentRequiredHeader.isBlank()) {
            return fromHeader(paymentRequiredHeader);
        }
        if (body == null || body.isBlank()) {
            throw new X402FormatException("the 402 answer has neither a PAYMENT-REQUIRED header (x402 v2) nor a"
                    + " JSON body with \"x402Version\": 1 (x402 v1): pass the header value, or the body, exactly as"
                    + " the server sent it");
        }
        return fromBody(body);
    }

    /** Reads the value of a v2 {@code PAYMENT-REQUIRED} header. */
    public static PaymentRequired fromHeader(String headerValue) {
        String value = Objects.requireNonNull(headerValue, "headerValue").strip();
        if (value.isEmpty() || !BASE64.matcher(value).matches()) {
            throw new X402FormatException("the PAYMENT-REQUIRED header is not base64 (RFC 4648 standard alphabet):"
                    + " pass its value exactly as the server sent it");
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new X402FormatException(
                    "the PAYMENT-REQUIRED header is not valid base64 (" + e.getMessage()
                            + "): pass its value exactly as the server sent it",
                    e);
        }
        JsonNode root = parseJson(utf8(decoded, "the PAYMENT-REQUIRED header"), "the decoded PAYMENT-REQUIRED header");
        int version = version(root, "the decoded PAYMENT-REQUIRED header");
        if (version != 2) {
            throw new X402FormatException("the PAYMENT-REQUIRED header says x402Version " + version
                    + "; the header is x402 v2 only (v1 sends its requirements in the 402 body)");
        }
        return fromJson(root, version);
    }

    /** Reads a v1 402 body. A v2 body is refused: v2 puts the requirements in the header. */
    public static PaymentRequired fromBody(String body) {
        JsonNode root = parseJson(Objects.requireNonNull(body, "body"), "the 402 body");
        int version = version(root, "the 402 body");
        if (version != 1) {
            throw new X402FormatException("the 402 body says x402Version " + version + "; x402 v2 sends its"
                    + " requirements base64-encoded in the PAYMENT-REQUIRED header (specs/transports-v2/http.md):"
                    + " pass that header's value");
        }
        return fromJson(root, version);
    }

    private static PaymentRequired fromJson(JsonNode root, int version) {
        String error = optionalString(root, "error", "x402 answer");
        String resourceJson = "";
        String resourceUrl = null;
        String resourceDescription = "";
        if (version == 2) {
            JsonNode resource = root.get("resource");
            if (resource == null || !resource.isObject()) {
                throw new X402FormatException(
                        "the x402 v2 answer has no \"resource\" object (specs/x402-specification-v2.md"
                                + " 5.1): the server's answer is incomplete");
            }
            resourceUrl = requiredString(resource, "url", "resource");
            resourceDescription = optionalString(resource, "description", "resource");
            resourceJson = JSON.writeValueAsString(resource);
        }
        String extensionsJson = "";
        JsonNode extensions = root.get("extensions");
        if (extensions != null && !extensions.isNull()) {
            if (version != 2 || !extensions.isObject()) {
                throw new X402FormatException("\"extensions\" must be an object of an x402 v2 answer");
            }
            extensionsJson = JSON.writeValueAsString(extensions);
        }
        JsonNode accepts = root.get("accepts");
        if (accepts == null || !accepts.isArray() || accepts.isEmpty()) {
            throw new X402FormatException("the x402 answer has no \"accepts\" array with at least one payment"
                    + " requirement: there is nothing to pay");
        }
        List<Requirement> requirements = new ArrayList<>();
        List<Integer> indexes = new ArrayList<>();
        List<NonEvmOffer> others = new ArrayList<>();
        for (int i = 0; i < accepts.size(); i++) {
            JsonNode offer = accepts.get(i);
            String where = "accepts[" + i + "]";
            if (!offer.isObject()) {
                throw new X402FormatException(where + " is not an object");
            }
            String scheme = requiredString(offer, "scheme", where);
            String network = requiredString(offer, "network", where);
            OptionalLong chainId = X402Network.evmChainId(version, network);
            if (chainId.isEmpty()) {
                others.add(new NonEvmOffer(i, scheme, network));
                continue;
            }
            requirements.add(requirement(
                    offer, where, version, scheme, network, chainId.getAsLong(), resourceUrl, resourceDescription));
            indexes.add(i);
        }
        return new PaymentRequired(version, error, resourceJson, extensionsJson, requirements, indexes, others);
    }

    private static Requirement requirement(
            JsonNode offer,
            String where,
            int version,
            String scheme,
            String network,
            long chainId,
            String v2ResourceUrl,
            String v2Description) {
        String amountField = version == 2 ? "amount" : "maxAmountRequired";
        BigInteger amount = units(requiredString(offer, amountField, where), where + "." + amountField);
        Address asset = address(requiredString(offer, "asset", where), where + ".asset");
        Address payTo = address(requiredString(offer, "payTo", where), where + ".payTo");
        JsonNode timeout = offer.get("maxTimeoutSeconds");
        if (timeout == null
                || !timeout.isIntegralNumber()
                || timeout.bigIntegerValue().signum() <= 0) {
            throw new X402FormatException(where + ".maxTimeoutSeconds must be a positive whole number of seconds");
        }
        if (timeout.bigIntegerValue().compareTo(BigInteger.valueOf(MAX_TIMEOUT_SECONDS)) > 0) {
            throw new X402FormatException(where + ".maxTimeoutSeconds is " + shortNumber(timeout.bigIntegerValue())
                    + " s: Guardian signs x402 authorizations valid for at most " + MAX_TIMEOUT_SECONDS
                    + " s (seven days), so it cannot pay this requirement");
        }
        String resourceUrl = version == 2 ? v2ResourceUrl : requiredString(offer, "resource", where);
        String description = version == 2 ? v2Description : optionalString(offer, "description", where);
        Optional<String> tokenName = Optional.empty();
        Optional<String> tokenVersion = Optional.empty();
        JsonNode extra = offer.get("extra");
        if (extra != null && !extra.isNull()) {
            if (!extra.isObject()) {
                throw new X402FormatException(where + ".extra must be an object");
            }
            tokenName =
                    Optional.of(optionalString(extra, "name", where + ".extra")).filter(s -> !s.isEmpty());
            tokenVersion = Optional.of(optionalString(extra, "version", where + ".extra"))
                    .filter(s -> !s.isEmpty());
        }
        return new Requirement(
                version,
                scheme,
                network,
                chainId,
                asset,
                amount,
                payTo,
                timeout.longValue(),
                resourceUrl,
                description,
                tokenName,
                tokenVersion,
                JSON.writeValueAsString(offer));
    }

    /** A number from outside, short enough for a message. */
    private static String shortNumber(BigInteger number) {
        String digits = number.toString();
        return digits.length() <= 24 ? digits : digits.substring(0, 12) + "…(" + digits.length() + " digits)";
    }

    private static JsonNode parseJson(String text, String what) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JacksonException e) {
            throw new X402FormatException(
                    what + " is not valid JSON (" + e.getOriginalMessage() + "): pass the server's answer unchanged",
                    e);
        }
        if (root == null || !root.isObject()) {
            throw new X402FormatException(what + " is not a JSON object");
        }
        return root;
    }

    private static int version(JsonNode root, String what) {
        JsonNode version = root.get("x402Version");
        if (version == null
                || !version.isIntegralNumber()
                || !version.canConvertToInt()
                || (version.intValue() != 1 && version.intValue() != 2)) {
            throw new X402FormatException(
                    what + " has no \"x402Version\" of 1 or 2: it is not an x402 answer" + " Guardian can read");
        }
        return version.intValue();
    }

    static String utf8(byte[] bytes, String what) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new X402FormatException(what + " does not decode to UTF-8 text", e);
        }
    }

    private static String requiredString(JsonNode object, String field, String where) {
        JsonNode value = object.get(field);
        if (value == null || !value.isString() || value.stringValue().isEmpty()) {
            throw new X402FormatException(where + "." + field + " must be a non-empty string");
        }
        return value.stringValue();
    }

    private static String optionalString(JsonNode object, String field, String where) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return "";
        }
        if (!value.isString()) {
            throw new X402FormatException(where + "." + field + " must be a string");
        }
        return value.stringValue();
    }

    private static BigInteger units(String text, String where) {
        if (!UNITS.matcher(text).matches() || text.length() > MAX_UNITS_DIGITS) {
            throw new X402FormatException(where + " must be the amount in the token's smallest units as a decimal"
                    + " integer string (e.g. \"10000\" for 0.01 USDC), was \"" + text + "\"");
        }
        BigInteger units = new BigInteger(text);
        if (units.bitLength() > 256) {
            throw new X402FormatException(where + " does not fit in uint256");
        }
        return units;
    }

    private static Address address(String text, String where) {
        try {
            return Address.parse(text);
        } catch (IllegalArgumentException e) {
            throw new X402FormatException(
                    where + " is not an EVM address (" + e.getMessage() + "), was \"" + text + "\"", e);
        }
    }
}
