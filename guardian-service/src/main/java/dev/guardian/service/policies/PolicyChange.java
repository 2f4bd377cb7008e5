package dev.guardian.service.policies;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One difference between two canonical policy documents, in the vocabulary of JSON Patch (RFC 6902).
 *
 * @param op   {@code add}, {@code remove} or {@code replace}
 * @param path the JSON pointer of what changed
 * @param from the value before (absent for an addition)
 * @param to   the value after (absent for a removal)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PolicyChange(String op, String path, Object from, Object to) {
    public static final String ADD = "add";
    public static final String REMOVE = "remove";
    public static final String REPLACE = "replace";

    public PolicyChange {
        Objects.requireNonNull(path, "path");
        if (!Set.of(ADD, REMOVE, REPLACE).contains(op)) {
            throw new IllegalArgumentException("a change is add, remove or replace, not " + op);
        }
    }

    /**
     * The changes from {@code before} to {@code after}. Objects are compared field by field and lists
     * position by position; a field or element that differs in kind is replaced whole. Removals at the
     * end of a list are listed from the last element, so applying them in order is valid JSON Patch.
     */
    static List<PolicyChange> between(JsonNode before, JsonNode after, JsonMapper json) {
        List<PolicyChange> changes = new ArrayList<>();
        compare("", before, after, changes, json);
        return List.copyOf(changes);
    }

    private static void compare(
            String path, JsonNode before, JsonNode after, List<PolicyChange> changes, JsonMapper json) {
        if (before.equals(after)) {
            return;
        }
        if (before.isObject() && after.isObject()) {
            Set<String> names = new LinkedHashSet<>(before.propertyNames());
            names.addAll(after.propertyNames());
            for (String name : names) {
                String child = JsonPointers.child(path, name);
                JsonNode was = before.get(name);
                JsonNode is = after.get(name);
                if (was == null) {
                    changes.add(new PolicyChange(ADD, child, null, plain(is, json)));
                } else if (is == null) {
                    changes.add(new PolicyChange(REMOVE, child, plain(was, json), null));
                } else {
                    compare(child, was, is, changes, json);
                }
            }
        } else if (before.isArray() && after.isArray()) {
            int common = Math.min(before.size(), after.size());
            for (int i = 0; i < common; i++) {
                compare(JsonPointers.child(path, i), before.get(i), after.get(i), changes, json);
            }
            for (int i = before.size() - 1; i >= common; i--) {
                changes.add(new PolicyChange(REMOVE, JsonPointers.child(path, i), plain(before.get(i), json), null));
            }
            for (int i = common; i < after.size(); i++) {
                changes.add(new PolicyChange(ADD, JsonPointers.child(path, i), null, plain(after.get(i), json)));
            }
        } else {
            changes.add(new PolicyChange(REPLACE, path, plain(before, json), plain(after, json)));
        }
    }

    /** Plain Java values (maps, lists, strings, numbers) so the change renders the same in JSON and in audit records. */
    private static Object plain(JsonNode node, JsonMapper json) {
        return json.treeToValue(node, Object.class);
    }
}
