package dev.guardian.signer;

import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON in tests, parsed the way the service will hand typed data to the signer: Jackson into Maps,
 * Lists, Strings, Numbers and Booleans. Jackson comes with web3j's crypto module (test use only;
 * the signer's main code takes already parsed maps).
 */
final class Json {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> parse(String json) {
        return MAPPER.readValue(json, Map.class);
    }

    static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    static TypedData typedData(String json) {
        return TypedData.fromJson(parse(json));
    }
}
