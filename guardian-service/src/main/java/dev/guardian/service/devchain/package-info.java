/**
 * A local development chain for the quick start and the tests: {@link dev.guardian.service.devchain.AnvilProcess}
 * runs the pinned Anvil binary from the repository's {@code node_modules} on a free port, and
 * {@link dev.guardian.service.devchain.DevChain} sets up state on it (deploys the test USDC and the payment
 * router, mints, funds, blacklists; deploys the Safe 1.4.1 contracts of co-signed wallets and creates Safes
 * with them) through Anvil's unlocked dev accounts, so that no private key lives in Guardian's code. Never
 * used against a real network.
 */
package dev.guardian.service.devchain;
