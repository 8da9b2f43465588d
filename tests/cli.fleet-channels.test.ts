/**
 * `kaas fleet channels|exclusions|proposals|retry` over real HTTP against an in-process platform
 * (API role: no runner; the channel check is run here with an injected clock and version data).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../api/config.ts';
import { runChannelCheck } from '../api/fleet/channel-check.ts';
import { channelVersionsOn } from '../api/fleet/channel-version-data.ts';
import { newId } from '../api/ids.ts';
import { createLogger } from '../api/logger.ts';
import { startPlatform, type RunningPlatform } from '../api/platform-process.ts';
import type { ProposalView } from '../cli/api-types.ts';
import { EXIT } from '../cli/exit-codes.ts';
import { createEmptyDatabase } from './support/database.ts';
import { insertSimCluster } from './support/fleet.ts';

const MAIN = fileURLToPath(new URL('../cli/main.ts', import.meta.url));
type Run = { code: number; stdout: string; stderr: string };

describe('kaas fleet channels, exclusions, proposals over HTTP', () => {
  let platform: RunningPlatform;
  let home: string;

  function kaas(args: string[]): Promise<Run> {
    const env = { PATH: process.env.PATH ?? '', HOME: home, KAAS_CONFIG: path.join(home, 'cli-config.json'), KAAS_URL: platform.url!, KAAS_TOKEN: platform.adminToken! };
    return new Promise((resolve) => {
      execFile(process.execPath, [MAIN, ...args], { env, timeout: 60_000 }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
    });
  }

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-cli-channels-'));
    const config = loadConfig({ KAAS_HOME: home, PORT: '0', KAAS_LOG_LEVEL: 'silent', DATABASE_URL: await createEmptyDatabase(), KAAS_ROLE: 'api' });
    platform = await startPlatform(config, { logger: createLogger('silent'), print: () => {} });
    await platform.services.db.insertInto('teams').values({ id: newId('t'), name: 'pay', max_clusters: 20, max_total_nodes: 100, allowed_targets: null, allowed_templates: null }).execute();
    await insertSimCluster(platform.services.db, { team: 'pay', name: 'web', version: '1.31' });
  });
  afterAll(async () => {
    await platform?.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('sets a channel, adds and removes an exclusion, lists and starts a proposal', async () => {
    const set = await kaas(['fleet', 'channels', 'set', 'stable', '--team', 'pay', '--start-delay', '30']);
    expect(set.stderr).toBe('');
    expect(set.stdout.trim()).toBe('team pay follows the stable channel; proposals start when an admin starts them (kaas fleet proposals start ID)');
    const bad = await kaas(['fleet', 'channels', 'set', 'fast', '--team', 'pay']);
    expect(bad.code).toBe(EXIT.USAGE);
    expect(bad.stderr).toMatch(/channel "fast" must be patch, stable or pinned/);
    expect((await kaas(['fleet', 'channels', 'set', 'stable', '--team', 'pay', '--template', 'sim-dev'])).code).toBe(EXIT.USAGE);
    expect((await kaas(['fleet', 'channels', 'list'])).stdout).toMatch(/^team\/pay\s+stable\s+by an admin\s+/m);

    const added = await kaas(['fleet', 'exclusions', 'add', '--team', 'pay', '--kind', 'no_upgrades', '--from', '2030-01-01T00:00:00Z', '--until', '2030-01-03T00:00:00Z', '--reason', 'freeze']);
    expect(added.stderr).toBe('');
    const id = /^exclusion (r[0-9a-z]+):/.exec(added.stdout)![1]!;
    expect((await kaas(['fleet', 'exclusions', 'list'])).stdout).toMatch(new RegExp(`^${id}\\s+team/pay\\s+no_upgrades\\s+2030-01-01T00:00:00.000Z\\s+2030-01-03T00:00:00.000Z\\s+freeze$`, 'm'));
    expect((await kaas(['fleet', 'exclusions', 'remove', id])).code).toBe(0);

    // the shipped sim calendar supports 1.29–1.34: stable is 1.33
    const now = new Date();
    await runChannelCheck(platform.services, now, { versions: channelVersionsOn(now) });
    const listed = await kaas(['fleet', 'proposals', 'list', '--status', 'proposed', '-o', 'json']);
    const [proposal] = (JSON.parse(listed.stdout) as { items: ProposalView[] }).items;
    expect(proposal).toMatchObject({ scope: 'team', name: 'pay', channel: 'stable', release: '1.33', clusters: ['web'], status: 'proposed' });
    const started = await kaas(['fleet', 'proposals', 'start', proposal!.id]);
    expect(started.stderr).toBe('');
    expect(started.stdout).toMatch(new RegExp(`^proposal ${proposal!.id} \\(1\\.33\\): started`, 'm'));
    expect(started.stdout).toMatch(/^follow it: kaas fleet status auto-1-33-p[0-9a-z]+ --watch$/m);
    expect((await kaas(['fleet', 'proposals', 'dismiss', proposal!.id])).code).toBe(EXIT.CONFLICT);

    const retry = await kaas(['fleet', 'retry', `auto-1-33-${proposal!.id}`]);
    expect(retry.code).toBe(EXIT.CONFLICT);
    expect(retry.stderr).toMatch(/has no blocked cluster/);
  });
});
