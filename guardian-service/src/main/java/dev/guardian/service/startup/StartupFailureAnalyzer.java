package dev.guardian.service.startup;

import dev.guardian.signer.KeyUnsealException;
import java.sql.SQLException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Names the cause and the setting of a refused start, looking through the whole chain of causes for what
 * an operator can act on: Guardian's own {@link StartupRefusal}; the database driver's answer when the
 * database cannot be reached, refuses the login, does not exist, or does not let the schema owner create
 * the schema; Flyway's when the schema does not match this Guardian's migrations; a key-encryption key
 * that does not open the stored keys; and, by the convention of Guardian's configuration checks, an
 * exception whose message starts with the property it is about ({@code guardian.agents[0].policy...: ...}).
 * Anything else is left to Spring Boot's analyzers, or its stack trace: a failure nobody foresaw should be
 * shown whole.
 */
public final class StartupFailureAnalyzer implements FailureAnalyzer, Ordered {
    /** {@code guardian.x.y: ...}, {@code guardian.agents[0].wallet: ...}, {@code spring.datasource.url is ...}. */
    private static final Pattern SETTING_FIRST =
            Pattern.compile("^((?:guardian|spring|server|management)\\.[A-Za-z0-9_.\\-\\[\\]]+)[: ]");

    private final Environment environment;

    public StartupFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        return refusal(failure)
                .or(() -> database(failure))
                .or(() -> keyEncryptionKey(failure))
                .or(() -> setting(failure))
                .orElse(null);
    }

    private static Optional<FailureAnalysis> refusal(Throwable failure) {
        return find(failure, StartupRefusal.class)
                .map(r -> new FailureAnalysis(sentence(r.getMessage()), "Setting: " + r.setting() + ".", failure));
    }

    private Optional<FailureAnalysis> database(Throwable failure) {
        Optional<FlywayValidateException> invalid = find(failure, FlywayValidateException.class);
        if (invalid.isPresent()) {
            return Optional.of(new FailureAnalysis(
                    "the database's schema does not match this Guardian's migrations ("
                            + firstLine(invalid.get().getMessage()) + ").",
                    "Setting: spring.flyway.*. Run the Guardian version that migrated it, or restore the database;"
                            + " never edit an applied migration.",
                    failure));
        }
        Optional<SQLException> sql = find(failure, SQLException.class);
        if (sql.isEmpty()) {
            return Optional.empty();
        }
        String state = sql.get().getSQLState() == null ? "" : sql.get().getSQLState();
        String answer = firstLine(sql.get().getMessage());
        // Flyway connects as the schema owner, the application as its restricted role.
        boolean owner = find(failure, FlywayException.class).isPresent();
        String login = owner
                ? "spring.flyway.user / spring.flyway.password (the schema owner)"
                : "spring.datasource.username / spring.datasource.password";
        String where = databaseUrl();
        FailureAnalysis analysis;
        if (state.startsWith("08") || state.startsWith("57P")) {
            analysis = new FailureAnalysis(
                    "cannot reach its database " + where + " (" + answer + ").",
                    "Setting: spring.datasource.url. Check the host, port and database name, and that PostgreSQL is"
                            + " running and accepts connections from this host.",
                    failure);
        } else if (state.startsWith("28")) {
            analysis = new FailureAnalysis(
                    "the database " + where + " refused the login (" + answer + ").",
                    "Setting: " + login + ".",
                    failure);
        } else if (state.equals("3D000")) {
            analysis = new FailureAnalysis(
                    "the database " + where + " does not exist (" + answer + ").",
                    "Setting: spring.datasource.url. Create it, owned by the schema owner: create database guardian"
                            + " owner guardian_owner (docs/operations.md).",
                    failure);
        } else if (state.equals("42501") && owner) {
            analysis = new FailureAnalysis(
                    "the schema owner may not create Guardian's schema in " + where + " (" + answer + ").",
                    "Setting: spring.flyway.user. Since PostgreSQL 15 only the database's owner may create in its public"
                            + " schema: alter database guardian owner to guardian_owner (docs/operations.md).",
                    failure);
        } else if (state.equals("42P01") || state.equals("42703")) {
            analysis = new FailureAnalysis(
                    "the database " + where + " does not have this Guardian's schema (" + answer + ").",
                    "Setting: spring.flyway.enabled. Let Guardian migrate it at start (the default, with"
                            + " spring.flyway.user the schema owner), or run the migrations first.",
                    failure);
        } else {
            // Anything else the database said (a constraint, a bug) is not a setting to change: the whole
            // stack trace, as Spring Boot prints it, is what an operator or a developer needs.
            return Optional.empty();
        }
        return Optional.of(analysis);
    }

    private static Optional<FailureAnalysis> keyEncryptionKey(Throwable failure) {
        return find(failure, KeyUnsealException.class)
                .map(e -> new FailureAnalysis(
                        "the key-encryption key does not open the keys stored in the database (" + e.getMessage()
                                + ").",
                        "Setting: guardian.keys.kek / guardian.keys.kek-file. Every instance of a deployment needs the"
                                + " key the database's keys were sealed with.",
                        failure));
    }

    private static Optional<FailureAnalysis> setting(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if ((t instanceof IllegalStateException || t instanceof IllegalArgumentException)
                    && t.getMessage() != null) {
                Matcher named = SETTING_FIRST.matcher(t.getMessage());
                if (named.find()) {
                    return Optional.of(
                            new FailureAnalysis(sentence(t.getMessage()), "Setting: " + named.group(1) + ".", failure));
                }
            }
        }
        return Optional.empty();
    }

    /** The configured URL without its query string or parameters (they may hold a password). */
    private String databaseUrl() {
        String url = environment == null ? null : environment.getProperty("spring.datasource.url");
        if (url == null || url.isBlank()) {
            return "(spring.datasource.url)";
        }
        int cut = url.indexOf('?');
        String plain = cut < 0 ? url : url.substring(0, cut);
        // jdbc:postgresql://user:password@host/db is not valid for the driver, but never print it if given.
        return plain.replaceAll("//[^/@]*@", "//");
    }

    private static <T extends Throwable> Optional<T> find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        String line = message.strip().lines().findFirst().orElse("").strip();
        return line.endsWith(".") ? line.substring(0, line.length() - 1) : line;
    }

    private static String sentence(String message) {
        String text = OneLineFailureReporter.flatten(message == null ? "" : message);
        return text.endsWith(".") ? text : text + ".";
    }
}
