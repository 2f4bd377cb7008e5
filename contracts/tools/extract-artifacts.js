#!/usr/bin/env node
// Copies the ABI and deployable bytecode of the named contracts out of compiled artifacts into <Name>.abi and
// <Name>.bin, the two files Web3j's wrapper generator reads. Two layouts are read:
//   forge:   <out-dir>/<Name>.sol/<Name>.json, bytecode in bytecode.object (a contract named by its bare name);
//   hardhat: <artifacts-dir>/<dir>/<Name>.sol/<Name>.json, bytecode a string (a contract named by its path
//            without .json, e.g. proxies/SafeProxyFactory.sol/SafeProxyFactory), as the npm package
//            @safe-global/safe-contracts ships them: the audited build, used as published, not recompiled.
// An argument --omit=<Name>.<function(types)> leaves that one function out of <Name>.abi (the bytecode stays
// whole): Web3j's generator maps bytes32 and bytes both to byte[], so two overloads that differ only there
// (CompatibilityFallbackHandler's isValidSignature(bytes32,bytes) and legacy isValidSignature(bytes,bytes))
// give a wrapper that does not compile.
// Usage: extract-artifacts.js <out-or-artifacts-dir> <target-dir> [--omit=Name.fn(types)]... <ContractName or path>...
'use strict';

const fs = require('fs');
const path = require('path');

function signatureOf(entry) {
  return `${entry.name}(${(entry.inputs || []).map((input) => input.type).join(',')})`;
}

function extract(outDir, targetDir, contract, omitted) {
  const byPath = contract.includes('/');
  const contractName = path.basename(contract);
  const artifactPath = byPath
    ? path.join(outDir, `${contract}.json`)
    : path.join(outDir, `${contractName}.sol`, `${contractName}.json`);
  if (!fs.existsSync(artifactPath)) {
    throw new Error(byPath
      ? `No artifact for ${contract} at ${artifactPath}; is the npm package installed (npm ci at the root)?`
      : `No forge artifact for ${contractName} at ${artifactPath}; did forge build run?`);
  }
  const artifact = JSON.parse(fs.readFileSync(artifactPath, 'utf8'));
  if (byPath && artifact.contractName !== contractName) {
    throw new Error(`Artifact ${artifactPath} is for ${artifact.contractName}, not ${contractName}`);
  }
  const bytecode = typeof artifact.bytecode === 'string' ? artifact.bytecode : artifact.bytecode && artifact.bytecode.object;
  if (!Array.isArray(artifact.abi) || typeof bytecode !== 'string' || !/^0x[0-9a-fA-F]+$/.test(bytecode)) {
    // An abstract contract or unlinked library would leave placeholders or nothing; a wrapper from it
    // could not deploy, so fail here rather than in a test far away.
    throw new Error(`Artifact ${artifactPath} has no ABI or no linked bytecode`);
  }
  const omit = omitted.filter((o) => o.contract === contractName).map((o) => o.signature);
  const abi = artifact.abi.filter((entry) => !(entry.type === 'function' && omit.includes(signatureOf(entry))));
  if (artifact.abi.length - abi.length !== omit.length) {
    throw new Error(`${contractName}: not every function to omit (${omit.join(', ')}) is in its ABI`);
  }
  fs.writeFileSync(path.join(targetDir, `${contractName}.abi`), JSON.stringify(abi));
  fs.writeFileSync(path.join(targetDir, `${contractName}.bin`), bytecode.slice(2));
}

function main() {
  const [outDir, targetDir, ...rest] = process.argv.slice(2);
  const omitted = rest.filter((a) => a.startsWith('--omit=')).map((a) => {
    const match = /^--omit=([A-Za-z0-9_]+)\.([A-Za-z0-9_]+\([^)]*\))$/.exec(a);
    if (!match) throw new Error(`Bad ${a}: expected --omit=ContractName.function(type,...)`);
    return { contract: match[1], signature: match[2] };
  });
  const contractNames = rest.filter((a) => !a.startsWith('--omit='));
  if (!outDir || !targetDir || contractNames.length === 0) {
    throw new Error('Usage: extract-artifacts.js <out-dir> <target-dir> [--omit=Name.fn(types)]... <ContractName or path>...');
  }
  fs.mkdirSync(targetDir, { recursive: true });
  for (const contract of contractNames) {
    extract(outDir, targetDir, contract, omitted);
  }
}

try {
  main();
} catch (error) {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
