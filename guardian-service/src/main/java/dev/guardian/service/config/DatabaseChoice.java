package dev.guardian.service.config;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Which database Guardian runs on, decided from configuration before any bean exists. A configured
 * {@code spring.datasource.url} always wins. Without one, Guardian runs an embedded, throw-away
 * PostgreSQL only in the development mode ({@code guardian.dev.enabled=true}, the {@code dev} profile) or
 * when {@value #THROWAWAY} is {@code true}; otherwise it refuses to start, because an embedded database
 * discards at exit everything it holds: the audit log, the requests, and the wallet keys generated into
 * it (and so any funds sent to those wallets).
 */
final class DatabaseChoice {
    static final String URL = "spring.datasource.url";
    static final String THROWAWAY = "guardian.database.embedded-throwaway";
    static final String DEVELOPMENT = "guardian.dev.enabled";

    enum Kind {
        /** {@code spring.datasource.url} is set: Spring Boot's own data source, as in production. */
        CONFIGURED,
        /** No URL, development mode: the embedded database, as the quick start has always used it. */
        EMBEDDED_FOR_DEVELOPMENT,
        /** No URL, the loudly named opt-in: the embedded database outside the development mode (tests). */
        EMBEDDED_OPTED_IN,
        /** No URL and no reason to make one up: start-up is refused. */
        NONE
    }

    private DatabaseChoice() {}

    static Kind of(Environment environment) {
        String url = environment.getProperty(URL, "");
        if (!url.isBlank()) {
            return Kind.CONFIGURED;
        }
        if (environment.getProperty(DEVELOPMENT, Boolean.class, false)) {
            return Kind.EMBEDDED_FOR_DEVELOPMENT;
        }
        if (environment.getProperty(THROWAWAY, Boolean.class, false)) {
            return Kind.EMBEDDED_OPTED_IN;
        }
        return Kind.NONE;
    }

    /** Why Guardian refuses to start without a database. */
    static String problem() {
        return "Guardian has no database: " + URL + " is not set, and outside the development mode Guardian"
                + " does not run on a throw-away one.";
    }

    /** What to configure instead. */
    static String action() {
        return "Set " + URL + " (env SPRING_DATASOURCE_URL, e.g. jdbc:postgresql://db:5432/guardian),"
                + " spring.datasource.username and spring.datasource.password (the application's restricted role;"
                + " spring.flyway.user and spring.flyway.password for the schema owner: docs/operations.md). Only for"
                + " development or tests: --spring.profiles.active=dev, or " + THROWAWAY + "=true, runs an embedded"
                + " PostgreSQL whose data, and the wallet keys generated into it, are discarded at exit.";
    }

    /** Matches when Guardian should start its embedded database. */
    static final class Embedded implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Kind kind = of(context.getEnvironment());
            return kind == Kind.EMBEDDED_FOR_DEVELOPMENT || kind == Kind.EMBEDDED_OPTED_IN;
        }
    }

    /** Matches when there is no database to run on and start-up must be refused. */
    static final class Missing implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return of(context.getEnvironment()) == Kind.NONE;
        }
    }
}
