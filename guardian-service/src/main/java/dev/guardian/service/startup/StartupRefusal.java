package dev.guardian.service.startup;

import java.util.Objects;

/**
 * Guardian will not start, because of {@code setting}: thrown by its own start-up checks, with a message
 * that says what is wrong and what to do, in words an operator can act on without a stack trace.
 */
public class StartupRefusal extends RuntimeException {
    private final String setting;

    public StartupRefusal(String setting, String reason) {
        super(reason);
        this.setting = Objects.requireNonNull(setting, "setting");
    }

    public StartupRefusal(String setting, String reason, Throwable cause) {
        super(reason, cause);
        this.setting = Objects.requireNonNull(setting, "setting");
    }

    /** The property (or properties) to change, e.g. {@code guardian.keys.kek}. */
    public String setting() {
        return setting;
    }
}
