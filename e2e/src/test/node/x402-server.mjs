// Starts the reference x402 resource server of x402-app.mjs on 127.0.0.1 (a free port) and prints one JSON
// line, {"port":<n>,"network":"eip155:<id>","v1Network":<name or null>}, once it listens. Everything else
// it says goes to stderr. Started by the e2e tests' X402ResourceServer.
//
// Usage: node x402-server.mjs --rpc-url URL --chain-id ID --token 0x.. --pay-to 0x.. --price UNITS
//                             --facilitator-key 0x.. [--token-name NAME --token-version VERSION]
//                             [--max-timeout-seconds N]
// Without --token-name/--token-version the token's own name() and version() are read from the chain: the
// EIP-712 domain the payer must sign for.
import { createPublicClient, http, parseAbi } from 'viem';
import { createX402App } from './x402-app.mjs';

function parseArguments(argv) {
  const values = {};
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i];
    if (!name.startsWith('--') || i + 1 >= argv.length) {
      throw new Error(`expected --name value pairs, got ${JSON.stringify(argv.slice(i))}`);
    }
    values[name.slice(2)] = argv[i + 1];
  }
  for (const required of ['rpc-url', 'chain-id', 'token', 'pay-to', 'price', 'facilitator-key']) {
    if (!values[required]) throw new Error(`--${required} is required`);
  }
  if (!/^\d+$/.test(values.price)) throw new Error(`--price must be token units (an integer), was ${values.price}`);
  return values;
}

async function tokenDomain(rpcUrl, token) {
  const client = createPublicClient({ transport: http(rpcUrl) });
  const abi = parseAbi(['function name() view returns (string)', 'function version() view returns (string)']);
  const [name, version] = await Promise.all([
    client.readContract({ address: token, abi, functionName: 'name' }),
    client.readContract({ address: token, abi, functionName: 'version' }),
  ]);
  return { name, version };
}

async function main() {
  const args = parseArguments(process.argv.slice(2));
  const domain = args['token-name'] && args['token-version']
    ? { name: args['token-name'], version: args['token-version'] }
    : await tokenDomain(args['rpc-url'], args.token);
  const { app, network, v1Network } = await createX402App({
    rpcUrl: args['rpc-url'],
    chainId: Number(args['chain-id']),
    token: args.token,
    tokenName: domain.name,
    tokenVersion: domain.version,
    payTo: args['pay-to'],
    price: args.price,
    facilitatorKey: args['facilitator-key'],
    maxTimeoutSeconds: args['max-timeout-seconds'] ? Number(args['max-timeout-seconds']) : undefined,
  });
  const server = app.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${JSON.stringify({ port: server.address().port, network, v1Network, ...domain })}\n`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((error) => {
  process.stderr.write(`x402-server: ${error instanceof Error ? error.stack : error}\n`);
  process.exit(1);
});
