package dev.guardian.service.policies;

import java.math.BigDecimal;
import java.util.List;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Reads amounts and addresses as the text that was written. A JSON or YAML number is taken from its
 * literal digits, never through a {@code double}, so {@code 12.50} is exactly twelve and a half; an
 * unquoted YAML address (which YAML would read as a hexadecimal number) keeps its letters and checksum.
 * A value of the wrong shape is recorded as a problem and read as absent, so reading goes on and every
 * problem in the document is found in one pass.
 */
final class TextValues {
    /** The context attribute holding the list problems are collected into while one document is read. */
    static final Object PROBLEMS = TextValues.class.getName() + ".problems";

    private TextValues() {}

    static final class Amount extends ValueDeserializer<String> {
        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_STRING) {
                return parser.getString();
            }
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                try {
                    BigDecimal exact = new BigDecimal(parser.getString());
                    return (exact.scale() < 0 ? exact.setScale(0) : exact).toPlainString();
                } catch (NumberFormatException e) {
                    return problem(parser, context, "must be a decimal amount in whole units, such as \"12.50\"");
                }
            }
            return problem(parser, context, "must be a decimal amount in whole units, such as \"12.50\"");
        }
    }

    static final class Address extends ValueDeserializer<String> {
        @Override
        public String deserialize(JsonParser parser, DeserializationContext context) {
            JsonToken token = parser.currentToken();
            if (token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NUMBER_INT) {
                return parser.getString();
            }
            return problem(parser, context, "must be an address: 0x followed by 40 hex digits");
        }
    }

    /**
     * A count (a transaction limit, a quorum): a whole number, written as a number or as digits in text.
     * A fraction is a problem, never rounded.
     */
    static final class WholeNumber extends ValueDeserializer<Integer> {
        @Override
        public Integer deserialize(JsonParser parser, DeserializationContext context) {
            JsonToken token = parser.currentToken();
            String text = token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_STRING
                    ? parser.getString().strip()
                    : "";
            if (!text.matches("[0-9]{1,9}")) {
                return problem(parser, context, "must be a whole number");
            }
            return Integer.valueOf(text);
        }
    }

    /**
     * A chain id: a whole number from 1 (EIP-155), written as a number or as digits in text; one that does
     * not fit in 63 bits names no chain anyone runs.
     */
    static final class ChainId extends ValueDeserializer<Long> {
        @Override
        public Long deserialize(JsonParser parser, DeserializationContext context) {
            JsonToken token = parser.currentToken();
            String text = token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_STRING
                    ? parser.getString().strip()
                    : "";
            if (!text.matches("[1-9][0-9]{0,17}")) {
                return problem(parser, context, "must be a chain id: a whole number from 1, such as 8453");
            }
            return Long.valueOf(text);
        }
    }

    /** Records a problem at the parser's position, skips the value, and reads it as absent. */
    static <T> T problem(JsonParser parser, DeserializationContext context, String message) {
        return problem(parser, context, JsonPointers.of(parser), message);
    }

    /** Records a problem at {@code pointer}, skips the value the parser stands on, and reads it as absent. */
    static <T> T problem(JsonParser parser, DeserializationContext context, String pointer, String message) {
        problems(parser, context).add(new PolicyProblem(pointer, message));
        parser.skipChildren();
        return null;
    }

    @SuppressWarnings("unchecked")
    private static List<PolicyProblem> problems(JsonParser parser, DeserializationContext context) {
        Object problems = context.getAttribute(PROBLEMS);
        if (problems == null) {
            // Reading a stored version, which was valid when it was stored: a problem now is a bug, not input.
            throw MismatchedInputException.from(parser, String.class, "unexpected value in a stored policy document");
        }
        return (List<PolicyProblem>) problems;
    }
}
