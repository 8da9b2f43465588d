/**
 * A real AWS API emulator for tests: moto's server (https://docs.getmoto.org/en/latest/docs/server_mode.html),
 * installed by scripts/setup-moto.sh into <tools>/moto-<version>, started on a free port and
 * stopped after. Without it the tests that need it skip locally, but fail under CI=true.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './platform-process.ts';

export const MOTO_VERSION = '5.2.1';

/** The Python that has moto (and boto3, which it depends on): the tools venv, KAAS_MOTO_PYTHON, or a python3 that has it. */
function findMotoPython(): string | undefined {
  const tools = process.env.KAAS_TOOLS_DIR ?? path.join(os.homedir(), '.kaas', 'tools');
  const candidates = [process.env.KAAS_MOTO_PYTHON, path.join(tools, `moto-${MOTO_VERSION}`, 'bin', 'python'), 'python3'].filter((c): c is string => !!c);
  for (const python of candidates) {
    if (python.includes('/') && !fs.existsSync(python)) continue;
    const probe = spawnSync(python, ['-c', 'import moto.server, boto3, flask; print(moto.__version__)'], { encoding: 'utf8' });
    if (probe.status === 0) return python;
  }
  return undefined;
}

export const motoPython = findMotoPython();
export const motoMissing = motoPython === undefined;
if (motoMissing && process.env.CI === 'true') {
  throw new Error(`moto (the AWS emulator) is not installed and CI=true: the leak-check tests must run in CI. Run scripts/setup-moto.sh (installs moto[server]==${MOTO_VERSION}).`);
}


export interface MotoServer {
  endpoint: string;
  /** Runs a Python (boto3) script against the server; `ENDPOINT` is defined for it. Returns its stdout. */
  python(script: string): string;
  stop(): Promise<void>;
}

/** Starts moto's server on a free port and waits until it answers. */
export async function startMoto(): Promise<MotoServer> {
  if (!motoPython) throw new Error('moto is not installed: run scripts/setup-moto.sh');
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(motoPython, ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto server exited (${child.exitCode}): ${stderr.slice(-2000)}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const env = { ...process.env, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_DEFAULT_REGION: 'eu-west-1' };
  return {
    endpoint,
    python(script) {
      const out = spawnSync(motoPython!, ['-c', `ENDPOINT = ${JSON.stringify(endpoint)}\n${script}`], { encoding: 'utf8', env });
      if (out.status !== 0) throw new Error(`python against moto failed: ${out.stderr}`);
      return out.stdout;
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
