package dev.guardian.service.database;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessResourceException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Tells a database that cannot be reached or does not answer in time from every other failure. What
 * arrives during an outage (seen against a real PostgreSQL, stopped with SIGSTOP or cut off) is always
 * one of these somewhere in the cause chain: Hikari's {@link SQLTransientConnectionException} when no
 * connection came within {@code connection-timeout} (wrapped by Spring in a
 * {@code CannotGetJdbcConnectionException} or a {@code CannotCreateTransactionException}), or pgjdbc's
 * {@code PSQLException} with a connection-class SQLState ({@code 08xxx}: "An I/O error occurred while
 * sending to the backend", caused by a {@code SocketTimeoutException} after {@code socketTimeout} or a
 * reset), which Spring translates to a {@link DataAccessResourceFailureException}. A server shutting down
 * or starting ({@code 57P01}–{@code 57P03}), refusing more connections ({@code 53300}) or cancelling a
 * statement that ran past its timeout ({@code 57014}) counts too: retrying later is the answer to each.
 * When the connection broke inside a transaction, the rollback fails too (Hikari has closed it: "Connection
 * is closed", with no SQLState) and Spring throws a {@link TransactionSystemException} in place of the
 * failure that broke it; that first failure, its application exception, is what is judged.
 *
 * <p>A bare {@code java.net} exception does not count: the chain's failures are made of those, and they
 * are the chain adapter's to report. Constraint violations, deadlocks, serialization failures and bugs
 * do not count either; they are not outages.
 */
public final class DatabaseFailures {
    /** SQLStates outside class 08 that mean the server is going away, not there yet, or full. */
    private static final Set<String> UNAVAILABLE_STATES = Set.of("57P01", "57P02", "57P03", "53300", "57014");

    private static final int MAX_DEPTH = 8;

    private DatabaseFailures() {}

    /** Whether {@code failure}, or anything in its cause chain, says the database is unreachable or silent. */
    public static boolean unavailable(Throwable failure) {
        boolean springSaysResource = false;
        for (Throwable t : causes(failure)) {
            if (t instanceof TransactionSystemException rollback
                    && rollback.getApplicationException() != null
                    && rollback.getApplicationException() != failure
                    && unavailable(rollback.getApplicationException())) {
                return true;
            }
            // The driver's own SQLState decides: Spring files whole SQLState classes (53 resources, 54
            // program limits, 57 operator intervention, 58 system errors) under "resource failure", and a
            // statement too complex to run is a bug to report, not an outage for agents to retry forever.
            if (t instanceof SQLException sql) {
                return connectionLost(sql);
            }
            if (t instanceof DataAccessResourceFailureException
                    || t instanceof TransientDataAccessResourceException
                    || t instanceof RecoverableDataAccessException
                    || t instanceof QueryTimeoutException) {
                springSaysResource = true;
            }
        }
        return springSaysResource;
    }

    private static boolean connectionLost(SQLException e) {
        if (e instanceof SQLTransientConnectionException
                || e instanceof SQLNonTransientConnectionException
                || e instanceof SQLRecoverableException
                || e instanceof SQLTimeoutException) {
            return true;
        }
        String state = e.getSQLState();
        return state != null && (state.startsWith("08") || UNAVAILABLE_STATES.contains(state));
    }

    /**
     * The failure's cause chain as exception types and SQLStates only, e.g. {@code
     * CannotGetJdbcConnectionException < SQLTransientConnectionException (SQLState 08001) < ConnectException}:
     * safe to show in a health detail, since drivers put the host, port and user in their messages.
     */
    public static String describe(Throwable failure) {
        List<String> parts = new ArrayList<>();
        for (Throwable t : causes(failure)) {
            String part = t.getClass().getSimpleName();
            if (t instanceof SQLException sql && sql.getSQLState() != null) {
                part += " (SQLState " + sql.getSQLState() + ")";
            }
            if (t instanceof TransactionSystemException rollback
                    && rollback.getApplicationException() != null
                    && rollback.getApplicationException() != failure) {
                part += " (rolling back after " + describe(rollback.getApplicationException()) + ")";
            }
            parts.add(part);
        }
        return String.join(" < ", parts);
    }

    /** {@link #describe} and the innermost message, for the log (which may name the host; never a password). */
    public static String explain(Throwable failure) {
        List<Throwable> chain = causes(failure);
        Throwable innermost = chain.getLast();
        return describe(failure) + (innermost.getMessage() == null ? "" : ": " + innermost.getMessage());
    }

    private static List<Throwable> causes(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t) && chain.size() < MAX_DEPTH; t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
