package dev.guardian.signer;

import dev.guardian.policy.Address;
import dev.guardian.policy.Hex;
import dev.guardian.policy.Keccak256;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EIP-712 hashing of typed structured data (https://eips.ethereum.org/EIPS/eip-712), as
 * {@code eth_signTypedData_v4} defines it: arrays and nested or recursive structs included.
 *
 * <p>Strict and fail-closed: a value that a lenient wallet would coerce (a short {@code bytes32}, a
 * negative {@code uint}, a fraction, a field the type does not declare) is refused with an
 * {@link IllegalArgumentException} naming the path of the offending field, because a signature over
 * a silently reinterpreted message may authorise something nobody read.
 */
public final class Eip712 {
    /** The struct type of the domain, fixed by the standard. */
    public static final String DOMAIN_TYPE = "EIP712Domain";

    /**
     * The domain fields the standard defines, with their types. Any subset in any order is allowed
     * ("User-agents should accept fields in any order as specified by the EIP712Domain type"); other
     * fields are refused ("Dapp implementers should not add private fields").
     */
    private static final Map<String, String> DOMAIN_FIELDS = Map.of(
            "name", "string",
            "version", "string",
            "chainId", "uint256",
            "verifyingContract", "address",
            "salt", "bytes32");

    /** Struct and member names are identifiers (the standard: "a valid identifier as name"). */
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");

    private static final Pattern INTEGER_TYPE = Pattern.compile("(u?)int([1-9][0-9]{0,2})");
    private static final Pattern FIXED_BYTES_TYPE = Pattern.compile("bytes([1-9][0-9]?)");
    private static final Pattern ARRAY_LENGTH = Pattern.compile("[1-9][0-9]{0,5}");
    private static final Pattern DECIMAL = Pattern.compile("-?[0-9]{1,80}");
    private static final Pattern HEX_QUANTITY = Pattern.compile("0[xX][0-9a-fA-F]{1,64}");

    /**
     * Nesting of structs and arrays is bounded so that a recursive type with deep (or, from a
     * hand-built Java map, cyclic) data fails with a message instead of a StackOverflowError.
     */
    static final int MAX_DEPTH = 48;

    private static final byte[] PREFIX = {0x19, 0x01};

    /** Type hashes by encoded type: the same few types (a permit, an authorization) are hashed over and over. */
    private static final TypeHashes TYPE_HASHES = new TypeHashes(TypeHashes.CAPACITY);

    /**
     * keccak256 of encoded type strings, remembered for the most recently used {@link #CAPACITY} of them. Bounded
     * because the types come from agents (any agent may send a new one each time), shared by every thread
     * behind one lock (a hash costs microseconds; the lock is held for a map lookup). Keyed by the whole
     * string, so two types can only share a hash if they are the same type.
     */
    static final class TypeHashes {
        static final int CAPACITY = 256;

        private final Map<String, byte[]> hashes;

        TypeHashes(int capacity) {
            this.hashes = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
                    return size() > capacity;
                }
            };
        }

        byte[] of(String encodedType) {
            byte[] hash;
            synchronized (hashes) {
                hash = hashes.get(encodedType);
            }
            if (hash == null) {
                hash = Keccak256.hash(encodedType.getBytes(StandardCharsets.UTF_8));
                synchronized (hashes) {
                    hashes.put(encodedType, hash);
                }
            }
            return hash.clone();
        }

        int size() {
            synchronized (hashes) {
                return hashes.size();
            }
        }
    }

    private Eip712() {}

    /**
     * The type's encoding: {@code Name(type1 name1,...)} followed by every struct type it references,
     * directly or through other structs and arrays, sorted by name.
     */
    public static String encodeType(TypedData data, String type) {
        Objects.requireNonNull(data, "data");
        return encodeType(data.types(), type);
    }

    /**
     * The primary type of an encoded type string as {@link #encodeType} writes it (for example
     * {@code Mail(Person from,Person to,string contents)Person(string name,address wallet)}), checking that it
     * is one: well-formed structs of identifiers and known types, each referenced struct given exactly once, in
     * the standard's order, and nothing else; so that a type written by hand (in a policy) can match typed data.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static String primaryTypeOf(String encodedType) {
        Objects.requireNonNull(encodedType, "encodedType");
        Map<String, List<TypedData.Field>> types = new LinkedHashMap<>();
        int at = 0;
        while (at < encodedType.length()) {
            int open = encodedType.indexOf('(', at);
            int close = open < 0 ? -1 : encodedType.indexOf(')', open);
            if (open < 0 || close < 0) {
                throw new IllegalArgumentException("'" + shorten(encodedType.substring(at))
                        + "' is not a struct: Name(type name,...) with no spaces but one between a type and its name");
            }
            String name = encodedType.substring(at, open);
            if (!IDENTIFIER.matcher(name).matches()) {
                throw new IllegalArgumentException("'" + shorten(name) + "' is not a struct name (an identifier)");
            }
            if (DOMAIN_TYPE.equals(name)) {
                throw new IllegalArgumentException("EIP712Domain is the domain's type, not a message's");
            }
            List<TypedData.Field> fields = new ArrayList<>();
            String members = encodedType.substring(open + 1, close);
            if (!members.isEmpty()) {
                for (String member : members.split(",", -1)) {
                    int space = member.indexOf(' ');
                    if (space <= 0 || space != member.lastIndexOf(' ') || space == member.length() - 1) {
                        throw new IllegalArgumentException(
                                name + ": '" + shorten(member) + "' is not a member: its type, one space, its name");
                    }
                    fields.add(new TypedData.Field(member.substring(space + 1), member.substring(0, space)));
                }
            }
            if (types.put(name, fields) != null) {
                throw new IllegalArgumentException(name + " is given twice");
            }
            at = close + 1;
        }
        if (types.isEmpty()) {
            throw new IllegalArgumentException("an encoded type names at least one struct");
        }
        String primary = types.keySet().iterator().next();
        Map<String, List<TypedData.Field>> withDomain = new LinkedHashMap<>(types);
        withDomain.put(DOMAIN_TYPE, List.of(new TypedData.Field("name", "string")));
        String encoded = encodeType(checkedTypes(withDomain), primary);
        if (!encoded.equals(encodedType)) {
            throw new IllegalArgumentException("is not as EIP-712 encodes " + primary + ": expected '"
                    + shorten(encoded) + "' (the structs it uses, each once, sorted by name after the first)");
        }
        return primary;
    }

    /** keccak256 of {@link #encodeType}. */
    public static byte[] typeHash(TypedData data, String type) {
        return TYPE_HASHES.of(encodeType(data, type));
    }

    /** keccak256(typeHash || encodeData(value)) for a value of the struct type {@code type}. */
    public static byte[] hashStruct(TypedData data, String type, Map<String, Object> value) {
        Objects.requireNonNull(data, "data");
        requireStruct(data.types(), type, "type");
        return new Hashing(data.types()).hashStruct(type, canonicalStruct(data.types(), type, value, type, 0));
    }

    /** hashStruct("EIP712Domain", domain). */
    public static byte[] domainSeparator(TypedData data) {
        Objects.requireNonNull(data, "data");
        return new Hashing(data.types()).hashStruct(DOMAIN_TYPE, data.domain());
    }

    /** The digest a wallet signs: keccak256(0x19 0x01 || domainSeparator || hashStruct(primaryType, message)). */
    public static byte[] digest(TypedData data) {
        Objects.requireNonNull(data, "data");
        byte[] payload = new byte[2 + 32 + 32];
        System.arraycopy(PREFIX, 0, payload, 0, 2);
        Hashing hashing = new Hashing(data.types());
        System.arraycopy(hashing.hashStruct(DOMAIN_TYPE, data.domain()), 0, payload, 2, 32);
        System.arraycopy(hashing.hashStruct(data.primaryType(), data.message()), 0, payload, 34, 32);
        return Keccak256.hash(payload);
    }

    // ---- checks used by TypedData's constructor, so that a TypedData is always hashable ----

    /** Checks every declared type and returns an unmodifiable copy in declaration order. */
    static Map<String, List<TypedData.Field>> checkedTypes(Map<String, List<TypedData.Field>> types) {
        if (types == null) {
            throw new IllegalArgumentException("types: missing");
        }
        Map<String, List<TypedData.Field>> copy = new LinkedHashMap<>();
        for (Map.Entry<String, List<TypedData.Field>> entry : types.entrySet()) {
            String name = entry.getKey();
            String path = "types." + name;
            if (name == null || !IDENTIFIER.matcher(name).matches()) {
                throw new IllegalArgumentException(
                        "types: a struct type name must be an identifier, not '" + shorten(String.valueOf(name)) + "'");
            }
            if (isAtomic(name)) {
                throw new IllegalArgumentException(path + ": a struct type cannot take the name of an atomic type");
            }
            if (entry.getValue() == null) {
                throw new IllegalArgumentException(path + ": missing its list of fields");
            }
            List<TypedData.Field> fields = List.copyOf(entry.getValue());
            Set<String> seen = new TreeSet<>();
            for (int i = 0; i < fields.size(); i++) {
                String fieldName = fields.get(i).name();
                if (!IDENTIFIER.matcher(fieldName).matches()) {
                    throw new IllegalArgumentException(
                            path + "[" + i + "].name: must be an identifier, not '" + shorten(fieldName) + "'");
                }
                if (!seen.add(fieldName)) {
                    throw new IllegalArgumentException(
                            path + "[" + i + "].name: '" + fieldName + "' is declared twice");
                }
            }
            copy.put(name, fields);
        }
        for (Map.Entry<String, List<TypedData.Field>> entry : copy.entrySet()) {
            List<TypedData.Field> fields = entry.getValue();
            for (int i = 0; i < fields.size(); i++) {
                checkFieldType(copy, fields.get(i).type(), "types." + entry.getKey() + "[" + i + "].type");
            }
        }
        checkDomainType(copy);
        return Collections.unmodifiableMap(copy);
    }

    /** Checks {@code value} against the struct type and returns it canonical: see {@link TypedData}. */
    static Map<String, Object> canonicalStruct(
            Map<String, List<TypedData.Field>> types, String type, Object value, String path) {
        return canonicalStruct(types, type, value, path, 0);
    }

    // ---- encoding ----

    private static String encodeType(Map<String, List<TypedData.Field>> types, String type) {
        requireStruct(types, type, "type");
        Set<String> referenced = new TreeSet<>();
        collectReferences(types, type, referenced);
        referenced.remove(type);
        StringBuilder out = new StringBuilder();
        appendStructSignature(out, type, types.get(type));
        for (String dependency : referenced) {
            appendStructSignature(out, dependency, types.get(dependency));
        }
        return out.toString();
    }

    /** Depth-first over field types; the visited set is what makes recursive types terminate. */
    private static void collectReferences(Map<String, List<TypedData.Field>> types, String type, Set<String> found) {
        if (!found.add(type)) {
            return;
        }
        for (TypedData.Field field : types.get(type)) {
            String base = baseOf(field.type());
            if (types.containsKey(base)) {
                collectReferences(types, base, found);
            }
        }
    }

    private static void appendStructSignature(StringBuilder out, String name, List<TypedData.Field> fields) {
        out.append(name).append('(');
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(fields.get(i).type()).append(' ').append(fields.get(i).name());
        }
        out.append(')');
    }

    /**
     * Hashing of values of one set of types. A struct's type hash is worked out once per struct type, not once
     * per value: an array of a thousand structs has one encoded type, not a thousand.
     */
    private static final class Hashing {
        private final Map<String, List<TypedData.Field>> types;
        private final Map<String, byte[]> typeHashes = new HashMap<>();

        Hashing(Map<String, List<TypedData.Field>> types) {
            this.types = types;
        }

        /** Hashes a value already made canonical by {@link #canonicalStruct}. */
        byte[] hashStruct(String type, Map<String, Object> value) {
            List<TypedData.Field> fields = types.get(type);
            byte[] encoded = new byte[32 * (1 + fields.size())];
            byte[] typeHash = typeHashes.computeIfAbsent(type, t -> TYPE_HASHES.of(encodeType(types, t)));
            System.arraycopy(typeHash, 0, encoded, 0, 32);
            for (int i = 0; i < fields.size(); i++) {
                TypedData.Field field = fields.get(i);
                System.arraycopy(encodeValue(field.type(), value.get(field.name())), 0, encoded, 32 * (i + 1), 32);
            }
            return Keccak256.hash(encoded);
        }

        /** The 32-byte word of one canonical member value. */
        private byte[] encodeValue(String type, Object value) {
            if (type.endsWith("]")) {
                String element = type.substring(0, type.lastIndexOf('['));
                ByteArrayOutputStream concatenated = new ByteArrayOutputStream();
                for (Object item : (List<?>) value) {
                    concatenated.writeBytes(encodeValue(element, item));
                }
                return Keccak256.hash(concatenated.toByteArray());
            }
            if (types.containsKey(type)) {
                @SuppressWarnings("unchecked")
                Map<String, Object> struct = (Map<String, Object>) value;
                return hashStruct(type, struct);
            }
            return switch (type) {
                case "string" -> Keccak256.hash(((String) value).getBytes(StandardCharsets.UTF_8));
                case "bytes" -> Keccak256.hash(Hex.decode((String) value));
                case "bool" -> word(((Boolean) value) ? BigInteger.ONE : BigInteger.ZERO);
                case "address" -> leftPad(((Address) value).toBytes());
                default -> {
                    if (type.startsWith("bytes")) {
                        byte[] word = new byte[32];
                        byte[] bytes = Hex.decode((String) value);
                        System.arraycopy(bytes, 0, word, 0, bytes.length);
                        yield word;
                    }
                    yield word((BigInteger) value);
                }
            };
        }
    }

    /** Two's complement in 32 bytes: sign-extended for negative integers, as the standard requires. */
    private static byte[] word(BigInteger value) {
        byte[] minimal = value.toByteArray();
        byte[] word = new byte[32];
        if (value.signum() < 0) {
            Arrays.fill(word, (byte) 0xff);
        }
        int length = Math.min(minimal.length, 32);
        System.arraycopy(minimal, minimal.length - length, word, 32 - length, length);
        return word;
    }

    private static byte[] leftPad(byte[] bytes) {
        byte[] word = new byte[32];
        System.arraycopy(bytes, 0, word, 32 - bytes.length, bytes.length);
        return word;
    }

    // ---- type checks ----

    private static void checkFieldType(Map<String, List<TypedData.Field>> types, String type, String path) {
        String element = type;
        while (element.endsWith("]")) {
            int open = element.lastIndexOf('[');
            String length = open < 0 ? "" : element.substring(open + 1, element.length() - 1);
            if (open < 0 || !(length.isEmpty() || ARRAY_LENGTH.matcher(length).matches())) {
                throw new IllegalArgumentException(path + ": '" + shorten(type)
                        + "' is not a valid array type (T[] or T[k] with 0 < k < 1000000)");
            }
            element = element.substring(0, open);
        }
        if (!isAtomic(element) && !types.containsKey(element)) {
            throw new IllegalArgumentException(
                    path + ": unknown type '" + shorten(element)
                            + "' (neither an EIP-712 atomic type nor a declared struct; note there are no aliases uint and int)");
        }
    }

    private static void checkDomainType(Map<String, List<TypedData.Field>> types) {
        List<TypedData.Field> fields = types.get(DOMAIN_TYPE);
        if (fields == null) {
            throw new IllegalArgumentException("types.EIP712Domain: missing; the domain type must be declared");
        }
        if (fields.isEmpty()) {
            // The standard requires "one or more" fields; an empty domain separates nothing.
            throw new IllegalArgumentException(
                    "types.EIP712Domain: declares no fields; the standard requires at least one");
        }
        for (int i = 0; i < fields.size(); i++) {
            TypedData.Field field = fields.get(i);
            String expected = DOMAIN_FIELDS.get(field.name());
            String path = "types.EIP712Domain[" + i + "]";
            if (expected == null) {
                throw new IllegalArgumentException(path + ".name: '" + field.name()
                        + "' is not a domain field; EIP-712 allows name, version, chainId, verifyingContract and salt");
            }
            if (!expected.equals(field.type())) {
                throw new IllegalArgumentException(
                        path + ".type: domain field '" + field.name() + "' must be of type " + expected);
            }
        }
    }

    private static void requireStruct(Map<String, List<TypedData.Field>> types, String type, String path) {
        if (type == null || !types.containsKey(type)) {
            throw new IllegalArgumentException(
                    path + ": '" + shorten(String.valueOf(type)) + "' is not a struct type declared in types");
        }
    }

    private static boolean isAtomic(String type) {
        switch (type) {
            case "bool", "address", "string", "bytes" -> {
                return true;
            }
            default -> {}
        }
        Matcher integer = INTEGER_TYPE.matcher(type);
        if (integer.matches()) {
            int bits = Integer.parseInt(integer.group(2));
            return bits % 8 == 0 && bits <= 256;
        }
        Matcher bytes = FIXED_BYTES_TYPE.matcher(type);
        return bytes.matches() && Integer.parseInt(bytes.group(1)) <= 32;
    }

    private static String baseOf(String type) {
        int open = type.indexOf('[');
        return open < 0 ? type : type.substring(0, open);
    }

    // ---- values ----

    private static Map<String, Object> canonicalStruct(
            Map<String, List<TypedData.Field>> types, String type, Object value, String path, int depth) {
        if (!(value instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException(path + ": expected an object of type " + type + ", got " + kind(value));
        }
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException(path + ": nested deeper than " + MAX_DEPTH + " levels");
        }
        List<TypedData.Field> fields = types.get(type);
        for (Object key : map.keySet()) {
            if (!(key instanceof String name)
                    || fields.stream().noneMatch(f -> f.name().equals(name))) {
                throw new IllegalArgumentException(
                        path + "." + shorten(String.valueOf(key)) + ": not a field of " + type);
            }
        }
        Map<String, Object> canonical = new LinkedHashMap<>();
        for (TypedData.Field field : fields) {
            String fieldPath = path + "." + field.name();
            if (!map.containsKey(field.name())) {
                throw new IllegalArgumentException(fieldPath + ": missing (declared " + field.type() + ")");
            }
            canonical.put(field.name(), canonicalValue(types, field.type(), map.get(field.name()), fieldPath, depth));
        }
        return Collections.unmodifiableMap(canonical);
    }

    private static Object canonicalValue(
            Map<String, List<TypedData.Field>> types, String type, Object value, String path, int depth) {
        if (value == null) {
            throw new IllegalArgumentException(path + ": null is not a value of type " + type);
        }
        if (type.endsWith("]")) {
            return canonicalArray(types, type, value, path, depth);
        }
        if (types.containsKey(type)) {
            return canonicalStruct(types, type, value, path, depth + 1);
        }
        switch (type) {
            case "bool" -> {
                if (value instanceof Boolean) {
                    return value;
                }
                throw new IllegalArgumentException(path + ": a bool is true or false, got " + kind(value));
            }
            case "string" -> {
                if (value instanceof String) {
                    return value;
                }
                throw new IllegalArgumentException(path + ": a string is a JSON string, got " + kind(value));
            }
            case "address" -> {
                if (value instanceof Address) {
                    return value;
                }
                if (value instanceof String text) {
                    try {
                        // Mixed case must be a correct EIP-55 checksum: a wrong one usually means a typo.
                        return Address.parse(text);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
                    }
                }
                throw new IllegalArgumentException(
                        path + ": an address is a 0x-prefixed hex string, got " + kind(value));
            }
            case "bytes" -> {
                return hexBytes(value, -1, path);
            }
            default -> {}
        }
        Matcher fixedBytes = FIXED_BYTES_TYPE.matcher(type);
        if (fixedBytes.matches()) {
            return hexBytes(value, Integer.parseInt(fixedBytes.group(1)), path);
        }
        Matcher integer = INTEGER_TYPE.matcher(type);
        if (integer.matches()) {
            return integer(value, !integer.group(1).isEmpty(), Integer.parseInt(integer.group(2)), type, path);
        }
        // checkedTypes admits only atomic and declared types, so this is a bug, not bad input.
        throw new IllegalStateException("unchecked type " + type);
    }

    private static List<Object> canonicalArray(
            Map<String, List<TypedData.Field>> types, String type, Object value, String path, int depth) {
        if (!(value instanceof List<?> list)) {
            throw new IllegalArgumentException(path + ": expected an array of type " + type + ", got " + kind(value));
        }
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException(path + ": nested deeper than " + MAX_DEPTH + " levels");
        }
        int open = type.lastIndexOf('[');
        String element = type.substring(0, open);
        String length = type.substring(open + 1, type.length() - 1);
        if (!length.isEmpty() && list.size() != Integer.parseInt(length)) {
            throw new IllegalArgumentException(
                    path + ": " + type + " has exactly " + length + " elements, got " + list.size());
        }
        List<Object> canonical = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            canonical.add(canonicalValue(types, element, list.get(i), path + "[" + i + "]", depth + 1));
        }
        return Collections.unmodifiableList(canonical);
    }

    /** Lowercase 0x hex of exactly {@code length} bytes ({@code -1}: any length, for dynamic bytes). */
    private static String hexBytes(Object value, int length, String path) {
        String type = length < 0 ? "bytes" : "bytes" + length;
        if (!(value instanceof String text) || !(text.startsWith("0x") || text.startsWith("0X"))) {
            throw new IllegalArgumentException(path + ": " + type + " is a 0x-prefixed hex string, got " + kind(value));
        }
        byte[] bytes;
        try {
            bytes = Hex.decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(path + ": " + e.getMessage(), e);
        }
        if (length >= 0 && bytes.length != length) {
            throw new IllegalArgumentException(
                    path + ": " + type + " is exactly " + length + " bytes, got " + bytes.length);
        }
        return Hex.encode(bytes);
    }

    private static BigInteger integer(Object value, boolean unsigned, int bits, String type, String path) {
        BigInteger number;
        if (value instanceof BigInteger big) {
            number = big;
        } else if (value instanceof Long
                || value instanceof Integer
                || value instanceof Short
                || value instanceof Byte) {
            number = BigInteger.valueOf(((Number) value).longValue());
        } else if (value instanceof BigDecimal decimal) {
            try {
                number = decimal.toBigIntegerExact();
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(path + ": " + type + " is an integer, got a fraction");
            }
        } else if (value instanceof String text && DECIMAL.matcher(text).matches()) {
            number = new BigInteger(text);
        } else if (value instanceof String text && HEX_QUANTITY.matcher(text).matches()) {
            number = new BigInteger(text.substring(2), 16);
        } else if (value instanceof Double || value instanceof Float) {
            // A binary float has already lost digits above 2^53; and 1.5 is no integer.
            throw new IllegalArgumentException(
                    path + ": " + type
                            + " must be an integer (JSON integer, decimal string or 0x hex string), got a floating-point number");
        } else {
            throw new IllegalArgumentException(path + ": " + type
                    + " must be an integer (JSON integer, decimal string or 0x hex string), got " + kind(value));
        }
        BigInteger min =
                unsigned ? BigInteger.ZERO : BigInteger.ONE.shiftLeft(bits - 1).negate();
        BigInteger max = unsigned
                ? BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                : BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE);
        if (number.compareTo(min) < 0 || number.compareTo(max) > 0) {
            throw new IllegalArgumentException(
                    path + ": " + shorten(number.toString()) + " is out of range for " + type);
        }
        return number;
    }

    private static String kind(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String text) {
            return "the string '" + shorten(text) + "'";
        }
        if (value instanceof Map) {
            return "an object";
        }
        if (value instanceof List) {
            return "an array";
        }
        return "a " + value.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    /** Keeps error messages short when the input is large (the input comes from agents). */
    static String shorten(String text) {
        return text.length() <= 66 ? text : text.substring(0, 66) + "…(" + text.length() + " chars)";
    }
}
