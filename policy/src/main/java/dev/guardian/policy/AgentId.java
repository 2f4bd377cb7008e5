package dev.guardian.policy;

import java.util.regex.Pattern;

/** The stable name of an AI agent, e.g. {@code research-bot}: lower case letters, digits and dashes. */
public record AgentId(String value) {
    private static final Pattern FORM = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    public AgentId {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "an agent id is 1-63 lower case letters, digits or dashes, starting with a letter or digit");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
