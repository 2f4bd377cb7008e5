/**
 * Configuration at the edge: {@code @ConfigurationProperties} records validated at start-up (a bad value
 * stops Guardian with a message naming the property), and the Spring wiring that turns them into the
 * plain objects of the inner modules: the chain adapter, the key vault, the sanctions list, the database.
 */
package dev.guardian.service.config;
