/**
 * JMH benchmarks of Guardian's hot paths that do not need a chain: sanctions screening of a typical
 * effect set against a list of a million addresses. Compiled by every build, run only on request (see
 * docs/benchmarks.md).
 */
package dev.guardian.benchmarks;
