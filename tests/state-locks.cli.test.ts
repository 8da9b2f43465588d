/**
 * `kaas locks list|clear` over HTTP against the real platform (API role, so nothing runs Pulumi):
 * the table names who holds a lock and the verdict; clear needs --reason, removes the lock and
 * writes the audit row; a member is refused. The lock is written where Pulumi's DIY backend keeps
 * it (pulumi/pulumi pkg/backend/diy/lock.go@v3.260.0).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueToken } from '../api/auth/tokens.ts';
import { loadConfig } from '../api/config.ts';
import { newId } from '../api/ids.ts';
import { createLogger } from '../api/logger.ts';
import { startPlatform, type RunningPlatform } from '../api/platform-process.ts';
import { createEmptyDatabase } from './support/database.ts';

const MAIN = fileURLToPath(new URL('../cli/main.ts', import.meta.url));

describe('kaas locks', () => {
  let platform: RunningPlatform;
  let home: string;
  let lockFile: string;
  let memberToken: string;

  function kaas(args: string[], token = platform.adminToken!): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const env = { PATH: process.env.PATH ?? '', HOME: home, KAAS_CONFIG: path.join(home, 'cli-config.json'), KAAS_URL: platform.url!, KAAS_TOKEN: token };
    return new Promise((resolve) => {
      execFile(process.execPath, [MAIN, ...args], { env, timeout: 60_000 }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
    });
  }

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-cli-locks-'));
    const config = loadConfig({ KAAS_HOME: home, PORT: '0', KAAS_LOG_LEVEL: 'silent', DATABASE_URL: await createEmptyDatabase(), KAAS_ROLE: 'api' });
    platform = await startPlatform(config, { logger: createLogger('silent'), print: () => {} });
    const teamId = newId('t');
    await platform.services.db.insertInto('teams').values({ id: teamId, name: 'payments', max_clusters: 5, max_total_nodes: 20, allowed_targets: null, allowed_templates: null }).execute();
    memberToken = (await issueToken(platform.services.db, { subject: 'alice', role: 'member', teamId, createdBy: 'test', ttlDays: 1 })).token;
    const created = await kaas(['clusters', 'create', 'web', '--template', 'sim-dev', '--team', 'payments', '-o', 'json']);
    expect(created.code, created.stderr).toBe(0);
    const stack = (await platform.services.db.selectFrom('clusters').select('stack_name').where('name', '=', 'web').executeTakeFirstOrThrow()).stack_name;
    lockFile = path.join(fileURLToPath(config.pulumiBackendUrl), '.pulumi', 'locks', 'organization', 'kaas', stack, 'cafe0000-0000-4000-8000-000000000003.json');
    fs.mkdirSync(path.dirname(lockFile), { recursive: true });
    fs.writeFileSync(lockFile, JSON.stringify({ pid: 4242, username: 'ops', hostname: 'laptop-of-ops.example', timestamp: '2026-12-02T04:00:00Z' }));
  });
  afterAll(async () => {
    await platform?.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('lists the lock with its holder and verdict', async () => {
    const r = await kaas(['locks', 'list']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/payments\/web\s+cafe0000-0000-4000-8000-000000000003\s+pid 4242 on laptop-of-ops\.example\s+2026-12-02T04:00:00Z\s+unknown\s+live: no platform worker is recorded/);
  });

  it('is refused for a member, and clear needs --reason', async () => {
    const member = await kaas(['locks', 'list'], memberToken);
    expect(member.code).not.toBe(0);
    expect(member.stderr).toContain('platform-admin');
    const noReason = await kaas(['locks', 'clear', 'web', '--team', 'payments']);
    expect(noReason.code).not.toBe(0);
    expect(noReason.stderr).toContain('--reason');
    expect(fs.existsSync(lockFile)).toBe(true);
  });

  it('clears it, audited with the reason', async () => {
    const r = await kaas(['locks', 'clear', 'web', '--team', 'payments', '--reason', 'break-glass run was killed']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('cleared 1 lock(s) of cluster web (team payments); recorded in the audit log');
    expect(fs.existsSync(lockFile)).toBe(false);
    const audit = await kaas(['audit', '--action', 'admin.locks.clear', '-o', 'json']);
    expect(JSON.parse(audit.stdout).items[0]).toMatchObject({ actor: 'admin', result: 'ok', target: 'web', detail: expect.objectContaining({ reason: 'break-glass run was killed' }) });
  });
});
