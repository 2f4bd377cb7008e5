#!/usr/bin/env node
// Copies the ABI and deployable bytecode of the named contracts out of forge's artifacts
// (out/<Name>.sol/<Name>.json) into <Name>.abi and <Name>.bin, the two files Web3j's wrapper generator reads.
// Usage: extract-artifacts.js <forge-out-dir> <target-dir> <ContractName>...
'use strict';

const fs = require('fs');
const path = require('path');

function extract(outDir, targetDir, contractName) {
  const artifactPath = path.join(outDir, `${contractName}.sol`, `${contractName}.json`);
  if (!fs.existsSync(artifactPath)) {
    throw new Error(`No forge artifact for ${contractName} at ${artifactPath}; did forge build run?`);
  }
  const artifact = JSON.parse(fs.readFileSync(artifactPath, 'utf8'));
  const bytecode = artifact.bytecode && artifact.bytecode.object;
  if (!Array.isArray(artifact.abi) || typeof bytecode !== 'string' || !/^0x[0-9a-fA-F]+$/.test(bytecode)) {
    // An abstract contract or unlinked library would leave placeholders or nothing; a wrapper from it
    // could not deploy, so fail here rather than in a test far away.
    throw new Error(`Artifact ${artifactPath} has no ABI or no linked bytecode`);
  }
  fs.writeFileSync(path.join(targetDir, `${contractName}.abi`), JSON.stringify(artifact.abi));
  fs.writeFileSync(path.join(targetDir, `${contractName}.bin`), bytecode.slice(2));
}

function main() {
  const [outDir, targetDir, ...contractNames] = process.argv.slice(2);
  if (!outDir || !targetDir || contractNames.length === 0) {
    throw new Error('Usage: extract-artifacts.js <forge-out-dir> <target-dir> <ContractName>...');
  }
  fs.mkdirSync(targetDir, { recursive: true });
  for (const contractName of contractNames) {
    extract(outDir, targetDir, contractName);
  }
}

try {
  main();
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
