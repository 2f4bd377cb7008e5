/**
 * The x402 (HTTP 402 Payment Required) wire format, pure and without Spring: reading the 402 answer a
 * resource server gave an agent (v2 {@code PAYMENT-REQUIRED} header, v1 JSON body), choosing the one
 * requirement Guardian can pay ({@code exact} scheme, this chain, USDC) or saying per offer why none fits,
 * building the EIP-3009 {@code TransferWithAuthorization} typed data to sign, and encoding the header the
 * agent retries with ({@code PAYMENT-SIGNATURE} for v2, {@code X-PAYMENT} for v1) byte for byte as the
 * reference client does. The formats were read from the published packages, not from memory:
 * {@code @x402/core}, {@code @x402/evm} and {@code @x402/express} 2.27.0 and {@code x402} 1.2.0, and the
 * specifications in {@code github:coinbase/x402} {@code specs/}; each class cites the file it follows.
 * Golden fixtures made by that reference code ({@code e2e/src/test/node/x402-fixtures.mjs}) keep it so.
 */
package dev.guardian.service.x402;
