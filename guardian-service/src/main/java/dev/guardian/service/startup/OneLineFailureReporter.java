package dev.guardian.service.startup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalysisReporter;

/**
 * Writes a refused start as one ERROR line, "Guardian did not start: cause. Setting: ... Action: ...", and
 * the whole exception at DEBUG. Spring Boot's own multi-line report is switched off in application.yml
 * ({@code logging.level.org.springframework.boot.diagnostics.LoggingFailureAnalysisReporter: off}), as are
 * the two framework lines that repeat the whole exception chain while the context shuts down; set this
 * package's level to DEBUG to see the stack trace.
 */
public final class OneLineFailureReporter implements FailureAnalysisReporter {
    private static final Logger log = LoggerFactory.getLogger(OneLineFailureReporter.class);

    @Override
    public void report(FailureAnalysis analysis) {
        log.error("{}", line(analysis));
        log.debug("the refused start in full", analysis.getCause());
    }

    static String line(FailureAnalysis analysis) {
        String cause = flatten(analysis.getDescription());
        String action = analysis.getAction() == null ? "" : flatten(analysis.getAction());
        return "Guardian did not start: " + cause + (action.isEmpty() ? "" : " " + action);
    }

    /** Multi-line reports (Spring's binding errors, Flyway's tables) become one line with single spaces. */
    static String flatten(String text) {
        return text.replaceAll("-{3,}", " ").replaceAll("\\s+", " ").strip();
    }
}
