/**
 * The platform and the CLI as separate processes, the way a user runs them: `node api/main.ts`
 * with a fresh KAAS_HOME (embedded PostgreSQL, no DATABASE_URL) and `node cli/main.ts`.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const API_MAIN = fileURLToPath(new URL('../../api/main.ts', import.meta.url));
const CLI_MAIN = fileURLToPath(new URL('../../cli/main.ts', import.meta.url));
const START_SCRIPT = fileURLToPath(new URL('../../scripts/start.sh', import.meta.url));

/** A port that was free a moment ago: listen on port 0, then close. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** The environment without anything kaas-specific the test runner may have set. */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('KAAS_') && k !== 'DATABASE_URL') env[k] = v;
  return env;
}

export interface PlatformProcess {
  home: string;
  url: string;
  adminToken: string;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Sends `signal` (to the whole process group when started `detached`, like a terminal's Ctrl-C) and resolves with the exit code (null after a signal), or 'timeout'. */
  stop(signal: NodeJS.Signals, timeoutMs: number): Promise<number | null | 'timeout'>;
}

/** Starts `node api/main.ts` (or `bash scripts/start.sh`) on a fresh KAAS_HOME (or `home`, to restart) and waits until `/readyz` answers 200. */
export async function startPlatformProcess(opts: { logLevel?: string; readyTimeoutMs?: number; detached?: boolean; viaStartScript?: boolean; home?: string } = {}): Promise<PlatformProcess> {
  const home = opts.home ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-e2e-'));
  fs.chmodSync(home, 0o755); // the embedded server runs as the `postgres` user when tests run as root
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // viaStartScript: the README's command (`bash scripts/start.sh`), as a supervisor would run it.
  const [command, args] = opts.viaStartScript ? ['bash', [START_SCRIPT]] : [process.execPath, [API_MAIN]];
  const child = spawn(command, args, {
    env: { ...cleanEnv(), KAAS_HOME: home, PORT: String(port), KAAS_LOG_LEVEL: opts.logLevel ?? 'warn', KAAS_RETRY_BACKOFF_SECONDS: '0.5' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.detached ?? false,
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));

  const deadline = Date.now() + (opts.readyTimeoutMs ?? 60_000);
  for (;;) {
    if (exitCode !== undefined) throw new Error(`the platform exited with ${exitCode} before it was ready:\n${err || out}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`the platform was not ready within ${opts.readyTimeoutMs ?? 60_000} ms:\n${err || out}`);
    }
    const ok = await fetch(`${url}/readyz`).then((r) => r.ok, () => false);
    if (ok) break;
    await sleep(250);
  }
  const adminToken = fs.readFileSync(path.join(home, 'admin-token'), 'utf8').trim();
  return {
    home,
    url,
    adminToken,
    child,
    stdout: () => out,
    stderr: () => err,
    async stop(signal, timeoutMs) {
      if (exitCode !== undefined) return exitCode;
      if (opts.detached) process.kill(-child.pid!, signal);
      else child.kill(signal);
      return Promise.race([exited, sleep(timeoutMs).then(() => 'timeout' as const)]);
    },
  };
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node cli/main.ts ARGS` with only the given KAAS_* settings. */
export function runCli(args: string[], env: { KAAS_URL: string; KAAS_TOKEN: string; KAAS_CONFIG: string; HOME: string }, timeoutMs = 90_000): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI_MAIN, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}
