/**
 * The one adapter through which Guardian reaches the chain: simulation of the exact call it would sign
 * ({@code debug_traceCall} decoded into {@link dev.guardian.policy.effects.SimulatedEffects}), gas and fee
 * quotes, nonces, balances, submission of signed transactions and receipts. Every call goes through
 * Resilience4j (timeouts, retry for reads only, circuit breaker, bulkhead); Web3j's types stay inside
 * this package and failures surface as the {@link dev.guardian.service.chain.ChainException} family. The
 * chain's readiness indicator lives here too: it probes the node outside those decorators, so that health
 * checks never count against the breaker that requests share.
 */
package dev.guardian.service.chain;
