package dev.guardian.verifier;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The JSON Canonicalization Scheme, RFC 8785: no white space; object members sorted by their names as
 * arrays of UTF-16 code units; strings with the minimal escaping of ECMAScript's {@code JSON.stringify};
 * numbers as ECMAScript's {@code Number.prototype.toString} prints the IEEE 754 double they denote.
 *
 * <p>Input is plain Java as {@link Json} produces it: maps with string keys, lists, strings, booleans,
 * {@code null} and numbers. A {@code Double} is taken as it is (that is what JCS prescribes for parsed
 * text). An integer or decimal handed over by a program ({@code Long}, {@code BigInteger},
 * {@code BigDecimal}...) must denote exactly one double, otherwise it is refused: canonicalizing it
 * would silently record a different number. Such values belong in strings.
 */
public final class Jcs {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final double TWO_TO_53 = 9007199254740992d;

    private Jcs() {}

    /** The canonical form of {@code value}, as text. */
    public static String canonicalize(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.toString();
    }

    /** The canonical form of {@code value}, as the UTF-8 bytes that are hashed and signed. */
    public static byte[] canonicalBytes(Object value) {
        return canonicalize(value).getBytes(StandardCharsets.UTF_8);
    }

    /** Reads JSON text and returns its canonical form. */
    public static String canonicalize(String jsonText) {
        return canonicalize(Json.parse(jsonText));
    }

    private static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean) {
            out.append(((Boolean) value).booleanValue() ? "true" : "false");
        } else if (value instanceof CharSequence) {
            writeString(value.toString(), out);
        } else if (value instanceof Number) {
            out.append(formatNumber(toDouble((Number) value)));
        } else if (value instanceof Map) {
            writeObject((Map<?, ?>) value, out);
        } else if (value instanceof List) {
            out.append('[');
            boolean first = true;
            for (Object element : (List<?>) value) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                write(element, out);
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("JCS has no form for a "
                    + value.getClass().getName() + "; use maps, lists, strings, numbers, booleans and null");
        }
    }

    private static void writeObject(Map<?, ?> object, StringBuilder out) {
        List<String> names = new ArrayList<>(object.size());
        for (Object key : object.keySet()) {
            if (!(key instanceof String)) {
                throw new IllegalArgumentException("a JSON member name is a string; got " + key);
            }
            names.add((String) key);
        }
        // String.compareTo compares UTF-16 code units, which is exactly the order RFC 8785 prescribes.
        names.sort(String::compareTo);
        out.append('{');
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            writeString(names.get(i), out);
            out.append(':');
            write(object.get(names.get(i)), out);
        }
        out.append('}');
    }

    private static void writeString(String value, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"':
                    out.append("\\\"");
                    break;
                case '\\':
                    out.append("\\\\");
                    break;
                case '\b':
                    out.append("\\b");
                    break;
                case '\f':
                    out.append("\\f");
                    break;
                case '\n':
                    out.append("\\n");
                    break;
                case '\r':
                    out.append("\\r");
                    break;
                case '\t':
                    out.append("\\t");
                    break;
                default:
                    if (c < 0x20) {
                        out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
                    } else if (Character.isHighSurrogate(c)
                            && i + 1 < value.length()
                            && Character.isLowSurrogate(value.charAt(i + 1))) {
                        out.append(c).append(value.charAt(++i));
                    } else if (Character.isSurrogate(c)) {
                        throw new IllegalArgumentException("a string holds a lone surrogate U+"
                                + String.format("%04X", (int) c) + "; JCS needs valid Unicode");
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }

    private static double toDouble(Number number) {
        if (number instanceof Double || number instanceof Float) {
            return number.doubleValue();
        }
        BigDecimal exact;
        if (number instanceof BigDecimal) {
            exact = (BigDecimal) number;
        } else if (number instanceof BigInteger) {
            exact = new BigDecimal((BigInteger) number);
        } else if (number instanceof Long
                || number instanceof Integer
                || number instanceof Short
                || number instanceof Byte) {
            exact = BigDecimal.valueOf(number.longValue());
        } else {
            throw new IllegalArgumentException(
                    "JCS has no form for a " + number.getClass().getName());
        }
        double d = exact.doubleValue();
        if (Double.isInfinite(d) || new BigDecimal(d).compareTo(exact) != 0) {
            throw new IllegalArgumentException("the number " + exact.toPlainString()
                    + " is not exactly an IEEE 754 double, so JCS would change it; write it as a string");
        }
        return d;
    }

    /**
     * ECMAScript's Number::toString for a finite double: the shortest decimal that reads back as the
     * same double (the nearest such when several have that length), in plain notation from 1e-6 up to
     * 1e21 and in exponent notation outside.
     *
     * @throws IllegalArgumentException for NaN and the infinities, which JSON cannot carry
     */
    public static String formatNumber(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("JSON has no form for " + value);
        }
        if (value == 0) {
            return "0"; // both zeros
        }
        if (value < 0) {
            return "-" + formatNumber(-value);
        }
        if (value < TWO_TO_53 && value == Math.rint(value)) {
            return Long.toString((long) value);
        }
        BigDecimal shortest = shortestDecimal(value).stripTrailingZeros();
        String digits = shortest.unscaledValue().toString();
        int k = digits.length();
        int n = k - shortest.scale(); // value = 0.digits × 10^n
        StringBuilder out = new StringBuilder();
        if (k <= n && n <= 21) {
            out.append(digits);
            for (int i = 0; i < n - k; i++) {
                out.append('0');
            }
        } else if (0 < n && n <= 21) {
            out.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            out.append("0.");
            for (int i = 0; i < -n; i++) {
                out.append('0');
            }
            out.append(digits);
        } else {
            int exponent = n - 1;
            out.append(digits.charAt(0));
            if (k > 1) {
                out.append('.').append(digits, 1, k);
            }
            out.append('e').append(exponent < 0 ? '-' : '+').append(Math.abs(exponent));
        }
        return out.toString();
    }

    /**
     * The decimal with the fewest significant digits that rounds to {@code value}; among several of
     * that length, the one nearest to it (and the even one on a tie). Rounding the exact binary value
     * to p digits gives the nearest p-digit decimal; where the rounding interval is lopsided (at powers
     * of two) that one may miss while its neighbour on the wider side hits, so both neighbours are
     * tried too.
     */
    private static BigDecimal shortestDecimal(double value) {
        BigDecimal exact = new BigDecimal(value);
        for (int precision = 1; precision <= 17; precision++) {
            BigDecimal nearest = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (nearest.doubleValue() == value) {
                return nearest;
            }
            BigDecimal step = nearest.ulp();
            BigDecimal below = nearest.subtract(step);
            BigDecimal above = nearest.add(step);
            boolean belowHits = below.signum() > 0 && below.doubleValue() == value;
            boolean aboveHits = above.doubleValue() == value;
            if (belowHits && aboveHits) {
                int order = below.subtract(exact)
                        .abs()
                        .compareTo(above.subtract(exact).abs());
                if (order != 0) {
                    return order < 0 ? below : above;
                }
                return below.unscaledValue().testBit(0) ? above : below;
            }
            if (belowHits) {
                return below;
            }
            if (aboveHits) {
                return above;
            }
        }
        throw new IllegalStateException("no decimal of 17 digits reads back as " + value);
    }
}
