package dev.guardian.policy.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A function as a policy names it, e.g. {@code withdrawTo(address,uint256,address)}: its name and the
 * ABI types of its parameters, in canonical form ({@code uint} is {@code uint256}), and its selector.
 * Parameters are elementary types ({@code address}, {@code bool}, {@code uintN}, {@code intN},
 * {@code bytesN}) or dynamic ones ({@code bytes}, {@code string}, arrays); tuples are refused, so every
 * parameter is one 32-byte word of the call's head and can be read without decoding the rest.
 */
public record FunctionSignature(String name, List<String> parameters) {
    private static final Pattern FORM = Pattern.compile("([A-Za-z_$][A-Za-z0-9_$]*)\\((.*)\\)");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");
    private static final Pattern ELEMENTARY =
            Pattern.compile("address|bool|string|bytes([1-9]|[12][0-9]|3[0-2])?|u?int(\\d{0,3})");

    public FunctionSignature {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a function name is a Solidity identifier, not " + name);
        }
        parameters = List.copyOf(parameters);
    }

    /**
     * Parses a signature, accepting spaces and the short forms {@code uint} and {@code int}.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static FunctionSignature parse(String text) {
        Objects.requireNonNull(text, "signature");
        Matcher m = FORM.matcher(text.replace(" ", ""));
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "'" + text + "' is not a function signature such as transfer(address,uint256)");
        }
        List<String> parameters = new ArrayList<>();
        if (!m.group(2).isEmpty()) {
            for (String type : m.group(2).split(",", -1)) {
                parameters.add(canonical(type, text));
            }
        }
        return new FunctionSignature(m.group(1), parameters);
    }

    private static String canonical(String type, String signature) {
        String element = type;
        String arrays = "";
        int bracket = type.indexOf('[');
        if (bracket >= 0) {
            element = type.substring(0, bracket);
            arrays = type.substring(bracket);
            if (!arrays.matches("(\\[\\d*])+")) {
                throw new IllegalArgumentException("'" + type + "' in " + signature + " is not an ABI array type");
            }
        }
        element = element.toLowerCase(Locale.ROOT);
        Matcher m = ELEMENTARY.matcher(element);
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    "'" + type + "' in " + signature
                            + " is not an ABI type Guardian reads (address, bool, uintN, intN, bytesN, bytes, string, arrays; no tuples)");
        }
        if (element.equals("uint") || element.equals("int")) {
            element = element + "256";
        } else if (element.startsWith("uint") || element.startsWith("int")) {
            int bits = Integer.parseInt(element.substring(element.startsWith("uint") ? 4 : 3));
            if (bits < 8 || bits > 256 || bits % 8 != 0) {
                throw new IllegalArgumentException("'" + type + "' in " + signature + " has no such integer width");
            }
        }
        return element + arrays;
    }

    public String canonical() {
        return name + "(" + String.join(",", parameters) + ")";
    }

    public Selector selector() {
        return Selector.ofSignature(canonical());
    }

    /** Whether parameter {@code index} is one word in the call's head holding its value (not an offset). */
    public boolean isStatic(int index) {
        String type = parameters.get(index);
        return !type.contains("[") && !type.equals("bytes") && !type.equals("string");
    }

    @Override
    public String toString() {
        return canonical();
    }
}
