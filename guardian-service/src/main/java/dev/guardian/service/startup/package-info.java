/**
 * Why Guardian did not start, in one line. A start-up that is refused (no database, one that cannot be
 * reached or is not migrated, a missing or wrong key-encryption key, a chain that cannot be used, a
 * setting that is wrong) ends with a single log line that names the cause and the setting to change, and a
 * non-zero exit; the stack trace goes to the debug log of this package. {@link StartupRefusal} is what
 * Guardian's own checks throw; {@link StartupFailureAnalyzer} also recognises the database driver's,
 * Flyway's and the signer's failures, and {@link OneLineFailureReporter} writes the line.
 */
package dev.guardian.service.startup;
