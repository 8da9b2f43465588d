/**
 * `kaas versions [--cloud C]` against the real platform over HTTP (in-process, API role only), and
 * the version warning `kaas clusters get/list` show for a cluster past end of support.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../api/config.ts';
import { createLogger } from '../api/logger.ts';
import { startPlatform, type RunningPlatform } from '../api/platform-process.ts';
import { EXIT } from '../cli/exit-codes.ts';
import { run } from '../cli/program.ts';
import { DEFAULT_VERSION_POLICY } from '../platform/version-policy.ts';
import { createEmptyDatabase } from './support/database.ts';

describe('kaas versions', () => {
  let platform: RunningPlatform;
  let home: string;

  async function kaas(argv: string[]) {
    let stdout = '';
    let stderr = '';
    const env = { KAAS_CONFIG: path.join(home, 'cli.json'), KAAS_URL: platform.url!, KAAS_TOKEN: platform.adminToken! };
    const code = await run(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env, stdinIsTTY: false });
    return { code, stdout, stderr };
  }

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-cli-versions-'));
    const config = loadConfig({ KAAS_HOME: home, PORT: '0', KAAS_LOG_LEVEL: 'silent', DATABASE_URL: await createEmptyDatabase(), KAAS_ROLE: 'api' });
    platform = await startPlatform(config, { logger: createLogger('silent'), print: () => {} });
  });
  afterAll(async () => {
    await platform?.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('shows, for one cloud, each minor with its phase, dates, default, and the source and asOf date', async () => {
    const r = await kaas(['versions', '--cloud', 'aws']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`source: ${DEFAULT_VERSION_POLICY.aws.source} (as of ${DEFAULT_VERSION_POLICY.aws.asOf})`);
    expect(r.stdout).toMatch(/^aws: static calendar$/m);
    expect(r.stdout).toMatch(/^VERSION\s+PHASE\s+DEFAULT\s+RELEASED\s+END OF STANDARD\s+END OF EXTENDED\s+NOTES$/m);
    expect(r.stdout).toMatch(/^1\.31\s+end-of-support\s+-\s+2024-09-26\s+2025-11-26\s+2026-11-26\s+-$/m);
    expect(r.stdout).toMatch(/^1\.37\s+\S+\s+.*estimated$/m);
    expect(r.stdout).not.toMatch(/^gcp:/m);
    const json = JSON.parse((await kaas(['versions', '--output', 'json'])).stdout) as { clouds: { cloud: string; versions: { default: boolean }[] }[] };
    expect(json.clouds.map((c) => c.cloud)).toEqual(['sim', 'aws', 'gcp', 'azure']);
    for (const c of json.clouds) expect(c.versions.filter((v) => v.default), c.cloud).toHaveLength(1);
  });

  it('refuses an unknown --cloud before any request (exit 2)', async () => {
    const r = await kaas(['versions', '--cloud', 'openstack']);
    expect(r.code).toBe(EXIT.USAGE);
    expect(r.stderr).toMatch(/--cloud "openstack" is not one of sim, aws, gcp, azure/);
  });

  it('clusters get and list show the warning of a cluster past end of support', async () => {
    const db = platform.services.db;
    expect((await kaas(['teams', 'create', 'payments'])).code).toBe(0);
    const created = await kaas(['clusters', 'create', 'old', '--team', 'payments', '--template', 'sim-dev']);
    expect(created.code).toBe(0);
    expect(created.stderr).toBe('');
    // as if it ran on an EKS target at 1.30 (EKS extended support ended 2026-07-23)
    const target = await db
      .insertInto('targets')
      .values({ id: 'tg_aws_old', name: 'aws-old', cloud: 'aws', region: 'eu-west-1', account: '123456789012', dns_zones: [], allowed_teams: null, settings: JSON.stringify({}) } as never)
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.updateTable('clusters').set({ target_id: target.id, kubernetes_version: '1.30' }).where('name', '=', 'old').execute();
    const got = await kaas(['clusters', 'get', 'old', '--team', 'payments']);
    expect(got.code).toBe(0);
    expect(got.stdout).toMatch(/^warning:\s+Kubernetes 1\.30 on aws is past end of support on 2026-07-23/m);
    const list = await kaas(['clusters', 'list', '--team', 'payments']);
    expect(list.stdout).toMatch(/\s1\.30 \(end-of-support\)\s/);
  });
});
