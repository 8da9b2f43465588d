/**
 * Platform processes of one fleet: `node api/main.ts` with KAAS_ROLE=api or worker on a shared
 * PostgreSQL (DATABASE_URL), as a production deployment runs them. An API process is ready when
 * `/readyz` answers 200; a worker when it logs `worker started`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from './platform-process.ts';

const API_MAIN = fileURLToPath(new URL('../../api/main.ts', import.meta.url));

/** The environment without anything kaas-specific the test runner may have set. */
function cleanEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('KAAS_') && k !== 'DATABASE_URL' && k !== 'PULUMI_CONFIG_PASSPHRASE') env[k] = v;
  return env;
}

export interface FleetProcessOptions {
  role: 'api' | 'worker' | 'all';
  databaseUrl: string;
  home: string;
  /** More settings (KAAS_PULUMI_BACKEND, KAAS_SIM_CLOUD_DIR, PULUMI_CONFIG_PASSPHRASE, ...). */
  env?: Record<string, string>;
}

/** One platform process and what it printed. */
export class FleetProcess {
  readonly child: ChildProcess;
  readonly role: FleetProcessOptions['role'];
  readonly port: number;
  readonly url: string;
  out = '';
  err = '';
  exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  private constructor(opts: FleetProcessOptions, port: number) {
    this.role = opts.role;
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
    this.child = spawn(process.execPath, [API_MAIN], {
      env: { ...cleanEnv(), KAAS_HOME: opts.home, PORT: String(port), KAAS_ROLE: opts.role, DATABASE_URL: opts.databaseUrl, KAAS_LOG_LEVEL: 'info', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (d: Buffer) => (this.out += d.toString()));
    this.child.stderr!.on('data', (d: Buffer) => (this.err += d.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve((this.exit = { code, signal }))));
  }

  /** Starts the process; does not wait for it (see `ready`). */
  static async spawn(opts: FleetProcessOptions): Promise<FleetProcess> {
    return new FleetProcess(opts, await freePort());
  }

  /** Starts the process and waits until it is ready. */
  static async start(opts: FleetProcessOptions, timeoutMs = 90_000): Promise<FleetProcess> {
    const p = await FleetProcess.spawn(opts);
    await p.ready(timeoutMs);
    return p;
  }

  get alive(): boolean {
    return this.exit === undefined;
  }

  /** Resolves once ready; throws with the process's output if it exits or times out first. */
  async ready(timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.exit) throw new Error(`the ${this.role} process exited (${JSON.stringify(this.exit)}) before it was ready:\n${this.err || this.out}`);
      if (Date.now() > deadline) {
        this.child.kill('SIGKILL');
        throw new Error(`the ${this.role} process was not ready within ${timeoutMs} ms:\n${this.err || this.out}`);
      }
      const ok = this.role === 'worker' ? this.out.includes('"worker started"') : await fetch(`${this.url}/readyz`).then((r) => r.ok, () => false);
      if (ok) return;
      await sleep(200);
    }
  }

  /** Sends `signal` and resolves with how the process ended, or 'timeout'. */
  async stop(signal: NodeJS.Signals, timeoutMs = 60_000): Promise<{ code: number | null; signal: NodeJS.Signals | null } | 'timeout'> {
    if (this.exit) return this.exit;
    this.child.kill(signal);
    return Promise.race([this.exited, sleep(timeoutMs).then(() => 'timeout' as const)]);
  }
}
