/**
 * `kaas approvals …` and `kaas targets approval-policy` as people use them, over HTTP against the
 * real platform (API role, in-process): a platform admin sets a target's policy from a YAML file
 * and restores the default; a protected cluster's delete prints the request and exits 5; the
 * requester's own approve exits 4 with a hint; another person lists, then rejects it with a reason;
 * usage mistakes exit 2.
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

describe('kaas approvals', () => {
  let platform: RunningPlatform;
  let home: string;
  let alice: string;
  let carol: string;

  function kaas(args: string[], token = platform.adminToken!): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const env = { PATH: process.env.PATH ?? '', HOME: home, KAAS_CONFIG: path.join(home, `cli-${token.slice(-6)}.json`), KAAS_URL: platform.url!, KAAS_TOKEN: token };
    return new Promise((resolve) => {
      execFile(process.execPath, [MAIN, ...args], { env, timeout: 60_000 }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
    });
  }
  const ok = async (args: string[], token?: string) => {
    const r = await kaas(args, token);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
    return r.stdout;
  };

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-cli-approvals-'));
    // API role only: the delete waits for approval, so no worker is needed
    const config = loadConfig({ KAAS_HOME: home, PORT: '0', KAAS_LOG_LEVEL: 'silent', DATABASE_URL: await createEmptyDatabase(), KAAS_ROLE: 'api' });
    platform = await startPlatform(config, { logger: createLogger('silent'), print: () => {} });
    await ok(['teams', 'create', 'pay']);
    alice = (JSON.parse(await ok(['tokens', 'create', '--subject', 'alice', '--role', 'member', '--team', 'pay', '-o', 'json'])) as { token: string }).token;
    carol = (JSON.parse(await ok(['tokens', 'create', '--subject', 'carol', '--role', 'team-admin', '--team', 'pay', '-o', 'json'])) as { token: string }).token;
  }, 120_000);
  afterAll(async () => {
    await platform?.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('sets a target policy from YAML, shows it, refuses a bad one, and restores the default', async () => {
    const file = path.join(home, 'policy.yaml');
    fs.writeFileSync(file, 'delete:\n  approvers: 2\n  roles: [team-admin]\n  groups: [sre]\n');
    expect(await ok(['targets', 'approval-policy', 'sim-local', '--file', file])).toMatch(/^approvals:\s+delete: 2 of team-admin\|group:sre$/m);
    fs.writeFileSync(file, 'rebuild:\n  approvers: 1\n  roles: [member]\n');
    const bad = await kaas(['targets', 'approval-policy', 'sim-local', '--file', file]);
    expect({ code: bad.code, stderr: bad.stderr }).toMatchObject({ code: 2, stderr: expect.stringContaining('rebuild') });
    expect((await kaas(['targets', 'approval-policy', 'sim-local'])).code).toBe(2);
    const member = await kaas(['targets', 'approval-policy', 'sim-local', '--default'], carol);
    expect(member.code).toBe(4);
    expect(await ok(['targets', 'approval-policy', 'sim-local', '--default'])).toMatch(/^approvals:\s+platform default/m);
  });

  it('a protected delete prints its request (exit 5); the requester cannot approve it (exit 4); another person lists and rejects it', async () => {
    await ok(['clusters', 'create', 'prod', '--template', 'sim-dev', '--label', 'environment=production'], alice);
    const asked = await kaas(['clusters', 'delete', 'prod', '--confirm', 'prod'], alice);
    expect(asked.code).toBe(5);
    const id = /approval request (a[a-z0-9]{12})/.exec(asked.stderr)?.[1];
    expect(id, asked.stderr).toBeDefined();
    expect(asked.stderr).toContain(`kaas approvals approve ${id}`);

    const self = await kaas(['approvals', 'approve', id!], alice);
    expect(self.code).toBe(4);
    expect(self.stderr).toMatch(/alice requested this and cannot approve their own request[\s\S]*hint: ask someone else/);

    expect(await ok(['approvals', 'list'], carol)).toMatch(new RegExp(`^${id}\\s+delete\\s+cluster prod\\s+pay\\s+alice\\s+pending\\s+0/1 \\(team-admin\\|platform-admin\\)`, 'm'));
    const noReason = await kaas(['approvals', 'reject', id!], carol);
    expect(noReason.code).toBe(2);
    expect(await ok(['approvals', 'reject', id!, '--reason', 'it still serves traffic'], carol)).toBe(`approval request ${id} (delete of cluster prod) is rejected: it still serves traffic\n`);
    const all = JSON.parse(await ok(['approvals', 'list', '--status', 'all', '-o', 'json'], carol)) as { items: { id: string; status: string; decidedBy: string }[] };
    expect(all.items.find((a) => a.id === id)).toMatchObject({ status: 'rejected', decidedBy: 'carol' });
    expect(await ok(['approvals', 'list'], carol)).not.toContain(id!);
    expect((await kaas(['approvals', 'approve', 'not-an-id'], carol)).code).toBe(2);
  });
});
