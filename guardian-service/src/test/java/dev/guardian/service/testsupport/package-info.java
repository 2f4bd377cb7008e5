/**
 * Shared test support for Guardian's tests, the e2e module and the benchmarks (published in the
 * guardian-service test-jar): a JUnit 5 extension that runs one real Anvil per test class, a loopback TCP
 * proxy that makes "the chain is unreachable" real without killing the node and losing its state, a
 * JSON-RPC proxy that makes the node answer some methods as other nodes do (not served, refused), a real
 * PostgreSQL, and the small helpers every copy used to repeat (fresh addresses, calldata, funding an
 * agent's wallet, the shipped sanctions list), so that each is written once.
 */
package dev.guardian.service.testsupport;
