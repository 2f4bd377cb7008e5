/**
 * A load harness of the whole payment path as an agent sees it: real HTTP into a real Guardian, a real
 * Anvil and a real (embedded) PostgreSQL, all on this machine. {@link dev.guardian.benchmarks.load.PaymentPathLoad}
 * is a main class run only on request (docs/benchmarks.md, "Payment path under load"), never by a build:
 * it starts everything, drives bounded closed-loop scenarios (one client, many agents, one agent,
 * denials only), reads when each request was decided, signed, submitted and confirmed from the audit
 * log, samples who waits on which lock, and prints the figures as Markdown tables.
 */
package dev.guardian.benchmarks.load;
