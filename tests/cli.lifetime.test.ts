/**
 * `kaas clusters create --ttl`, `extend`, `hibernate` and `schedule` over HTTP, as people and
 * scripts read them: the expiry in list and get, an extension past the template max refused with
 * the latest expiry and the command that reaches it, the per-cloud hibernation note.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHIPPED_TEMPLATES_DIR } from '../api/bootstrap.ts';
import { loadConfig } from '../api/config.ts';
import { newId } from '../api/ids.ts';
import { createLogger } from '../api/logger.ts';
import { startPlatform, type RunningPlatform } from '../api/platform-process.ts';
import { createEmptyDatabase } from './support/database.ts';

const MAIN = fileURLToPath(new URL('../cli/main.ts', import.meta.url));

describe('kaas clusters lifetime commands', () => {
  let platform: RunningPlatform;
  let home: string;
  const kaas = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      const env = { PATH: process.env.PATH ?? '', HOME: home, KAAS_CONFIG: path.join(home, 'cli-config.json'), KAAS_URL: platform.url!, KAAS_TOKEN: platform.adminToken! };
      execFile(process.execPath, [MAIN, ...args, ...(args[0] === 'clusters' && args[2] !== '--help' ? ['--team', 'payments'] : [])], { env, timeout: 60_000 }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
    });

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-cli-ttl-'));
    const config = loadConfig({ KAAS_HOME: home, PORT: '0', KAAS_LOG_LEVEL: 'silent', DATABASE_URL: await createEmptyDatabase(), KAAS_ROLE: 'api' });
    platform = await startPlatform(config, { logger: createLogger('silent'), print: () => {} });
    await platform.services.db.insertInto('teams').values({ id: newId('t'), name: 'payments', max_clusters: 5, max_total_nodes: 20, allowed_targets: null, allowed_templates: null }).execute();
    const file = path.join(home, 'sim-ttl.yaml');
    fs.writeFileSync(file, fs.readFileSync(path.join(SHIPPED_TEMPLATES_DIR, 'sim-dev.yaml'), 'utf8').replace(/^name: sim-dev$/m, 'name: sim-ttl').replace(/^spec:/m, 'ttl: { default: 1d, max: 3d }\nspec:'));
    const pub = await kaas(['templates', 'publish', file]);
    expect(pub.code, pub.stderr).toBe(0);
  });
  afterAll(async () => {
    await platform?.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('create --ttl records the expiry; list and get show it', async () => {
    expect((await kaas(['clusters', 'create', 'web', '--template', 'sim-ttl', '--ttl', '2d'])).code).toBe(0);
    const list = await kaas(['clusters', 'list']);
    expect(list.stdout).toMatch(/^NAME\s.*\sEXPIRES$/m);
    expect(list.stdout).toMatch(/^web\s.*\sin (1d|2d)$/m);
    const get = await kaas(['clusters', 'get', 'web', '-o', 'json']);
    expect(new Date(JSON.parse(get.stdout).cluster.expiresAt).getTime() - Date.now()).toBeGreaterThan(47 * 3_600_000);
    const over = await kaas(['clusters', 'create', 'long', '--template', 'sim-ttl', '--ttl', '4d']);
    expect(over.code).toBe(2);
    expect(over.stderr).toMatch(/max 3d/);
    expect(over.stderr).toMatch(/^hint: ask for at most --ttl 3d$/m);
  });

  it('extend within the max moves the expiry; past it is refused naming the latest expiry and the fix', async () => {
    const ok = await kaas(['clusters', 'extend', 'web', '--by', '12h']);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^cluster "web" now expires at \S+ \(was \S+\)$/m);
    const over = await kaas(['clusters', 'extend', 'web', '--by', '2d']);
    expect(over.code).not.toBe(0);
    expect(over.stderr).toMatch(/may live at most 3d \(template sim-ttl@1\)/);
    expect(over.stderr).toMatch(/^hint: extend to at most `kaas clusters extend web --until \S+`/m);
    const neither = await kaas(['clusters', 'extend', 'web']);
    expect(neither.code).toBe(2);
  });

  it('hibernate says what the cloud cannot stop; schedule validates the timezone', async () => {
    await platform.services.db.updateTable('clusters').set({ status: 'ready' }).execute();
    await platform.services.db.updateTable('operations').set({ status: 'succeeded' }).execute();
    const h = await kaas(['clusters', 'hibernate', 'web']);
    expect(h.code, h.stderr).toBe(0);
    expect(h.stderr).toMatch(/sim cloud: node pools scale to 0/);
    const help = await kaas(['clusters', 'hibernate', '--help']);
    expect(help.stdout).toMatch(/aws: EKS cannot stop its control plane/);
    expect(help.stdout).toMatch(/azure: AKS stops the whole cluster \(control plane and node pools, no compute charges\); wake starts it first/);
    const bad = await kaas(['clusters', 'schedule', 'web', '--sleep', '20:00', '--wake', '07:00', '--timezone', 'Mars/Olympus']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/timezone/);
    const good = await kaas(['clusters', 'schedule', 'web', '--sleep', '20:00', '--wake', '07:00', '--timezone', 'Europe/Berlin']);
    expect(good.code, good.stderr).toBe(0);
  });
});
