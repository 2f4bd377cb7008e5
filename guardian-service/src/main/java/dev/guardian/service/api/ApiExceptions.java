package dev.guardian.service.api;

import java.time.Duration;
import java.util.List;

/** Exceptions the controllers raise for the edge cases of HTTP; the advice turns each into a problem. */
final class ApiExceptions {
    private ApiExceptions() {}

    static final class Unauthenticated extends RuntimeException {
        Unauthenticated() {
            super("a valid API key is required: send 'Authorization: Bearer <key>'");
        }
    }

    static final class Forbidden extends RuntimeException {
        Forbidden(String message) {
            super(message);
        }
    }

    static final class NotFound extends RuntimeException {
        NotFound(String what) {
            super(what);
        }
    }

    /** A field is well-formed but invalid in context, e.g. more decimals than the token has. */
    static final class InvalidField extends RuntimeException {
        private final List<FieldProblem> errors;

        InvalidField(String field, String message) {
            super(field + ": " + message);
            this.errors = List.of(new FieldProblem(field, message));
        }

        /** Several problems at once, so a caller can fix them all in one go. */
        InvalidField(List<FieldProblem> errors) {
            super(errors.stream()
                    .map(f -> f.pointer() + ": " + f.message())
                    .reduce((a, b) -> a + "; " + b)
                    .orElse("invalid"));
            this.errors = List.copyOf(errors);
        }

        List<FieldProblem> errors() {
            return errors;
        }
    }

    /** The request is valid but the state of what it names does not allow it (409). */
    static final class Conflict extends RuntimeException {
        private final String problem;

        Conflict(String problem, String message) {
            super(message);
            this.problem = problem;
        }

        String problem() {
            return problem;
        }
    }

    /** One invalid field: its JSON pointer and what is wrong with it. */
    /** An agent over its own rate or concurrency: it may try again after {@code retryAfter}. */
    static final class TooManyRequests extends RuntimeException {
        private final Duration retryAfter;

        TooManyRequests(String message, Duration retryAfter) {
            super(message);
            this.retryAfter = retryAfter;
        }

        Duration retryAfter() {
            return retryAfter;
        }
    }

    record FieldProblem(String pointer, String message) {}
}
