/**
 * Policies as versioned documents. A treasury team writes an agent's policy as a JSON or YAML document;
 * Guardian validates it (every problem, each with a JSON pointer to the offending field), stores it in
 * canonical form as a new immutable version, and judges the agent's requests by the one version that
 * is explicitly active. Rolling back is activating an older version. Uses only audit and locks; the dry
 * run of a draft against a payment or recent requests judges them as requests are judged, so it lives in
 * the requests package.
 */
package dev.guardian.service.policies;
