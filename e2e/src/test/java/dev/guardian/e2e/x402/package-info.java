/**
 * x402 interoperability without Guardian: the reference resource server and facilitator
 * ({@code e2e/src/test/node/x402-server.mjs}, the real {@code @x402/express} middleware and
 * {@code @x402/core}/{@code @x402/evm} facilitator) settle on a real Anvil what Guardian's codec
 * ({@code dev.guardian.service.x402}) decodes and encodes. Guardian's own x402 endpoint is tested against
 * the same server elsewhere.
 */
package dev.guardian.e2e.x402;
