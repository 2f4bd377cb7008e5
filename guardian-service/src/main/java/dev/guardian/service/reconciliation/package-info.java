/**
 * Wallet reconciliation: on a schedule and at start, every wallet's nonce, balances and token
 * {@code Transfer} logs on chain are compared with what Guardian's records explain (its own
 * transactions, their values and fees, and the allowance exposure it judged). Whatever left a wallet
 * outside Guardian (a key used elsewhere, an allowance used that Guardian did not judge) is an external
 * outflow: recorded once, charged against the agent's budgets, the agent frozen, the treasury alerted
 * through whichever {@code WalletReconciler.Listener} bean exists (the webhook outbox). Uses requests
 * (reservations, the exposure tracker, the store of Guardian's own transactions), agents, chain, audit and
 * locks; notifications and api use it.
 */
package dev.guardian.service.reconciliation;
