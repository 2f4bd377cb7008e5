package dev.guardian.service.policies;

import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;

/** RFC 6901 pointers into the submitted document, from the places validation problems are found. */
final class JsonPointers {
    private JsonPointers() {}

    /** {@code /a~1b} for the key {@code a/b}: '~' and '/' are escaped, everything else is literal. */
    static String child(String parent, String key) {
        return parent + "/" + key.replace("~", "~0").replace("/", "~1");
    }

    static String child(String parent, int index) {
        return parent + "/" + index;
    }

    /**
     * The pointer of a Hibernate Validator property path: {@code budgets[0].limit} is {@code /budgets/0/limit},
     * a map value's key becomes a segment, and container-element nodes add only their index or key.
     */
    static String of(Path path) {
        String pointer = "";
        for (Path.Node node : path) {
            if (node.getIndex() != null) {
                pointer = child(pointer, node.getIndex());
            } else if (node.getKey() != null) {
                pointer = child(pointer, String.valueOf(node.getKey()));
            }
            if (node.getKind() == ElementKind.PROPERTY && node.getName() != null) {
                pointer = child(pointer, node.getName());
            }
        }
        return pointer;
    }

    /**
     * The pointer of the value the parser stands on. At the start of an object or array the parser has
     * already entered it, so the value's own place is its parent's current position.
     */
    static String of(JsonParser parser) {
        TokenStreamContext context = parser.streamReadContext();
        JsonToken token = parser.currentToken();
        if ((token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) && context.getParent() != null) {
            context = context.getParent();
        }
        return context.pathAsPointer().toString();
    }

    /**
     * The pointer of the object the parser is reading: inside it (at a field name) that is its parent's
     * position; once it has read the closing brace the parser is back at that position already.
     */
    static String objectAt(JsonParser parser) {
        TokenStreamContext context = parser.streamReadContext();
        if (context.inObject() && parser.currentToken() != JsonToken.END_OBJECT && context.getParent() != null) {
            context = context.getParent();
        }
        return context.pathAsPointer().toString();
    }
}
