/**
 * The platform's logs, as an operator sees them: `node api/main.ts` with stdout a pipe writes
 * JSON lines only (one object a line, people's messages go to stderr), and every line logged
 * while serving a request carries its request id (`reqId`, the `X-Request-Id` the client sent);
 * with stdout a terminal (a pty from util-linux `script`) the lines are `time LEVEL msg key=value`.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatPretty } from '../api/log-format.ts';
import { freePort, startPlatformProcess } from './support/platform-process.ts';

const API_MAIN = fileURLToPath(new URL('../api/main.ts', import.meta.url));

/** Two anonymous mutations: the second within a minute logs a warning in the request (its audit row is suppressed). */
async function anonymousMutations(url: string, ids: string[]): Promise<void> {
  for (const id of ids) {
    const res = await fetch(`${url}/trpc/clusters.create`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': id }, body: JSON.stringify({ name: 'x', template: 'sim-dev' }) });
    expect(res.status).toBe(401);
    expect(res.headers.get('x-request-id')).toBe(id);
  }
}

async function waitFor(read: () => string, pattern: RegExp, what: string): Promise<void> {
  for (let i = 0; i < 900; i++) {
    if (pattern.test(read())) return;
    await sleep(100);
  }
  throw new Error(`${what} never appeared in:\n${read()}`);
}

describe('platform logs', () => {
  it('with stdout a pipe: JSON lines only, each line of a request with its reqId', async () => {
    const platform = await startPlatformProcess({ logLevel: 'info' });
    try {
      await anonymousMutations(platform.url, ['logs-a-1', 'logs-a-2']);
      await waitFor(platform.stdout, /"reqId":"logs-a-2".*"msg":"request"|"msg":"request".*"reqId":"logs-a-2"/, 'the access line of logs-a-2');
    } finally {
      await platform.stop('SIGTERM', 30_000);
    }
    const lines = platform.stdout().split('\n').filter((l) => l.trim());
    const records = lines.map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON line on stdout: ${line}`);
      }
    });
    const second = records.filter((r) => r.reqId === 'logs-a-2');
    expect(second.map((r) => r.msg)).toEqual([expect.stringMatching(/^unauthenticated mutation refused/), 'request']);
    expect(second.find((r) => r.msg === 'request')).toMatchObject({ procedure: 'clusters.create', status: 401 });
    expect(records.filter((r) => r.msg === 'request').every((r) => typeof r.reqId === 'string')).toBe(true);
    expect(records.some((r) => r.msg === 'API listening')).toBe(true);
    expect(platform.stderr()).toMatch(/First start: created a platform-admin token/); // for people, not a log line
  });

  it('with stdout a terminal: `time LEVEL msg key=value` lines', async () => {
    if (spawnSync('script', ['--version']).status !== 0) return; // util-linux `script` makes the pty
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-pty-'));
    fs.chmodSync(home, 0o755);
    const port = await freePort();
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('KAAS_') && k !== 'DATABASE_URL') env[k] = v;
    const child = spawn('script', ['-qfc', `exec '${process.execPath}' '${API_MAIN}'`, '/dev/null'], { env: { ...env, KAAS_HOME: home, PORT: String(port), KAAS_LOG_LEVEL: 'info' }, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      await waitFor(() => out, /API listening/, 'API listening');
      const url = `http://127.0.0.1:${port}`;
      await anonymousMutations(url, ['logs-p-1', 'logs-p-2']);
      await waitFor(() => out, /INFO +request .*reqId=logs-p-2/, 'the access line of logs-p-2');
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      await Promise.race([exited, sleep(30_000)]);
      fs.rmSync(home, { recursive: true, force: true });
    }
    const lines = out.replace(/\r/g, '').split('\n').filter((l) => l.trim());
    expect(lines.some((l) => l.trimStart().startsWith('{'))).toBe(false);
    expect(lines).toContainEqual(expect.stringMatching(/^\d\d:\d\d:\d\d\.\d{3} INFO +API listening url=http:\/\/127\.0\.0\.1:\d+$/));
    expect(lines).toContainEqual(expect.stringMatching(/^\d\d:\d\d:\d\d\.\d{3} WARN +unauthenticated mutation refused .* reqId=logs-p-2/));
    expect(lines).toContainEqual(expect.stringMatching(/^\d\d:\d\d:\d\d\.\d{3} INFO +request (?=.*\breqId=logs-p-2\b)(?=.*\bprocedure=clusters\.create\b)(?=.*\bstatus=401\b)/));
  });

  it('formats a record as `time LEVEL msg key=value`, quoting what needs it, with an error stack below', () => {
    const time = new Date(2026, 0, 2, 3, 4, 5, 6).getTime();
    expect(formatPretty({ level: 30, time, msg: 'API listening', service: 'kaas', pid: 1, hostname: 'h', url: 'http://x:1' })).toBe('03:04:05.006 INFO  API listening url=http://x:1');
    expect(formatPretty({ level: 40, time, msg: 'm', reqId: 'r1', note: 'two words', n: 3, nested: { a: 1 } })).toBe('03:04:05.006 WARN  m reqId=r1 note="two words" n=3 nested={"a":1}');
    const err = formatPretty({ level: 50, time, msg: 'failed', err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at f (x.ts:1:1)' } });
    expect(err).toBe('03:04:05.006 ERROR failed err="boom"\n    Error: boom\n        at f (x.ts:1:1)');
  });
});
