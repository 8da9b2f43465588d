/**
 * Builds the shipped CLI: one esbuild bundle of cli/main.ts and everything it imports,
 * `dist/kaas.mjs` (+ source map and esbuild's metafile, kaas.meta.json), and `dist/kaas.inputs.json`, the project files it was built
 * from, which the launcher (cli/bin.mjs) compares with the bundle's time to rebuild a stale one.
 * `node scripts/build-cli.ts`; scripts/prepare.sh runs it. A bundle loads in one read and one
 * compile instead of type-stripping and resolving ~100 modules at every start.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

/** Files the bundle depends on besides its inputs: the lock file (a dependency upgrade) and this build script. */
const EXTRA_INPUTS = ['package-lock.json', 'scripts/build-cli.ts'];

/** Builds dist/kaas.mjs under `root`; files are written to a private directory and renamed into place, so concurrent starts never load half a file. */
export async function buildCli(root: string): Promise<void> {
  const dist = path.join(root, 'dist');
  const tmp = path.join(dist, `.build-${process.pid}-${Date.now()}`);
  fs.mkdirSync(tmp, { recursive: true });
  // the bundle is dated when its inputs were read: a source saved during the build stays newer
  const started = new Date();
  try {
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: [path.join(root, 'cli', 'main.ts')],
      outfile: path.join(tmp, 'kaas.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node24',
      minify: true,
      sourcemap: 'linked',
      legalComments: 'none',
      // yaml is loaded on first use (cli/lazy-yaml.ts): most commands never print YAML
      alias: { yaml: path.join(root, 'cli', 'lazy-yaml.ts') },
      metafile: true,
      logLevel: 'warning',
      // CommonJS dependencies (yaml) call require('process'); an ES module bundle has no require
      banner: { js: "import { createRequire as __kaasCreateRequire } from 'node:module'; const require = __kaasCreateRequire(import.meta.url);" },
    });
    const inputs = Object.keys(result.metafile.inputs).filter((file) => !file.split(/[\\/]/).includes('node_modules'));
    fs.writeFileSync(path.join(tmp, 'kaas.meta.json'), JSON.stringify(result.metafile));
    fs.writeFileSync(path.join(tmp, 'kaas.inputs.json'), JSON.stringify([...inputs, ...EXTRA_INPUTS].sort(), null, 1) + '\n');
    fs.utimesSync(path.join(tmp, 'kaas.mjs'), started, started);
    for (const file of ['kaas.mjs.map', 'kaas.meta.json', 'kaas.inputs.json', 'kaas.mjs']) fs.renameSync(path.join(tmp, file), path.join(dist, file));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  await buildCli(root);
  process.stderr.write(`build-cli: wrote ${path.join(root, 'dist', 'kaas.mjs')}\n`);
}
