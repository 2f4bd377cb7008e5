package dev.guardian.service.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns the refusal to start without a database into Spring Boot's short failure report, without a stack trace. */
class NoDatabaseFailureAnalyzer extends AbstractFailureAnalyzer<NoDatabaseConfiguration.NoDatabaseException> {
    @Override
    protected FailureAnalysis analyze(Throwable root, NoDatabaseConfiguration.NoDatabaseException cause) {
        return new FailureAnalysis(
                "Guardian has no database (" + DatabaseChoice.URL
                        + " is not set) and will not make up a throw-away one.",
                cause.getMessage(),
                cause);
    }
}
