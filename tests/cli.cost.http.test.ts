/**
 * Cost through the CLI over HTTP (API role only: operations stay queued): `clusters create`
 * prints the estimate with the prices' source and date, `teams set-quota --monthly-budget` sets
 * a budget that `teams get` shows used, and a create over it fails with the figures and the fix.
 * sim prices (pricing/sim/local.yaml): sim.small $0.05/h, control plane $0.10/h, 730 h/month.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../api/config.ts';
import { newId } from '../api/ids.ts';
import { createLogger } from '../api/logger.ts';
import { startPlatform, type RunningPlatform } from '../api/platform-process.ts';
import { createEmptyDatabase } from './support/database.ts';

const MAIN = fileURLToPath(new URL('../cli/main.ts', import.meta.url));

describe('kaas CLI: cost and budgets', () => {
  let platform: RunningPlatform;
  let home: string;

  function kaas(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const env = { PATH: process.env.PATH ?? '', HOME: home, KAAS_CONFIG: path.join(home, 'cli-config.json'), KAAS_URL: platform.url!, KAAS_TOKEN: platform.adminToken! };
    return new Promise((resolve) => {
      execFile(process.execPath, [MAIN, ...args], { env, timeout: 60_000 }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
    });
  }

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-cli-cost-'));
    const config = loadConfig({ KAAS_HOME: home, PORT: '0', KAAS_LOG_LEVEL: 'silent', DATABASE_URL: await createEmptyDatabase(), KAAS_ROLE: 'api' });
    platform = await startPlatform(config, { logger: createLogger('silent'), print: () => {} });
    await platform.services.db.insertInto('teams').values({ id: newId('t'), name: 'payments', max_clusters: 5, max_total_nodes: 20, allowed_targets: null, allowed_templates: null }).execute();
  });
  afterAll(async () => {
    await platform?.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('create prints the estimate; a budget shows as used; a create over it is refused with the fix', async () => {
    const created = await kaas(['clusters', 'create', 'web', '--template', 'sim-dev', '--team', 'payments', '--set', 'nodeCount=2']);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^estimated cost: \$146\.00\/month \(sim local prices of 2026-12-02 from simulated \(pricing\/sim\/local\.yaml; no real cloud bills for sim\)\)$/m);

    const json = await kaas(['clusters', 'create', 'web2', '--template', 'sim-dev', '--team', 'payments', '--set', 'nodeCount=1', '-o', 'json']);
    expect(JSON.parse(json.stdout).cost).toMatchObject({ monthly: 109.5, complete: true, prices: { cloud: 'sim', region: 'local', date: '2026-12-02' } });

    const quota = await kaas(['teams', 'set-quota', 'payments', '--monthly-budget', '300']);
    expect(quota.code).toBe(0);
    expect(quota.stdout).toMatch(/^monthly budget:\s+\$255\.50 of \$300\.00\/month estimated \(85%\)$/m);

    const refused = await kaas(['clusters', 'create', 'api', '--template', 'sim-dev', '--team', 'payments', '--set', 'nodeCount=1']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/monthly budget exceeded: the team's budget is \$300\.00\/month, its clusters are estimated at \$255\.50\/month, this cluster \$109\.50\/month would bring it to \$365\.00\/month/);
    expect(refused.stderr).toMatch(/^hint: raise the budget with `kaas teams set-quota payments --monthly-budget AMOUNT` \(platform admins\), or choose smaller or fewer nodes$/m);

    const bad = await kaas(['teams', 'set-quota', 'payments', '--monthly-budget', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--monthly-budget "lots" must be an amount in USD per month/);
  });
});
