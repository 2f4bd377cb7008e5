/**
 * Guardian's end-to-end scenarios: a real Anvil, the real service started as an operator would start it,
 * driven over real HTTP as an agent would drive it. Every scenario checks what Guardian answered AND what
 * actually happened, by reading balances, nonces and blocks back from the chain with Web3j.
 */
package dev.guardian.e2e;
