package dev.guardian.signer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * EIP-712 typed data as {@code eth_signTypedData_v4} takes it: the struct types, the primary type,
 * the domain and the message.
 *
 * <p>A TypedData is always hashable: the constructor checks the types (identifiers, known member
 * types, an {@code EIP712Domain} with only the standard's fields and their types) and checks the
 * domain and message against them, refusing missing, undeclared or malformed fields with an
 * {@link IllegalArgumentException} whose message starts with the path of the field (for example
 * {@code message.from.wallet}). Domain and message are then held canonical and unmodifiable, so
 * that callers reading them (policy checks, display) see one type per EIP-712 type: integers as
 * {@link java.math.BigInteger}, addresses as {@link dev.guardian.policy.Address}, {@code bytes} and
 * {@code bytesN} as lowercase 0x hex strings, {@code bool} as Boolean, {@code string} as String,
 * arrays as Lists and structs as Maps in declared field order.
 */
public record TypedData(
        Map<String, List<TypedData.Field>> types,
        String primaryType,
        Map<String, Object> domain,
        Map<String, Object> message) {

    private static final Set<String> TOP_LEVEL_KEYS = Set.of("types", "primaryType", "domain", "message");
    private static final int TYPES_SHOWN = 8;

    /** A struct member: its name and its EIP-712 type, e.g. {@code Person[]} or {@code uint256}. */
    public record Field(String name, String type) {
        public Field {
            if (name == null || type == null) {
                throw new IllegalArgumentException("a field has both a name and a type");
            }
        }
    }

    public TypedData {
        types = Eip712.checkedTypes(types);
        if (primaryType == null || !types.containsKey(primaryType)) {
            throw new IllegalArgumentException("primaryType: '" + Eip712.shorten(String.valueOf(primaryType))
                    + "' is not a struct type declared in types");
        }
        if (Eip712.DOMAIN_TYPE.equals(primaryType)) {
            // Signing the bare domain authorises nothing a verifier could tell apart; refuse it.
            throw new IllegalArgumentException("primaryType: must not be EIP712Domain");
        }
        domain = Eip712.canonicalStruct(types, Eip712.DOMAIN_TYPE, domain, "domain");
        message = Eip712.canonicalStruct(types, primaryType, message, "message");
    }

    /**
     * From the JSON object of {@code eth_signTypedData_v4} already parsed into Maps, Lists, Strings,
     * Numbers and Booleans (for example by Jackson into {@code Map<String, Object>}).
     *
     * @throws IllegalArgumentException on anything malformed, naming the path of the field
     */
    public static TypedData fromJson(Map<String, ?> json) {
        if (json == null) {
            throw new IllegalArgumentException("typed data: missing");
        }
        for (Object key : json.keySet()) {
            if (!TOP_LEVEL_KEYS.contains(key)) {
                throw new IllegalArgumentException(Eip712.shorten(String.valueOf(key))
                        + ": not a member of typed data (types, primaryType, domain, message)");
            }
        }
        Object primaryType = json.get("primaryType");
        if (!(primaryType instanceof String)) {
            throw new IllegalArgumentException("primaryType: must be a string");
        }
        return new TypedData(
                typesFromJson(json.get("types")),
                (String) primaryType,
                object(json.get("domain"), "domain"),
                object(json.get("message"), "message"));
    }

    private static Map<String, List<Field>> typesFromJson(Object json) {
        Map<String, Object> types = object(json, "types");
        Map<String, List<Field>> result = new LinkedHashMap<>();
        for (Map.Entry<String, Object> type : types.entrySet()) {
            String path = "types." + Eip712.shorten(type.getKey());
            if (!(type.getValue() instanceof List<?> fields)) {
                throw new IllegalArgumentException(path + ": must be an array of {name, type} objects");
            }
            List<Field> parsed = new ArrayList<>(fields.size());
            for (int i = 0; i < fields.size(); i++) {
                String fieldPath = path + "[" + i + "]";
                Map<String, Object> field = object(fields.get(i), fieldPath);
                if (!field.keySet().equals(Set.of("name", "type"))) {
                    throw new IllegalArgumentException(fieldPath + ": must have exactly the members name and type");
                }
                if (!(field.get("name") instanceof String name)) {
                    throw new IllegalArgumentException(fieldPath + ".name: must be a string");
                }
                if (!(field.get("type") instanceof String fieldType)) {
                    throw new IllegalArgumentException(fieldPath + ".type: must be a string");
                }
                parsed.add(new Field(name, fieldType));
            }
            result.put(type.getKey(), parsed);
        }
        return result;
    }

    /** A JSON object with string keys, copied so later changes to the caller's map do not matter. */
    private static Map<String, Object> object(Object json, String path) {
        if (!(json instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(path + ": must be an object");
        }
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key)) {
                throw new IllegalArgumentException(path + ": member names must be strings");
            }
            copy.put(key, entry.getValue());
        }
        return copy;
    }

    /** Short on purpose: the message can be large and comes from outside; the domain says whose it is. */
    @Override
    public String toString() {
        String domainText = domain.entrySet().stream()
                .map(e -> e.getKey() + "=" + Eip712.shorten(String.valueOf(e.getValue())))
                .collect(Collectors.joining(", ", "{", "}"));
        String typeNames = types.keySet().stream()
                .limit(TYPES_SHOWN)
                .map(Eip712::shorten)
                .collect(Collectors.joining(", ", "[", types.size() > TYPES_SHOWN ? ", …]" : "]"));
        return "TypedData[primaryType=" + primaryType + ", domain=" + domainText + ", types=" + typeNames
                + ", messageFields=" + message.size() + "]";
    }
}
