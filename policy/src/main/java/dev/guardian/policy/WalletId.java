package dev.guardian.policy;

import java.util.regex.Pattern;

/** The stable name of a wallet Guardian controls, e.g. {@code research-bot-main}. */
public record WalletId(String value) {
    private static final Pattern FORM = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    public WalletId {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "a wallet id is 1-63 lower case letters, digits or dashes, starting with a letter or digit");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
