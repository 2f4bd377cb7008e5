/**
 * Sanctions screening: reading OFAC's official files ({@code sdn_advanced.xml}, {@code sdn.csv}) and plain
 * lists (text, CSV, JSON) from files, the classpath or HTTPS into one constant-time table of 20-byte
 * addresses; the allow-overrides; the optional on-chain oracle; versions (source, as-of date, SHA-256,
 * entries, load time) named in every decision; reloads on a schedule, on file change or on an admin call
 * that keep the previous version when the new one fails or looks wrong; and staleness, which makes
 * screening "not current" so that no value moves. Plain Java, except the configuration and the audited
 * event sink that wire it into the service; its admin endpoints are in the api package.
 */
package dev.guardian.service.sanctions;
