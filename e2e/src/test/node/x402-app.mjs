// A real x402 resource server for Guardian's tests: the reference Express middleware (@x402/express 2.27.0)
// protecting GET /weather with x402 v2, and GET /v1/weather with x402 v1, both settled by the reference
// facilitator logic (@x402/core x402Facilitator + @x402/evm exact scheme) running in this process against
// the given RPC URL, never against x402.org. Shared by x402-server.mjs (the e2e tests' server) and
// x402-fixtures.mjs (the codec's golden fixtures), so both see the same requirements.
//
// Wiring follows the reference example examples/typescript/servers/self-facilitation/index.ts of
// github:coinbase/x402; the price is an AssetAmount ({amount, asset, extra}) as
// @x402/evm dist/esm/exact/server/index.mjs (ExactEvmScheme.parsePrice) accepts for any token.
import { x402Facilitator } from '@x402/core/facilitator';
import { paymentMiddleware, x402ResourceServer } from '@x402/express';
import { toFacilitatorEvmSigner } from '@x402/evm';
import { registerExactEvmScheme } from '@x402/evm/exact/facilitator';
import { ExactEvmScheme as ExactEvmServerScheme } from '@x402/evm/exact/server';
import { EVM_NETWORK_CHAIN_ID_MAP } from '@x402/evm/v1';
import express from 'express';
import { createWalletClient, defineChain, getAddress, http, publicActions } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';

export const WEATHER = { report: { weather: 'sunny', temperature: 70 } };

/**
 * The v1 network name of a chain id, as @x402/evm's v1 table (dist/esm/chunk-SGFNIWGK.mjs,
 * EVM_NETWORK_CHAIN_ID_MAP) spells it; null when v1 has no name for it (Anvil's 31337 has none, so a v1
 * route needs Anvil started with a listed id such as 84532, "base-sepolia").
 */
export function v1NetworkName(chainId) {
  const entry = Object.entries(EVM_NETWORK_CHAIN_ID_MAP).find(([, id]) => id === chainId);
  return entry ? entry[0] : null;
}

/**
 * options: rpcUrl, chainId (number), token, tokenName, tokenVersion, payTo, price (token units, decimal
 * string), facilitatorKey (0x hex), maxTimeoutSeconds (optional), resourceBase (optional: fixes the
 * resource URLs, for deterministic fixtures; otherwise the request's own URL as the middleware takes it).
 */
export async function createX402App(options) {
  const chain = defineChain({
    id: options.chainId,
    name: `chain-${options.chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [options.rpcUrl] } },
  });
  const account = privateKeyToAccount(options.facilitatorKey);
  const client = createWalletClient({ account, chain, transport: http(options.rpcUrl) }).extend(publicActions);
  const signer = toFacilitatorEvmSigner({
    address: account.address,
    getCode: (args) => client.getCode(args),
    readContract: (args) => client.readContract({ ...args, args: args.args || [] }),
    verifyTypedData: (args) => client.verifyTypedData(args),
    writeContract: (args) => client.writeContract({ ...args, args: args.args || [] }),
    sendTransaction: (args) => client.sendTransaction(args),
    waitForTransactionReceipt: (args) => client.waitForTransactionReceipt(args),
  });

  const network = `eip155:${options.chainId}`;
  // registerExactEvmScheme registers the v2 scheme for `networks` and the v1 scheme for every v1 name.
  const facilitator = new x402Facilitator();
  registerExactEvmScheme(facilitator, { signer, networks: network });

  const asset = getAddress(options.token);
  const payTo = getAddress(options.payTo);
  const extra = { name: options.tokenName, version: options.tokenVersion };
  const maxTimeoutSeconds = options.maxTimeoutSeconds ?? 300;

  const resourceServer = new x402ResourceServer({
    verify: facilitator.verify.bind(facilitator),
    settle: facilitator.settle.bind(facilitator),
    getSupported: async () => facilitator.getSupported(),
  }).register(network, new ExactEvmServerScheme());

  const app = express();
  app.use(
    paymentMiddleware(
      {
        'GET /weather': {
          accepts: [
            {
              scheme: 'exact',
              price: { amount: options.price, asset, extra },
              network,
              payTo,
              maxTimeoutSeconds,
            },
          ],
          description: 'Weather report',
          mimeType: 'application/json',
          ...(options.resourceBase ? { resource: `${options.resourceBase}/weather` } : {}),
        },
      },
      resourceServer,
    ),
  );
  app.get('/weather', (_req, res) => res.json(WEATHER));

  const v1Network = v1NetworkName(options.chainId);
  if (v1Network) {
    app.get('/v1/weather', v1PaymentRoute({ facilitator, v1Network, asset, payTo, extra, maxTimeoutSeconds, options }));
  }
  return { app, facilitator, network, v1Network };
}

/**
 * x402 v1 over HTTP. @x402/express 2.x speaks only v2 (it reads PAYMENT-SIGNATURE and answers
 * x402Version 2, see @x402/core dist/esm/chunk-FV2JN4FK.mjs extractPayment/createHTTPResponse), and the v1
 * middleware x402-express 1.2.0 pulls in ~470 packages (wagmi, WalletConnect, Solana, CDP SDK). So this
 * route follows x402-express 1.2.0's paymentMiddleware (dist/esm/index.mjs) on the wire, step for step: a
 * 402 JSON body {x402Version: 1, error, accepts}, the X-PAYMENT header, verify, run the handler, settle,
 * X-PAYMENT-RESPONSE; the verification and settlement are the reference v1 facilitator's
 * (@x402/evm ExactEvmSchemeV1, registered by registerExactEvmScheme).
 */
function v1PaymentRoute({ facilitator, v1Network, asset, payTo, extra, maxTimeoutSeconds, options }) {
  return async (req, res) => {
    const resource = options.resourceBase
      ? `${options.resourceBase}/v1/weather`
      : `${req.protocol}://${req.headers.host}${req.path}`;
    const accepts = [
      {
        scheme: 'exact',
        network: v1Network,
        maxAmountRequired: options.price,
        resource,
        description: 'Weather report',
        mimeType: 'application/json',
        payTo,
        maxTimeoutSeconds,
        asset,
        outputSchema: { input: { type: 'http', method: 'GET', discoverable: true } },
        extra,
      },
    ];
    const refuse = (error, more = {}) => res.status(402).json({ x402Version: 1, error, accepts, ...more });
    const header = req.header('X-PAYMENT');
    if (!header) {
      return refuse('X-PAYMENT header is required');
    }
    let payment;
    try {
      payment = JSON.parse(Buffer.from(header, 'base64').toString('utf-8'));
      payment.x402Version = 1;
    } catch (error) {
      return refuse(error instanceof Error ? error.message : 'Invalid or malformed payment header');
    }
    // x402 1.2.0 findMatchingPaymentRequirements: same scheme and network.
    const requirements = accepts.find((r) => r.scheme === payment.scheme && r.network === payment.network);
    if (!requirements) {
      return refuse('Unable to find matching payment requirements');
    }
    try {
      const verified = await facilitator.verify(payment, requirements);
      if (!verified.isValid) {
        return refuse(verified.invalidReason, { payer: verified.payer });
      }
      const settled = await facilitator.settle(payment, requirements);
      if (!settled.success) {
        return refuse(settled.errorReason);
      }
      res.setHeader('X-PAYMENT-RESPONSE', Buffer.from(JSON.stringify(settled)).toString('base64'));
      return res.json(WEATHER);
    } catch (error) {
      console.error(error);
      return refuse(error instanceof Error ? error.message : 'Payment verification failed');
    }
  };
}
