#!/usr/bin/env node
// Records the debug_traceCall fixtures under src/test/resources/chain/traces from a real Anvil.
// Run from anywhere, after `npm ci` at the repository root:
//   node guardian-service/src/test/resources/chain/fixture-contracts/record-fixtures.js
// It starts its own Anvil (the pinned npm one), compiles TestUsdc and PaymentRouter from contracts/src and the
// probes in this folder with the pinned solc-js, sets up the state through Anvil's unlocked dev accounts,
// and writes one file per scenario: {scenario, addresses, call, trace}. Anvil is deterministic, so
// re-recording gives the same addresses.
'use strict';

const fs = require('fs');
const path = require('path');
const net = require('net');
const { spawn } = require('child_process');

const here = __dirname;
const root = path.resolve(here, '..', '..', '..', '..', '..', '..');
const solc = require(require.resolve('solc', { paths: [root] }));
const outDir = path.resolve(here, '..', 'traces');
const anvilBin = path.join(root, 'node_modules', '@foundry-rs', `anvil-${process.platform}-${process.arch === 'x64' ? 'amd64' : process.arch}`, 'bin', 'anvil');

function compile() {
  const sources = {
    'TestUsdc.sol': { content: fs.readFileSync(path.join(root, 'contracts', 'src', 'TestUsdc.sol'), 'utf8') },
    'PaymentRouter.sol': { content: fs.readFileSync(path.join(root, 'contracts', 'src', 'PaymentRouter.sol'), 'utf8') },
    'TraceProbes.sol': { content: fs.readFileSync(path.join(here, 'TraceProbes.sol'), 'utf8') },
  };
  const input = {
    language: 'Solidity',
    sources,
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: 'cancun',
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
    },
  };
  const findImport = (importPath) => {
    const file = path.join(root, 'node_modules', importPath);
    return fs.existsSync(file) ? { contents: fs.readFileSync(file, 'utf8') } : { error: 'not found: ' + importPath };
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport }));
  const errors = (output.errors || []).filter((e) => e.severity === 'error');
  if (errors.length) throw new Error(errors.map((e) => e.formattedMessage).join('\n'));
  const bytecode = (file, name) => '0x' + output.contracts[file][name].evm.bytecode.object;
  return {
    usdc: bytecode('TestUsdc.sol', 'TestUsdc'),
    router: bytecode('PaymentRouter.sol', 'PaymentRouter'),
    nft: bytecode('TraceProbes.sol', 'ProbeNft'),
    probe: bytecode('TraceProbes.sol', 'TraceProbe'),
  };
}

function freePort() {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

let rpcUrl;
let nextId = 1;
async function rpc(method, params) {
  const response = await fetch(rpcUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params }),
  });
  const body = await response.json();
  if (body.error) throw new Error(`${method}: ${JSON.stringify(body.error)}`);
  return body.result;
}

const word = (hex) => hex.replace(/^0x/, '').padStart(64, '0');
const uint = (n) => word(BigInt(n).toString(16));
const selector = (signature) => {
  const { keccak256 } = require(require.resolve('js-sha3', { paths: [root] }));
  return keccak256(signature).slice(0, 8);
};
const encode = (signature, ...words) => '0x' + selector(signature) + words.join('');

// Anvil automines, but the receipt may appear a moment after eth_sendTransaction answers.
async function receiptOf(hash) {
  for (let i = 0; i < 200; i++) {
    const receipt = await rpc('eth_getTransactionReceipt', [hash]);
    if (receipt) {
      if (receipt.status !== '0x1') throw new Error(`transaction failed: ${JSON.stringify(receipt)}`);
      return receipt;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('no receipt for ' + hash);
}

async function send(from, to, data, value = '0x0') {
  return receiptOf(await rpc('eth_sendTransaction', [{ from, to, data, value, gas: '0x989680' }]));
}

async function deploy(from, bytecode) {
  return (await receiptOf(await rpc('eth_sendTransaction', [{ from, data: bytecode, gas: '0x1c9c380' }]))).contractAddress;
}

async function record(scenario, addresses, call) {
  const trace = await rpc('debug_traceCall', [
    { ...call, gas: '0x1c9c380' },
    'latest',
    { tracer: 'callTracer', tracerConfig: { withLog: true } },
  ]);
  const file = path.join(outDir, scenario + '.json');
  fs.writeFileSync(file, JSON.stringify({ scenario, addresses, call, trace }, null, 2) + '\n');
  console.log('recorded', path.relative(root, file));
}

async function main() {
  const code = compile();
  const port = await freePort();
  rpcUrl = `http://127.0.0.1:${port}`;
  const anvil = spawn(anvilBin, ['--port', String(port), '--silent'], { stdio: 'ignore' });
  try {
    for (let i = 0; ; i++) {
      try { await rpc('eth_chainId', []); break; } catch (e) {
        if (i > 100) throw e;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const [owner, wallet, alice, bob, carol] = await rpc('eth_accounts', []);
    const usdc = await deploy(owner, code.usdc);
    const router = await deploy(owner, code.router);
    const nft = await deploy(owner, code.nft);
    const probe = await deploy(owner, code.probe);
    const blocked = '0x00000000000000000000000000000000000bad01';
    const addresses = { owner, wallet, alice, bob, carol, usdc, router, nft, probe, blocked };

    await send(owner, usdc, encode('mint(address,uint256)', word(wallet), uint(1_000_000_000)));
    await send(owner, usdc, encode('blacklist(address)', word(blocked)));
    await send(wallet, usdc, encode('approve(address,uint256)', word(router), uint(1_000_000_000)));
    await send(wallet, usdc, encode('approve(address,uint256)', word(probe), uint(1_000_000_000)));

    fs.mkdirSync(outDir, { recursive: true });
    await record('erc20-transfer', addresses,
      { from: wallet, to: usdc, value: '0x0', data: encode('transfer(address,uint256)', word(alice), uint(12_500_000)) });
    await record('erc20-approve', addresses,
      { from: wallet, to: usdc, value: '0x0', data: encode('approve(address,uint256)', word(bob), uint(5_000_000)) });
    // payMany(token, [alice, bob], [1 USDC, 2 USDC]): head, then the two dynamic arrays.
    await record('router-pay-many', addresses, {
      from: wallet, to: router, value: '0x0',
      data: encode('payMany(address,address[],uint256[])', word(usdc), uint(0x60), uint(0xc0),
        uint(2), word(alice), word(bob), uint(2), uint(1_000_000), uint(2_000_000)),
    });
    await record('erc20-transfer-to-blacklisted', addresses,
      { from: wallet, to: usdc, value: '0x0', data: encode('transfer(address,uint256)', word(blocked), uint(1_000_000)) });
    await record('erc20-transfer-over-balance', addresses,
      { from: alice, to: usdc, value: '0x0', data: encode('transfer(address,uint256)', word(bob), uint(1)) });
    await record('native-transfer', addresses,
      { from: wallet, to: alice, value: '0xde0b6b3a7640000', data: '0x' });
    // splitEth([alice, bob]) with 3 wei... 3 ETH: two native moves one level down.
    await record('native-split-through-contract', addresses, {
      from: wallet, to: probe, value: '0x29a2241af62c0000',
      data: encode('splitEth(address[])', uint(0x20), uint(2), word(alice), word(bob)),
    });
    await record('try-catch-inner-revert', addresses, {
      from: wallet, to: probe, value: '0x16345785d8a0000',
      data: encode('tryPay(address,address,uint256,address)', word(usdc), word(alice), uint(3_000_000), word(carol)),
    });
    await record('panic-overflow', addresses,
      { from: wallet, to: probe, value: '0x0', data: encode('overflow(uint256)', uint(2)) });
    await record('custom-error', addresses,
      { from: wallet, to: probe, value: '0x0', data: encode('deny()') });
    await record('revert-without-reason', addresses,
      { from: wallet, to: probe, value: '0x0', data: encode('bare()') });
    await record('nft-mint', addresses,
      { from: wallet, to: nft, value: '0x0', data: encode('mint(address,uint256)', word(alice), uint(42)) });
  } finally {
    anvil.kill();
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
