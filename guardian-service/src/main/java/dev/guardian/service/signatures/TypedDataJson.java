package dev.guardian.service.signatures;

import dev.guardian.policy.Address;
import dev.guardian.signer.TypedData;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed data back to the JSON of {@code eth_signTypedData_v4}, from its canonical values: integers as
 * decimal strings (JSON numbers lose precision in many clients), addresses in lowercase hex, the rest as
 * they are. Read back with {@link TypedData#fromJson}, it is the same typed data, with the same digest.
 */
public final class TypedDataJson {
    private TypedDataJson() {}

    public static Map<String, Object> of(TypedData data) {
        Map<String, Object> types = new LinkedHashMap<>();
        data.types()
                .forEach((name, fields) -> types.put(
                        name,
                        fields.stream()
                                .map(f -> {
                                    Map<String, Object> field = new LinkedHashMap<>();
                                    field.put("name", f.name());
                                    field.put("type", f.type());
                                    return field;
                                })
                                .toList()));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("types", types);
        json.put("primaryType", data.primaryType());
        json.put("domain", value(data.domain()));
        json.put("message", value(data.message()));
        return json;
    }

    private static Object value(Object value) {
        return switch (value) {
            case BigInteger integer -> integer.toString();
            case Address address -> address.toLowerHex();
            case Map<?, ?> map -> {
                Map<String, Object> copy = new LinkedHashMap<>();
                map.forEach((k, v) -> copy.put((String) k, value(v)));
                yield copy;
            }
            case List<?> list -> {
                List<Object> copy = new ArrayList<>(list.size());
                list.forEach(v -> copy.add(value(v)));
                yield copy;
            }
            default -> value;
        };
    }
}
