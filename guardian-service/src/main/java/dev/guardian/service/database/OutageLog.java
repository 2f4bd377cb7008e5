package dev.guardian.service.database;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a background worker lives through a database outage: a pass that fails because the database cannot
 * be reached or does not answer ({@link DatabaseFailures#unavailable}) is given up quietly, and the next
 * pass, on the worker's own schedule, simply tries again. The log says so once per outage, at WARN when
 * the first pass fails and at INFO when a pass works again, instead of a stack trace on every tick. Any
 * other failure is thrown on, to whatever logs it today.
 *
 * <p>Every worker's pass is a transaction, or several, that roll back when the database goes away, so a
 * pass given up leaves nothing half done; where a pass did something outside the database first (a
 * broadcast, a webhook delivery), the worker's own records let the next pass find and finish it.
 */
public final class OutageLog {
    private final String worker;
    private final Logger log;
    private final AtomicBoolean down = new AtomicBoolean();

    /**
     * @param worker how the log names the worker, e.g. {@code receipt worker}
     * @param owner the class whose logger the lines are written to
     */
    public OutageLog(String worker, Class<?> owner) {
        this.worker = Objects.requireNonNull(worker, "worker");
        this.log = LoggerFactory.getLogger(owner);
    }

    /** Runs one pass: to its end, or until the database fails it, which is logged once per outage. */
    public void run(Runnable pass) {
        try {
            pass.run();
        } catch (RuntimeException e) {
            if (!DatabaseFailures.unavailable(e)) {
                throw e;
            }
            if (down.compareAndSet(false, true)) {
                log.warn(
                        "{} paused: the database cannot be reached or does not answer ({}); it tries again on every"
                                + " pass and says when it works again",
                        worker,
                        DatabaseFailures.explain(e));
            }
            return;
        }
        if (down.compareAndSet(true, false)) {
            log.info("{} resumed: the database answers again", worker);
        }
    }
}
