/**
 * The CLI against the real platform over HTTP: the platform runs in-process (API role only, so
 * the create operation stays queued and nothing runs Pulumi), the CLI as a child process.
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

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('kaas CLI over HTTP', () => {
  let platform: RunningPlatform;
  let home: string;

  /** Runs the CLI asynchronously: the server answers from this same process. */
  function kaas(args: string[], env: Record<string, string> = {}): Promise<Run> {
    const base = { PATH: process.env.PATH ?? '', HOME: home, KAAS_CONFIG: path.join(home, 'cli-config.json'), KAAS_URL: platform.url!, KAAS_TOKEN: platform.adminToken! };
    return new Promise((resolve) => {
      execFile(process.execPath, [MAIN, ...args], { env: { ...base, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });
  }

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-cli-http-'));
    const config = loadConfig({ KAAS_HOME: home, PORT: '0', KAAS_LOG_LEVEL: 'silent', DATABASE_URL: await createEmptyDatabase(), KAAS_ROLE: 'api' });
    platform = await startPlatform(config, { logger: createLogger('silent'), print: () => {} });
    await platform.services.db.insertInto('teams').values({ id: newId('t'), name: 'payments', max_clusters: 5, max_total_nodes: 20, allowed_targets: null, allowed_templates: null }).execute();
  });
  afterAll(async () => {
    await platform?.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('whoami shows the platform admin', async () => {
    const r = await kaas(['whoami']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^subject:\s+admin$/m);
    expect(r.stdout).toMatch(/^role:\s+platform-admin$/m);
    const json = await kaas(['whoami', '--output', 'json']);
    expect(JSON.parse(json.stdout)).toEqual({ url: platform.url, subject: 'admin', role: 'platform-admin', team: null, groups: [] });
  });

  it('login verifies the token and saves it 0600; a bad token is refused with exit 4 and nothing saved', async () => {
    const configFile = path.join(home, 'login-config.json');
    const bad = await kaas(['login', '--url', platform.url!, '--token', 'kaas_not-a-token'], { KAAS_CONFIG: configFile, KAAS_TOKEN: '' });
    expect(bad.code).toBe(4);
    expect(bad.stderr).toMatch(/^error: missing or invalid API token$/m);
    expect(bad.stderr).toMatch(/^hint: .*kaas login/m);
    expect(fs.existsSync(configFile)).toBe(false);
    const tokenFile = path.join(home, 'token');
    fs.writeFileSync(tokenFile, platform.adminToken + '\n');
    const ok = await kaas(['login', '--url', platform.url!, '--token-file', tokenFile], { KAAS_CONFIG: configFile, KAAS_URL: '', KAAS_TOKEN: '' });
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(fs.statSync(configFile).mode & 0o777).toBe(0o600);
    // saved as context SUBJECT@HOST, made current (see tests/cli.kubectl-ux.test.ts for contexts)
    const context = `admin@${new URL(platform.url!).host}`;
    expect(JSON.parse(fs.readFileSync(configFile, 'utf8'))).toEqual({ currentContext: context, contexts: { [context]: { url: platform.url, token: platform.adminToken } } });
    // the saved config is used when the environment does not say otherwise
    const me = await kaas(['whoami', '-o', 'json'], { KAAS_CONFIG: configFile, KAAS_URL: '', KAAS_TOKEN: '' });
    expect(JSON.parse(me.stdout)).toMatchObject({ subject: 'admin' });
  });

  it('templates list --output json lists the shipped templates', async () => {
    const r = await kaas(['templates', 'list', '--output', 'json']);
    expect(r.code).toBe(0);
    const names = (JSON.parse(r.stdout) as { name: string }[]).map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['sim-dev', 'eks-standard']));
  });

  it('creates a sim-dev cluster for a team, then lists and gets it', async () => {
    const empty = await kaas(['clusters', 'list']);
    expect(empty.code).toBe(0);
    expect(empty.stdout.trim()).toBe('no clusters');

    const created = await kaas(['clusters', 'create', 'web', '--team', 'payments', '--template', 'sim-dev', '--set', 'nodeCount=2', '--label', 'env=dev', '-o', 'json']);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    const { cluster, operation } = JSON.parse(created.stdout) as { cluster: Record<string, unknown>; operation: Record<string, unknown> };
    expect(cluster).toMatchObject({ name: 'web', team: 'payments', template: 'sim-dev@1', simulated: true, nodeCount: 2, labels: { env: 'dev' } });
    expect(operation).toMatchObject({ kind: 'create', status: 'queued', actor: 'admin' });

    // admin without --team sees every team's clusters; the table marks simulated ones
    const list = await kaas(['clusters', 'list']);
    expect(list.code).toBe(0);
    const lines = list.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+TEAM\s+STATUS\s+TARGET\s+TEMPLATE/);
    expect(lines[1]).toMatch(/^web\s+payments\s+requested \(simulated\)\s+sim-local\s+sim-dev@1\s/);

    const get = await kaas(['clusters', 'get', 'web', '--team', 'payments']);
    expect(get.code).toBe(0);
    expect(get.stdout).toMatch(/^status:\s+requested \(simulated\)$/m);
    expect(get.stdout).toMatch(/^labels:\s+env=dev$/m);
    expect(get.stdout).toContain(`${operation.id as string}  create  queued`);

    const yaml = await kaas(['clusters', 'get', 'web', '--team', 'payments', '--output', 'yaml']);
    expect(yaml.stdout).toMatch(/^cluster:\n {2}id: c/m);

    // --search: a case-insensitive name prefix, answered by the server
    const found = await kaas(['clusters', 'list', '--search', 'WE', '-o', 'name']);
    expect(found.code).toBe(0);
    expect(found.stdout.trim()).toBe('cluster/web');
    const none = await kaas(['clusters', 'list', '--search', 'eb', '-o', 'json']);
    expect(JSON.parse(none.stdout)).toMatchObject({ items: [] });
    const bad = await kaas(['clusters', 'list', '--search', 'we%']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/search/);
  });

  it('maps API errors to exit codes with message and hint', async () => {
    const noTeam = await kaas(['clusters', 'get', 'web']);
    expect(noTeam.code).toBe(2);
    expect(noTeam.stderr).toMatch(/^error: team: a platform admin must name the team to act for$/m);
    expect(noTeam.stderr).toMatch(/^hint: pass --team TEAM$/m);
    expect(noTeam.stderr).toMatch(/^request id: [0-9a-f-]{36}$/m);

    const missing = await kaas(['clusters', 'get', 'nope', '--team', 'payments']);
    expect(missing.code).toBe(3);

    const duplicate = await kaas(['clusters', 'create', 'web', '--team', 'payments', '--template', 'sim-dev']);
    expect(duplicate.code).toBe(5);
    expect(duplicate.stderr).toMatch(/already exists/);

    const unconfirmed = await kaas(['clusters', 'delete', 'web', '--team', 'payments', '--confirm', 'wrong']);
    expect(unconfirmed.code).toBe(2); // the same mistake as a wrong name typed at the prompt
    expect(unconfirmed.stderr).toMatch(/^hint: kaas clusters delete web --confirm web$/m);
    for (const r of [noTeam, missing, duplicate, unconfirmed]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
