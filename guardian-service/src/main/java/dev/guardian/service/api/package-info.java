/**
 * The HTTP API, and the only package with controllers: agents pay, call a contract, read a request and
 * their remaining budget; people approve, and administer people, policies, teams, the treasury, the kill
 * switch, the audit log and sanctions. The top layer: it may use every feature, and no feature uses it.
 * Bodies are validated at the edge (Hibernate Validator plus constraints for addresses and amounts); every
 * error and every refusal is RFC 9457 problem+json with a stable type URI, written by one advice, and a
 * refusal by policy has its own status, distinct from a malformed request. See docs/openapi.yaml.
 */
package dev.guardian.service.api;
