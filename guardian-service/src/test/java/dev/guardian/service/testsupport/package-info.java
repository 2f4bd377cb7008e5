/**
 * Shared test support for Guardian's tests and the e2e module (published in the guardian-service test-jar):
 * a JUnit 5 extension that runs one real Anvil per test class, and a loopback TCP proxy that makes "the
 * chain is unreachable" real without killing the node and losing its state.
 */
package dev.guardian.service.testsupport;
