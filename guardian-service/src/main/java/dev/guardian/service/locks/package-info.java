/**
 * Every PostgreSQL advisory lock Guardian takes, in one place: which locks exist, what each protects,
 * its key (unchanged across versions, so instances of different versions of one deployment still
 * exclude each other) and the order in which they may be nested. All are transaction-scoped: they are
 * released when the transaction that took them ends, on commit or rollback alike. The lowest layer of
 * the service, beside {@code audit} and {@code chain}: it knows nothing of any feature.
 */
package dev.guardian.service.locks;
