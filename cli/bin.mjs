#!/usr/bin/env node
/**
 * The `kaas` launcher (`./kaas` and package.json `bin`). Runs the bundle dist/kaas.mjs
 * (scripts/build-cli.ts) with Node's compile cache, so a start reads and compiles one file;
 * rebuilds it first when any file it was built from is newer (an edit, a checkout, an upgrade),
 * so the CLI that runs is always the current sources. Without esbuild (an install without dev
 * dependencies) it runs the sources, cli/main.ts, which is slower but the same program.
 * Plain JavaScript that older Node.js versions parse: on one older than 24 it re-runs itself
 * with Node.js 24 from the tools cache (scripts/bootstrap-node.sh), or says how to get it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import module from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

if (Number(process.versions.node.split('.')[0]) < 24) {
  const node24 = path.join(process.env.KAAS_TOOLS_DIR ?? path.join(os.homedir(), '.kaas', 'tools'), 'node-24', 'bin', 'node');
  if (!fs.existsSync(node24)) {
    process.stderr.write(`kaas: Node.js 24 is needed (this is ${process.version}); run \`. scripts/bootstrap-node.sh\` (or scripts/start.sh) first\n`);
    process.exit(2);
  }
  const child = spawnSync(node24, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}

module.enableCompileCache?.();
if (process.env.KAAS_DEBUG) process.setSourceMapsEnabled(true);

const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = path.join(root, 'dist', 'kaas.mjs');

/** True when the bundle exists and none of the files it was built from changed since. */
function bundleIsFresh() {
  let built;
  let inputs;
  try {
    built = fs.statSync(bundle).mtimeMs;
    inputs = JSON.parse(fs.readFileSync(path.join(root, 'dist', 'kaas.inputs.json'), 'utf8'));
  } catch {
    return false;
  }
  for (const file of inputs) {
    try {
      if (fs.statSync(path.join(root, file)).mtimeMs > built) return false;
    } catch {
      return false; // an input was removed
    }
  }
  return true;
}

let entry = bundle;
if (!bundleIsFresh()) {
  try {
    const { buildCli } = await import('../scripts/build-cli.ts');
    await buildCli(root);
  } catch (err) {
    if (process.env.KAAS_DEBUG) process.stderr.write(`kaas: could not build the CLI bundle, running the sources: ${err instanceof Error ? err.message : String(err)}\n`);
    entry = path.join(root, 'cli', 'main.ts');
  }
}
await import(pathToFileURL(entry).href);
