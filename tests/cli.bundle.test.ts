/**
 * The shipped CLI: `./kaas` and package.json `bin` run the esbuild bundle `dist/kaas.mjs`, built
 * from the current sources (rebuilt by the launcher when any of its inputs is newer), so what
 * users run is one file Node loads at once, and what tests run is never an old build.
 * Process-level: `./kaas` as a child process; its output is compared with `node cli/main.ts`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startPlatformProcess } from './support/platform-process.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const KAAS = path.join(ROOT, 'kaas');
const BUNDLE = path.join(ROOT, 'dist', 'kaas.mjs');
const env = { PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ''}`, HOME: ROOT, KAAS_CONFIG: '/nonexistent/kaas.json' };

const run = (cmd: string, args: string[]) => spawnSync(cmd, args, { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 });

describe('the bundled CLI', () => {
  it('./kaas runs the bundle, which behaves like the sources', () => {
    const fromSources = run(process.execPath, [path.join(ROOT, 'cli', 'main.ts'), '--help']);
    expect(fromSources.status).toBe(0);
    const shipped = run(KAAS, ['--help']);
    expect(shipped.stderr).toBe('');
    expect(shipped.status).toBe(0);
    expect(shipped.stdout).toBe(fromSources.stdout);
    expect(fs.existsSync(BUNDLE)).toBe(true);
    const inputs = JSON.parse(fs.readFileSync(path.join(ROOT, 'dist', 'kaas.inputs.json'), 'utf8')) as string[];
    expect(inputs).toContain('cli/main.ts');
    expect(inputs).toContain('cli/program.ts');
  });

  it('rebuilds the bundle when a source is newer than it', () => {
    run(KAAS, ['--help']);
    const old = new Date('2001-01-01T00:00:00Z');
    fs.utimesSync(BUNDLE, old, old);
    const r = run(KAAS, ['clusters', 'list']);
    expect(r.stderr).toMatch(/not logged in/); // the command ran, through the rebuilt bundle
    expect(fs.statSync(BUNDLE).mtimeMs).toBeGreaterThan(old.getTime() + 1000);
  });

  // start time without a timed assertion: the heavy libraries the CLI does not need stay out of
  // the bundle (zod is 750 kB of the 1.2 MB it was; the CLI checks labels with the plain rule)
  it('leaves zod and yaml out of the bundle', () => {
    run(KAAS, ['--version']);
    const meta = JSON.parse(fs.readFileSync(path.join(ROOT, 'dist', 'kaas.meta.json'), 'utf8')) as { inputs: Record<string, unknown> };
    const packages = new Set(Object.keys(meta.inputs).map((file) => /node_modules\/((@[^/]+\/)?[^/]+)/.exec(file)?.[1]).filter(Boolean));
    expect(packages).toContain('commander');
    expect(packages).not.toContain('zod');
    expect(packages).not.toContain('yaml'); // loaded on first use (cli/lazy-yaml.ts), not at every start
  });

  it('YAML output still works through the bundle (yaml loaded on first use)', async () => {
    const platform = await startPlatformProcess();
    try {
      const r = run(KAAS, ['templates', 'get', 'sim-dev', '-o', 'yaml', '--url', platform.url, '--token', platform.adminToken]);
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/^name: sim-dev$/m);
      // the API calls go through node:http (cli/http-fetch.ts): Node's global fetch loads undici,
      // ~100 ms of every call's start; a preload makes any use of it fail
      const noFetch = run(process.execPath, ['--import', 'data:text/javascript,globalThis.fetch=()=>{throw new Error("global fetch used")}', path.join(ROOT, 'cli', 'bin.mjs'), 'templates', 'list', '--url', platform.url, '--token', platform.adminToken]);
      expect(noFetch.stderr).toBe('');
      expect(noFetch.stdout).toMatch(/sim-dev/);
    } finally {
      await platform.stop('SIGTERM', 30_000);
    }
  });

  // a regression guard (it passed before, with the check in ./kaas): the launcher now checks the
  // version itself, so a start with Node 24 first on PATH runs one node process, not two
  it('on an older Node.js (the system one), runs itself with Node.js 24 from the tools cache, or says how to get it', () => {
    const old = spawnSync('/usr/bin/node', ['--version'], { encoding: 'utf8' });
    if (old.status !== 0 || Number(old.stdout.slice(1).split('.')[0]) >= 24) return; // no older node here to try with
    const toolsDir = process.env.KAAS_TOOLS_DIR ?? path.join(os.homedir(), '.kaas', 'tools');
    const withTools = spawnSync(KAAS, ['--version'], { cwd: ROOT, env: { PATH: '/usr/bin:/bin', HOME: ROOT, KAAS_TOOLS_DIR: toolsDir }, encoding: 'utf8' });
    expect(withTools.stderr).toBe('');
    expect(withTools.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const without = spawnSync(KAAS, ['--version'], { cwd: ROOT, env: { PATH: '/usr/bin:/bin', HOME: ROOT, KAAS_TOOLS_DIR: '/nonexistent' }, encoding: 'utf8' });
    expect(without.status).toBe(2);
    expect(without.stderr).toMatch(/Node\.js 24 is needed.*scripts\/bootstrap-node\.sh/);
  });

  it('package.json bin is the same launcher, executable with node', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    const bin = path.join(ROOT, pkg.bin.kaas!);
    expect(fs.readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
    expect(fs.statSync(bin).mode & 0o111).not.toBe(0);
    expect(execFileSync(bin, ['--version'], { cwd: ROOT, env, encoding: 'utf8' }).trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
