/**
 * Guardian without its database: which failures mean that PostgreSQL cannot be reached or does not answer
 * in time ({@link dev.guardian.service.database.DatabaseFailures}, so the API answers {@code 503
 * database-unavailable} and not 500), how a background worker lives through such an outage
 * ({@link dev.guardian.service.database.OutageLog}: one WARN when it starts, one line when it ends, and the
 * next pass simply tries again), and the database's part of readiness ({@code db}: a bounded check that
 * answers within its timeout however the server behaves). The pool's and the driver's own bounds are set
 * in {@code application.yml}; what happens during an outage is described in docs/database-outages.md.
 * Low in the layering: it knows no feature, and every feature may use it.
 */
package dev.guardian.service.database;
