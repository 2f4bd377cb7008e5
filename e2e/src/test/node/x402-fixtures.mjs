// Writes the golden fixtures of Guardian's x402 codec (dev.guardian.service.x402) with the REAL reference
// code: the 402 answers come from the reference resource server of x402-app.mjs (the @x402/express
// middleware for v2, the x402-express-1.2.0-shaped route for v1), the payment headers from the reference
// client (@x402/core x402Client + x402HTTPClient with the @x402/evm "exact" client schemes, v2 and v1).
// No chain is needed: nothing is verified or settled here.
//
// The client takes the time from Date.now() and the EIP-3009 nonce from crypto.getRandomValues(); both
// are fixed below so the output is the same on every run. The payer key is Anvil's well-known account 1.
//
// Regenerate (from the repository root, after `npm ci`):
//   node e2e/src/test/node/x402-fixtures.mjs > guardian-service/src/test/resources/x402/reference-fixtures.json
// Optionally also with the original v1 client, package `x402` 1.2.0 (not pinned in package.json: it pulls
// ~470 packages), installed elsewhere:
//   (mkdir -p /tmp/x402v1 && cd /tmp/x402v1 && npm init -y >/dev/null && npm install --no-save x402@1.2.0)
//   node e2e/src/test/node/x402-fixtures.mjs --x402-v1 /tmp/x402v1/node_modules > ...
import { x402Client, x402HTTPClient } from '@x402/core/client';
import { toClientEvmSigner } from '@x402/evm';
import { ExactEvmScheme } from '@x402/evm/exact/client';
import { ExactEvmSchemeV1 } from '@x402/evm/v1';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { privateKeyToAccount } from 'viem/accounts';
import { createX402App } from './x402-app.mjs';

const FIXED_NOW_MILLIS = 1767225600000; // 2026-01-01T00:00:00Z
const PAYER_KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const INPUTS = {
  chainId: 84532, // Base Sepolia: a chain that has a v1 name too ("base-sepolia")
  token: '0x036CbD53842c5426634e7929541eC2318f3dCF7e',
  tokenName: 'USDC',
  tokenVersion: '2',
  payTo: '0x209693Bc6afc0C5328bA36FaF03C514EF312287C',
  price: '10000',
  maxTimeoutSeconds: 60,
  resourceBase: 'https://api.example.com/premium',
  // Never used: the facilitator is built but not called. Anvil's account 0.
  facilitatorKey: '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  rpcUrl: 'http://127.0.0.1:1',
};

// Nonces: 32 bytes 0x01..0x20 for the first payment, 0x21..0x40 for the second, ...
let nonceCounter = 0;
globalThis.crypto.getRandomValues = (array) => {
  for (let i = 0; i < array.length; i++) array[i] = (nonceCounter * array.length + i + 1) & 0xff;
  nonceCounter++;
  return array;
};
Date.now = () => FIXED_NOW_MILLIS;

function jsonSafe(value) {
  return JSON.parse(JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v)));
}

/** A viem account whose signTypedData calls are recorded: the typed data the reference client signs. */
function recordingSigner(account, signed) {
  return toClientEvmSigner({
    address: account.address,
    signTypedData: async (typedData) => {
      const signature = await account.signTypedData(typedData);
      signed.push({ typedData: jsonSafe(typedData), signature });
      return signature;
    },
  });
}

function installedVersion(name) {
  const manifest = path.join(process.cwd(), 'node_modules', ...name.split('/'), 'package.json');
  return JSON.parse(readFileSync(manifest, 'utf8')).version;
}

async function serve(app) {
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
}

async function referenceV1Client(modulesDirectory, account, requirement) {
  const load = (subpath) => import(pathToFileURL(path.join(modulesDirectory, 'x402', 'dist', 'esm', subpath, 'index.mjs')));
  const { exact } = await load('schemes');
  const header = await exact.evm.createPaymentHeader(account, 1, requirement);
  return { headerName: 'X-PAYMENT', headerValue: header, payload: JSON.parse(Buffer.from(header, 'base64').toString()) };
}

async function main() {
  const v1Modules = process.argv[2] === '--x402-v1' ? process.argv[3] : null;
  const account = privateKeyToAccount(PAYER_KEY);
  const { app } = await createX402App(INPUTS);
  const server = await serve(app);
  const base = `http://127.0.0.1:${server.address().port}`;
  try {
    const signed = [];
    const signer = recordingSigner(account, signed);
    const client = new x402Client()
      .register(`eip155:${INPUTS.chainId}`, new ExactEvmScheme(signer))
      .registerV1('base-sepolia', new ExactEvmSchemeV1(signer));
    const httpClient = new x402HTTPClient(client);

    const v2Answer = await fetch(`${base}/weather`);
    const paymentRequiredHeader = v2Answer.headers.get('PAYMENT-REQUIRED');
    const v2Required = httpClient.getPaymentRequiredResponse((name) => v2Answer.headers.get(name), await v2Answer.json());
    const v2Payload = await httpClient.createPaymentPayload(v2Required);
    const v2Headers = httpClient.encodePaymentSignatureHeader(v2Payload);

    const v1Answer = await fetch(`${base}/v1/weather`);
    const v1BodyText = await v1Answer.text();
    const v1Required = httpClient.getPaymentRequiredResponse((name) => v1Answer.headers.get(name), JSON.parse(v1BodyText));
    const v1Payload = await httpClient.createPaymentPayload(v1Required);
    const v1Headers = httpClient.encodePaymentSignatureHeader(v1Payload);

    const [[v2HeaderName, v2HeaderValue]] = Object.entries(v2Headers);
    const [[v1HeaderName, v1HeaderValue]] = Object.entries(v1Headers);
    const fixtures = {
      regenerate: 'node e2e/src/test/node/x402-fixtures.mjs > guardian-service/src/test/resources/x402/reference-fixtures.json',
      packages: Object.fromEntries(['@x402/core', '@x402/evm', '@x402/express'].map((name) => [name, installedVersion(name)])),
      inputs: {
        ...INPUTS,
        nowSeconds: FIXED_NOW_MILLIS / 1000,
        payerKey: PAYER_KEY,
        payer: account.address,
      },
      v2: {
        status: v2Answer.status,
        paymentRequiredHeader,
        paymentRequired: v2Required,
        signedTypedData: signed[0].typedData,
        signature: signed[0].signature,
        paymentHeaderName: v2HeaderName,
        paymentHeaderValue: v2HeaderValue,
        paymentPayload: v2Payload,
      },
      v1: {
        status: v1Answer.status,
        paymentRequiredBody: v1BodyText,
        signedTypedData: signed[1].typedData,
        signature: signed[1].signature,
        paymentHeaderName: v1HeaderName,
        paymentHeaderValue: v1HeaderValue,
        paymentPayload: v1Payload,
      },
    };
    if (v1Modules) {
      fixtures.x402v1Package = await referenceV1Client(v1Modules, account, v1Required.accepts[0]);
    }
    process.stdout.write(`${JSON.stringify(fixtures, null, 2)}\n`);
  } finally {
    server.close();
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
