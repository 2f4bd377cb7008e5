package dev.guardian.verifier;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON reader (RFC 8259) for the I-JSON subset that RFC 8785 canonicalizes (RFC 7493): one
 * value per text, no duplicate member names, no lone surrogates, numbers within IEEE 754 double range.
 *
 * <p>Values come back as plain Java: {@code Map<String, Object>} (members in document order),
 * {@code List<Object>}, {@code String}, {@code Double} (JCS reads every number as a double),
 * {@code Boolean} and {@code null}. Anything else in the text is refused with a message naming the
 * offset, never silently repaired: a verifier that repairs input would vouch for something other than
 * what it read.
 */
public final class Json {
    private static final int MAX_DEPTH = 64;

    private final String text;
    private int at;
    private int depth;

    private Json(String text) {
        this.text = text;
    }

    /**
     * Parses exactly one JSON value, with optional white space around it.
     *
     * @throws IllegalArgumentException if the text is not one well-formed I-JSON value
     */
    public static Object parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no JSON text");
        }
        Json reader = new Json(text);
        reader.skipWhiteSpace();
        Object value = reader.value();
        reader.skipWhiteSpace();
        if (reader.at != text.length()) {
            throw reader.error("unexpected text after the JSON value");
        }
        return value;
    }

    /** Parses a text that must be a JSON object. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> parseObject(String text) {
        Object value = parse(text);
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        return (Map<String, Object>) value;
    }

    private Object value() {
        if (at >= text.length()) {
            throw error("unexpected end of the text");
        }
        char c = text.charAt(at);
        switch (c) {
            case '{':
                return object();
            case '[':
                return array();
            case '"':
                return string();
            case 't':
                return literal("true", Boolean.TRUE);
            case 'f':
                return literal("false", Boolean.FALSE);
            case 'n':
                return literal("null", null);
            default:
                if (c == '-' || (c >= '0' && c <= '9')) {
                    return number();
                }
                throw error("unexpected character '" + printable(c) + "'");
        }
    }

    private Map<String, Object> object() {
        enter();
        at++; // {
        Map<String, Object> members = new LinkedHashMap<>();
        skipWhiteSpace();
        if (peek() == '}') {
            at++;
            depth--;
            return Collections.unmodifiableMap(members);
        }
        while (true) {
            skipWhiteSpace();
            if (peek() != '"') {
                throw error("expected a member name in double quotes");
            }
            int nameAt = at;
            String name = string();
            skipWhiteSpace();
            expect(':');
            skipWhiteSpace();
            Object value = value();
            if (members.containsKey(name)) {
                at = nameAt;
                throw error("duplicate member name \"" + name + "\" (I-JSON forbids them)");
            }
            members.put(name, value);
            skipWhiteSpace();
            char next = peek();
            at++;
            if (next == '}') {
                depth--;
                return Collections.unmodifiableMap(members);
            }
            if (next != ',') {
                at--;
                throw error("expected ',' or '}' in an object");
            }
        }
    }

    private List<Object> array() {
        enter();
        at++; // [
        List<Object> elements = new ArrayList<>();
        skipWhiteSpace();
        if (peek() == ']') {
            at++;
            depth--;
            return Collections.unmodifiableList(elements);
        }
        while (true) {
            skipWhiteSpace();
            elements.add(value());
            skipWhiteSpace();
            char next = peek();
            at++;
            if (next == ']') {
                depth--;
                return Collections.unmodifiableList(elements);
            }
            if (next != ',') {
                at--;
                throw error("expected ',' or ']' in an array");
            }
        }
    }

    private String string() {
        int start = at;
        at++; // opening quote
        StringBuilder out = new StringBuilder();
        while (true) {
            if (at >= text.length()) {
                at = start;
                throw error("unterminated string");
            }
            char c = text.charAt(at++);
            if (c == '"') {
                break;
            }
            if (c < 0x20) {
                at--;
                throw error("unescaped control character U+" + String.format("%04X", (int) c) + " in a string");
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (at >= text.length()) {
                throw error("unterminated escape");
            }
            char e = text.charAt(at++);
            switch (e) {
                case '"':
                    out.append('"');
                    break;
                case '\\':
                    out.append('\\');
                    break;
                case '/':
                    out.append('/');
                    break;
                case 'b':
                    out.append('\b');
                    break;
                case 'f':
                    out.append('\f');
                    break;
                case 'n':
                    out.append('\n');
                    break;
                case 'r':
                    out.append('\r');
                    break;
                case 't':
                    out.append('\t');
                    break;
                case 'u':
                    out.append(unicodeEscape());
                    break;
                default:
                    at -= 2;
                    throw error("invalid escape '\\" + printable(e) + "'");
            }
        }
        String value = out.toString();
        checkSurrogates(value, start);
        return value;
    }

    private char unicodeEscape() {
        if (at + 4 > text.length()) {
            throw error("truncated \\u escape");
        }
        int code = 0;
        for (int i = 0; i < 4; i++) {
            int digit = Character.digit(text.charAt(at + i), 16);
            if (digit < 0) {
                throw error("invalid \\u escape");
            }
            code = code * 16 + digit;
        }
        at += 4;
        return (char) code;
    }

    private void checkSurrogates(String value, int stringAt) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)
                    && i + 1 < value.length()
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                at = stringAt;
                throw error(
                        "a string holds a lone surrogate U+" + String.format("%04X", (int) c) + " (not valid Unicode)");
            }
        }
    }

    private Double number() {
        int start = at;
        if (peek() == '-') {
            at++;
        }
        if (peek() == '0') {
            at++;
        } else if (isDigit(peek())) {
            while (isDigit(peek())) {
                at++;
            }
        } else {
            throw error("a number needs digits");
        }
        if (peek() == '.') {
            at++;
            if (!isDigit(peek())) {
                throw error("a decimal point needs digits after it");
            }
            while (isDigit(peek())) {
                at++;
            }
        }
        if (peek() == 'e' || peek() == 'E') {
            at++;
            if (peek() == '+' || peek() == '-') {
                at++;
            }
            if (!isDigit(peek())) {
                throw error("an exponent needs digits");
            }
            while (isDigit(peek())) {
                at++;
            }
        }
        double value = Double.parseDouble(text.substring(start, at));
        if (Double.isInfinite(value)) {
            at = start;
            throw error("number out of the IEEE 754 double range");
        }
        return value;
    }

    private Object literal(String word, Object value) {
        if (!text.startsWith(word, at)) {
            throw error("unexpected word (expected " + word + ")");
        }
        at += word.length();
        return value;
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("nested deeper than " + MAX_DEPTH + " levels");
        }
    }

    private void expect(char c) {
        if (peek() != c) {
            throw error("expected '" + c + "'");
        }
        at++;
    }

    private char peek() {
        return at < text.length() ? text.charAt(at) : '\0';
    }

    private void skipWhiteSpace() {
        while (at < text.length()) {
            char c = text.charAt(at);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            at++;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String printable(char c) {
        return c < 0x20 || c > 0x7e ? String.format("U+%04X", (int) c) : String.valueOf(c);
    }

    private IllegalArgumentException error(String message) {
        return new IllegalArgumentException("invalid JSON at offset " + at + ": " + message);
    }
}
