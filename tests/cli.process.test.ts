/** `node cli/main.ts` as a child process: help, refusing an unconfirmed delete, an unreachable API. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const MAIN = fileURLToPath(new URL('../cli/main.ts', import.meta.url));
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-cli-proc-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI with stdin a pipe (not a TTY) and no saved config. */
function kaas(args: string[], env: Record<string, string> = {}) {
  const base = { PATH: process.env.PATH ?? '', HOME: dir, KAAS_CONFIG: path.join(dir, 'config.json') };
  const r = spawnSync(process.execPath, [MAIN, ...args], { env: { ...base, ...env }, input: '', encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+[(:]\d+/);

/** A port nothing listens on: bind one, then close it. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('kaas as a process', () => {
  it('prints help with the commands and the exit codes, exit 0', () => {
    const r = kaas(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: kaas/);
    for (const topic of ['login', 'clusters', 'templates', 'targets', 'teams', 'tokens', 'audit']) expect(r.stdout).toContain(topic);
    expect(r.stdout).toMatch(/Exit codes:[\s\S]*7\s+cannot reach the API/);
  });

  it('refuses `clusters delete x` without --confirm when stdin is not a terminal: exit 2, no stack', () => {
    const r = kaas(['clusters', 'delete', 'x'], { KAAS_URL: 'http://127.0.0.1:9', KAAS_TOKEN: 't' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: refusing to delete cluster "x" without confirmation: stdin is not a terminal');
    expect(r.stderr).toContain('hint: repeat the name: kaas clusters delete x --confirm x');
    expect(r.stdout).toBe('');
    noStack(r.stderr);
  });

  it('reports an API nobody listens on: exit 7, how to start the platform, and no request id (the request never left)', async () => {
    const port = await closedPort();
    const r = kaas(['clusters', 'list'], { KAAS_URL: `http://127.0.0.1:${port}`, KAAS_TOKEN: 't' });
    expect(r.code).toBe(7);
    expect(r.stderr).toContain(`error: cannot reach the kaas API at http://127.0.0.1:${port}: is the platform running?`);
    expect(r.stderr).toMatch(/^hint: .*bash scripts\/start\.sh/m);
    expect(r.stderr).not.toMatch(/npm start/);
    expect(r.stderr).not.toMatch(/request id/);
    noStack(r.stderr);
  });

  it('exits 2 on usage errors and 4 without any token', () => {
    const usage = kaas(['clusters', 'create', 'web']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/required option '--template <ref>'/);
    const bad = kaas(['clusters', 'update', 'web', '--set', 'nodeCount'], { KAAS_TOKEN: 't' });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/must look like path=value/);
    const anon = kaas(['whoami']);
    expect(anon.code).toBe(4);
    expect(anon.stderr).toMatch(/not logged in[\s\S]*hint: run `kaas login/);
  });
});
