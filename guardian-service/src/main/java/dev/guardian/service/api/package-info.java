/**
 * The agent-facing HTTP API: pay, call a contract, read a request, read the remaining budget. Bodies are
 * validated at the edge (Hibernate Validator plus constraints for addresses and amounts); every error
 * and every refusal is RFC 9457 problem+json with a stable type URI, written by one advice, and a
 * refusal by policy has its own status, distinct from a malformed request. See docs/openapi.yaml.
 */
package dev.guardian.service.api;
