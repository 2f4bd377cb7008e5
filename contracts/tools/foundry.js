#!/usr/bin/env node
// Runs a Foundry tool (forge, cast, anvil) from the repository's node_modules and exits with ITS exit code.
// The npm launcher (node_modules/.bin/forge -> @foundry-rs/forge/bin.mjs, 1.7.1) spawns the native binary
// but never passes its exit code on: a failed `forge build` or `forge test` exits 0 through it, and Maven
// would report success. So this script starts the platform binary itself (and fails a `forge test`
// that ran no tests, see runForgeTest).
// Usage: foundry.js <tool> [args...]
'use strict';

const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

// Node's names for the platform and CPU, mapped to the suffixes of @foundry-rs/<tool>-<os>-<arch>.
const ARCHITECTURES = { x64: 'amd64', arm64: 'arm64' };

function foundryBinary(repositoryRoot, tool) {
  const architecture = ARCHITECTURES[process.arch];
  if (!architecture) throw new Error(`No Foundry binary package for CPU ${process.arch}`);
  const executable = process.platform === 'win32' ? `${tool}.exe` : tool;
  return path.join(
    repositoryRoot, 'node_modules', '@foundry-rs', `${tool}-${process.platform}-${architecture}`, 'bin', executable);
}

function main() {
  const [tool, ...args] = process.argv.slice(2);
  if (!tool) throw new Error('Usage: foundry.js <forge|cast|anvil> [args...]');
  const binary = foundryBinary(path.resolve(__dirname, '..', '..'), tool);
  if (!fs.existsSync(binary)) {
    throw new Error(`${binary} is missing; run \`npm ci --no-audit --no-fund\` in the repository root`);
  }
  if (tool === 'forge' && args[0] === 'test') {
    process.exit(runForgeTest(binary, args));
  }
  const result = spawnSync(binary, args, { stdio: 'inherit' });
  if (result.error) throw result.error;
  process.exit(exitCode(result));
}

// A tool killed by a signal has no status; that is a failure too.
function exitCode(result) {
  return result.status === null ? 1 : result.status;
}

// `forge test` exits 0 when it finds no tests at all, which happens when its cache is out of step with
// the sources (for example after `forge lint` on an edited file). A test step that ran nothing must not
// pass, so read the summary line and fail unless some tests ran.
function runForgeTest(binary, args) {
  const result = spawnSync(binary, args, {
    stdio: ['inherit', 'pipe', 'inherit'],
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.error) throw result.error;
  process.stdout.write(result.stdout);
  const status = exitCode(result);
  if (status !== 0) return status;
  const summary = /(\d+) tests passed, \d+ failed, \d+ skipped/.exec(result.stdout.toString('utf8'));
  if (summary === null || Number(summary[1]) === 0) {
    process.stderr.write('forge test ran no tests; rebuild with `forge build --force` and try again\n');
    return 1;
  }
  return 0;
}

module.exports = { foundryBinary };

if (require.main === module) {
  try {
    main();
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  }
}
