package dev.guardian.service.policies;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.cfg.MapperBuilder;
import tools.jackson.databind.deser.DeserializationProblemHandler;
import tools.jackson.databind.deser.ValueInstantiator;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads the bytes of a policy document, JSON or YAML, into a {@link PolicyDocument}, collecting every
 * field of the wrong shape and every unknown field as a {@link PolicyProblem} instead of stopping at the
 * first. Only a document that is not JSON or YAML at all (or has a key twice) stops reading, with one
 * problem that says where.
 */
final class DocumentReader {
    private static final String EMPTY = "the document is empty; a policy is an object (a mapping of fields)";
    private final ObjectMapper json = configure(JsonMapper.builder()).build();
    private final ObjectMapper yaml = configure(YAMLMapper.builder()).build();

    private static <M extends ObjectMapper, B extends MapperBuilder<M, B>> B configure(B builder) {
        return builder.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .addHandler(new CollectingHandler());
    }

    /** The document and what is wrong with its shape; a document that cannot be read at all is null. */
    record Read(PolicyDocument document, List<PolicyProblem> problems) {}

    Read read(byte[] body, boolean isYaml) {
        List<PolicyProblem> problems = new ArrayList<>();
        if (new String(body, StandardCharsets.UTF_8).isBlank()) {
            problems.add(new PolicyProblem("", EMPTY));
            return new Read(null, problems);
        }
        ObjectMapper mapper = isYaml ? yaml : json;
        try {
            PolicyDocument document = mapper.readerFor(PolicyDocument.class)
                    .withAttribute(TextValues.PROBLEMS, problems)
                    .readValue(body);
            if (document == null && problems.isEmpty()) {
                problems.add(new PolicyProblem("", EMPTY));
            }
            return new Read(document, problems);
        } catch (JacksonException e) {
            problems.add(new PolicyProblem(pointer(e), unreadable(e, isYaml)));
            return new Read(null, problems);
        }
    }

    /** Reads a stored canonical document; any problem is a bug, not input. */
    PolicyDocument readStored(String canonicalJson) {
        return json.readValue(canonicalJson, PolicyDocument.class);
    }

    private static String pointer(JacksonException e) {
        String pointer = "";
        for (JacksonException.Reference reference : e.getPath()) {
            pointer = reference.getPropertyName() != null
                    ? JsonPointers.child(pointer, reference.getPropertyName())
                    : JsonPointers.child(pointer, reference.getIndex());
        }
        return pointer;
    }

    private static String unreadable(JacksonException e, boolean isYaml) {
        String what = isYaml ? "YAML" : "JSON";
        String message = e.getOriginalMessage();
        if (message != null && message.startsWith("No content to map")) {
            return EMPTY; // a YAML document of comments only
        }
        if (message != null && message.startsWith("Duplicate Object property")) {
            what = isYaml ? "YAML (a key appears twice)" : "JSON (a key appears twice)";
        }
        TokenStreamLocation at = e.getLocation();
        String where =
                at == null || at.getLineNr() < 0 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return "not valid " + what + where + ": " + firstLine(message);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** Records shape problems with their pointers and lets reading go on with the value absent. */
    private static final class CollectingHandler extends DeserializationProblemHandler {
        @Override
        public boolean handleUnknownProperty(
                DeserializationContext context,
                JsonParser parser,
                ValueDeserializer<?> deserializer,
                Object beanOrClass,
                String propertyName) {
            if (context.getAttribute(TextValues.PROBLEMS) == null) {
                return false;
            }
            // Jackson may replay an unknown field from a buffer once the object is read, through a parser
            // that no longer knows where it is; the parser reading the document still knows which object.
            String pointer = parser == context.getParser()
                    ? JsonPointers.of(parser)
                    : JsonPointers.child(JsonPointers.objectAt(context.getParser()), propertyName);
            TextValues.problem(parser, context, pointer, "unknown field '" + propertyName + "'");
            return true;
        }

        @Override
        public Object handleUnexpectedToken(
                DeserializationContext context,
                JavaType targetType,
                JsonToken token,
                JsonParser parser,
                String failureMessage) {
            return collect(context, parser, targetType.getRawClass());
        }

        @Override
        public Object handleWeirdStringValue(
                DeserializationContext context, Class<?> targetType, String value, String failureMessage) {
            return collect(context, context.getParser(), targetType);
        }

        @Override
        public Object handleWeirdNumberValue(
                DeserializationContext context, Class<?> targetType, Number value, String failureMessage) {
            return collect(context, context.getParser(), targetType);
        }

        @Override
        public Object handleMissingInstantiator(
                DeserializationContext context,
                Class<?> instanceClass,
                ValueInstantiator instantiator,
                JsonParser parser,
                String message) {
            return collect(context, parser, instanceClass);
        }

        private static Object collect(DeserializationContext context, JsonParser parser, Class<?> target) {
            if (context.getAttribute(TextValues.PROBLEMS) == null) {
                return NOT_HANDLED;
            }
            return TextValues.problem(parser, context, "must be " + expected(target));
        }

        private static String expected(Class<?> target) {
            if (target == Integer.class || target == int.class) {
                return "a whole number";
            }
            if (List.class.isAssignableFrom(target)) {
                return "a list";
            }
            if (target == String.class) {
                return "a text value";
            }
            if (Map.class.isAssignableFrom(target) || target.isRecord()) {
                return "an object (a mapping of fields)";
            }
            return "of another type";
        }
    }
}
