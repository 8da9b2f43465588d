#!/usr/bin/env node
/**
 * The `kaas` launcher (`./kaas` and package.json `bin`). Runs the bundle dist/kaas.mjs
 * (scripts/build-cli.ts) with Node's compile cache, so a start reads and compiles one file;
 * rebuilds it first when any file it was built from is newer (an edit, a checkout, an upgrade),
 * so the CLI that runs is always the current sources. Without esbuild (an install without dev
 * dependencies) it runs the sources, cli/main.ts, which is slower but the same program.
 * Plain JavaScript: the launcher itself needs no type stripping.
 */
import fs from 'node:fs';
import module from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

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
