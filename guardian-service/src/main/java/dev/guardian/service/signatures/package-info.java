/**
 * Typed-data signatures an agent asks for instead of a transaction (EIP-712: EIP-3009 authorizations, as
 * x402 uses them, EIP-2612 permits and Permit2's permits): which of them Guardian recognises, what each
 * would let someone else do with the wallet's money (the transfer or allowances, as effects the policy
 * judges like a transaction's), the call it is equivalent to, and how its use shows on chain. Pure: it
 * reads neither the database nor the chain; the token domains it checks against are read from the chain
 * once by {@link dev.guardian.service.signatures.TokenDomains}. Everything it does not recognise is
 * refused, or signed only as a message that moves no value when the agent's policy lists it.
 */
package dev.guardian.service.signatures;
