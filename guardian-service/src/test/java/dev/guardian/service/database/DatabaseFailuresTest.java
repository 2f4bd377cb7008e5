package dev.guardian.service.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * Which failures are the database being away, in the shapes DatabaseOutageTest saw arrive from a real
 * PostgreSQL behind a real pool, and the near misses that must stay what they are: a constraint, a lock
 * timeout, and the chain's own network failures.
 */
class DatabaseFailuresTest {

    static Stream<Arguments> failures() {
        SQLException reset = new SQLException("An I/O error occurred while sending to the backend.", "08006");
        SQLException refused = new SQLException("Connection to 127.0.0.1:5432 refused.", "08001");
        return Stream.of(
                Arguments.of(
                        "no connection from the pool in time",
                        new CannotGetJdbcConnectionException(
                                "Failed to obtain JDBC Connection",
                                new SQLTransientConnectionException(
                                        "HikariPool-1 - Connection is not available", "08001", refused)),
                        true),
                Arguments.of(
                        "no connection for a transaction",
                        new CannotCreateTransactionException(
                                "Could not open JDBC Connection for transaction",
                                new SQLTransientConnectionException("HikariPool-1 - Connection is not available")),
                        true),
                Arguments.of(
                        "a query on a connection that broke or timed out",
                        new DataAccessResourceFailureException("PreparedStatementCallback", reset),
                        true),
                Arguments.of("the server shutting down", new SQLException("terminating connection", "57P01"), true),
                Arguments.of(
                        "the server starting", new SQLException("the database system is starting up", "57P03"), true),
                Arguments.of(
                        "a rollback that found the connection closed, after a query that broke it",
                        rollbackFailedAfter(new DataAccessResourceFailureException("PreparedStatementCallback", reset)),
                        true),
                Arguments.of("a connection failure wrapped in something else", new IllegalStateException(reset), true),
                Arguments.of(
                        "a program limit, which Spring files under resource failures",
                        new DataAccessResourceFailureException(
                                "PreparedStatementCallback", new SQLException("statement too complex", "54001")),
                        false),
                Arguments.of(
                        "disk full, likewise",
                        new DataAccessResourceFailureException(
                                "PreparedStatementCallback", new SQLException("could not extend file", "53100")),
                        false),
                Arguments.of(
                        "a unique constraint",
                        new DataIntegrityViolationException("duplicate key", new SQLException("duplicate", "23505")),
                        false),
                Arguments.of(
                        "a lock timeout",
                        new CannotAcquireLockException("lock", new SQLException("lock not available", "55P03")),
                        false),
                Arguments.of(
                        "a rollback that failed after a constraint",
                        rollbackFailedAfter(new DataIntegrityViolationException("duplicate key")),
                        false),
                Arguments.of(
                        "the chain timing out",
                        new UncheckedIOException(new SocketTimeoutException("Read timed out")),
                        false),
                Arguments.of("the chain refusing", new IllegalStateException(new ConnectException("refused")), false),
                Arguments.of("a bug", new NullPointerException(), false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void tellsTheDatabaseBeingAwayFromEverythingElse(String what, Exception failure, boolean unavailable) {
        assertThat(DatabaseFailures.unavailable(failure)).as(what).isEqualTo(unavailable);
    }

    @Test
    void describesAFailureByItsTypesAndSqlStatesAlone() {
        Exception failure = new CannotGetJdbcConnectionException(
                "Failed to obtain JDBC Connection for guardian@db.internal:5432",
                new SQLTransientConnectionException(
                        "HikariPool-1 - Connection is not available",
                        "08001",
                        new SQLException("Connection to db.internal:5432 refused.", "08001")));

        assertThat(DatabaseFailures.describe(failure))
                .isEqualTo("CannotGetJdbcConnectionException < SQLTransientConnectionException (SQLState 08001)"
                        + " < SQLException (SQLState 08001)")
                .doesNotContain("db.internal")
                .doesNotContain("guardian");
        assertThat(DatabaseFailures.explain(failure)).endsWith(": Connection to db.internal:5432 refused.");
    }

    private static TransactionSystemException rollbackFailedAfter(RuntimeException first) {
        TransactionSystemException rollback =
                new TransactionSystemException("JDBC rollback failed", new SQLException("Connection is closed"));
        rollback.initApplicationException(first);
        return rollback;
    }
}
