package dev.guardian.service.api;

import dev.guardian.service.requests.AgentRequest;
import dev.guardian.signer.TypedData;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.Map;

/**
 * {@code POST /v1/typed-data-signatures}: sign {@code typedData} (the JSON object of
 * {@code eth_signTypedData_v4}: types, primaryType, domain, message) with the key of the agent's wallet
 * {@code walletId} (needed only when it has several). Integers may be JSON numbers or decimal or 0x strings;
 * fractions are refused.
 */
record TypedDataBody(
        @NotNull Map<String, Object> typedData,

        @Pattern(regexp = TreasuryBodies.ID_PATTERN, message = TreasuryBodies.ID_MESSAGE) String walletId) {

    AgentRequest.TypedDataSignature toRequest() {
        return new AgentRequest.TypedDataSignature(parse(typedData, "/typedData"));
    }

    /**
     * Strict parsing; an error names the field as a JSON pointer under {@code pointer} (the signer's messages
     * start with the field's path, {@code message.from: ...}).
     */
    static TypedData parse(Map<String, Object> json, String pointer) {
        try {
            return TypedData.fromJson(json);
        } catch (IllegalArgumentException e) {
            String message = e.getMessage() == null ? "is not valid EIP-712 typed data" : e.getMessage();
            int colon = message.indexOf(": ");
            if (colon <= 0) {
                throw new ApiExceptions.InvalidField(pointer, message);
            }
            String path = message.substring(0, colon).replace("[", ".").replace("]", "");
            return throwAt(pointer + "/" + path.replace('.', '/'), message.substring(colon + 2));
        }
    }

    private static TypedData throwAt(String pointer, String message) {
        throw new ApiExceptions.InvalidField(pointer, message);
    }
}
