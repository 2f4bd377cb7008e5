/**
 * The central configuration, what no feature owns: the clock, and the database. With
 * {@code spring.datasource.url} Spring Boot's own data source is used; without one, an embedded,
 * throw-away PostgreSQL runs only in the development mode or with
 * {@code guardian.database.embedded-throwaway=true}, and otherwise start-up is refused, saying what to
 * configure. Each feature wires its own beans and reads its own {@code @ConfigurationProperties}; no
 * feature imports this package.
 */
package dev.guardian.service.config;
