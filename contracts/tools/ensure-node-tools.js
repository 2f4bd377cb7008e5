#!/usr/bin/env node
// Runs `npm ci` in the repository root unless node_modules already holds exactly the tool versions that
// package.json pins. A fresh clone (no node_modules) or a stale one (a version bumped in package.json)
// gets installed; a current one is left alone, because `npm ci` first deletes node_modules and another
// build on the same checkout may be running anvil or forge from it at that moment.
// Usage: ensure-node-tools.js <repository-root>
'use strict';

const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');
const { foundryBinary } = require('./foundry.js');

function installedVersion(root, packageName) {
  const manifest = path.join(root, 'node_modules', packageName, 'package.json');
  return fs.existsSync(manifest) ? JSON.parse(fs.readFileSync(manifest, 'utf8')).version : null;
}

function staleTools(root) {
  const pinned = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).devDependencies || {};
  const stale = Object.entries(pinned)
    .filter(([name, version]) => installedVersion(root, name) !== version)
    .map(([name, version]) => `${name}@${version}`);
  // The native binaries come in optional, per-platform packages; npm may have skipped them.
  for (const tool of ['forge', 'anvil', 'cast']) {
    if (!fs.existsSync(foundryBinary(root, tool))) stale.push(`${tool} binary for this platform`);
  }
  return stale;
}

function main() {
  const root = path.resolve(process.argv[2] || path.join(__dirname, '..', '..'));
  const stale = staleTools(root);
  if (stale.length === 0) {
    process.stdout.write('Node tools are installed at the pinned versions.\n');
    return;
  }
  process.stdout.write(`Installing Node tools (missing or not as pinned: ${stale.join(', ')})\n`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status === null ? 1 : result.status);
  const stillStale = staleTools(root);
  if (stillStale.length > 0) {
    throw new Error(`npm ci finished but these are still missing: ${stillStale.join(', ')}`);
  }
}

try {
  main();
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
