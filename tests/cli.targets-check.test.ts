/**
 * `kaas targets check` as a platform engineer reads it, over HTTP against the real platform (API
 * role, in-process) whose worker egress is configured: one line per check, `fix:` under each
 * failure, the endpoint verdict per template, exit 5 when any check fails; `--template T --set`
 * checks one spec; `-o json` for scripts.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../api/config.ts';
import { createLogger } from '../api/logger.ts';
import { startPlatform, type RunningPlatform } from '../api/platform-process.ts';
import { createEmptyDatabase } from './support/database.ts';

const MAIN = fileURLToPath(new URL('../cli/main.ts', import.meta.url));
const ROLE = 'arn:aws:iam::123456789012:role/kaas-platform-admin';

describe('kaas targets check', () => {
  let platform: RunningPlatform;
  let home: string;

  function kaas(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const env = { PATH: process.env.PATH ?? '', HOME: home, KAAS_CONFIG: path.join(home, 'cli-config.json'), KAAS_URL: platform.url!, KAAS_TOKEN: platform.adminToken! };
    return new Promise((resolve) => {
      execFile(process.execPath, [MAIN, ...args], { env, timeout: 60_000 }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
    });
  }

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-cli-check-'));
    // no cloud credential variables: this platform's worker has none
    const config = loadConfig({ KAAS_HOME: home, PORT: '0', KAAS_LOG_LEVEL: 'silent', DATABASE_URL: await createEmptyDatabase(), KAAS_ROLE: 'api', KAAS_WORKER_EGRESS_CIDRS: '198.51.100.7/32' });
    platform = await startPlatform(config, { logger: createLogger('silent'), print: () => {} });
    const created = await kaas(['targets', 'create', 'aws-prod', '--cloud', 'aws', '--region', 'eu-west-1', '--account', '123456789012', '--dns-zone', 'prod.example.com', '--eks-admin-role-arn', ROLE]);
    expect(created.stderr).toBe('');
  }, 120_000);
  afterAll(async () => {
    await platform?.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('lists every check with the fix under each failure, the endpoint per template, and exits 5', async () => {
    const r = await kaas(['targets', 'check', 'aws-prod']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(5);
    expect(r.stdout).toMatch(/^FAIL {2}credentials {2}no aws credentials discoverable in the worker's environment \(instance metadata was not probed\)\n {19}fix: give the worker AWS credentials/m);
    expect(r.stdout).toMatch(/^FAIL {2}endpoint {5}template eks-production@1: the API server is private .*\n {19}fix: run the worker in the cluster's network or one peered with it: .*workerNetworks/m);
    expect(r.stdout).toMatch(/^FAIL {2}endpoint {5}template eks-standard@1: the public API server admits only 10\.0\.0\.0\/8; the worker's egress 198\.51\.100\.7\/32 is outside it.*\n {19}fix: add 198\.51\.100\.7\/32 to networking\.authorizedCidrs/m);
    expect(r.stdout).toMatch(/^target aws-prod is not ready: \d+ check\(s\) failed$/m);
  });

  it('--template T --set k=v checks that spec only', async () => {
    const r = await kaas(['targets', 'check', 'aws-prod', '--template', 'eks-standard', '--set', 'apiAccessCidrs=198.51.100.0/24', '-o', 'json']);
    expect(r.stderr).toBe('');
    const json = JSON.parse(r.stdout) as { ok: boolean; items: Array<{ check: string; ok: boolean; detail: string }> };
    expect(json.items.filter((i) => i.check === 'endpoint')).toEqual([{ check: 'endpoint', ok: true, detail: expect.stringMatching(/^template eks-standard@1 with apiAccessCidrs=198\.51\.100\.0\/24: the worker's egress 198\.51\.100\.7\/32 is within networking\.authorizedCidrs$/) }]);
    // the credentials still fail, so the target is still not ready
    expect(json.ok).toBe(false);
    expect(r.code).toBe(5);
  });

  it('a template of another cloud is a usage error naming the field', async () => {
    const r = await kaas(['targets', 'check', 'aws-prod', '--template', 'gke-standard']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/gke-standard@1 is for gcp but target "aws-prod" is a aws target/);
  });
});
