/**
 * The audited admin clear of a Pulumi stack lock (`admin.locks.list` / `admin.locks.clear`, the
 * API of `kaas locks`): platform admins only; a reason is required and kept in the audit
 * row with the lock and its owner; a lock whose owner is alive in the platform's records is
 * refused unless forced. Real PostgreSQL and a `file://` backend; the locks are written where the
 * DIY backend keeps them (pulumi/pulumi pkg/backend/diy/lock.go@v3.260.0).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

const OTHER_HOST = 'laptop-of-ops.example';

describe('admin clear of a stack lock', () => {
  let p: TestPlatform;
  let alice: Actor;
  let admin: Actor;
  let stack: string;
  let operationId: string;
  const lockFile = (id: string) => path.join(fileURLToPath(p.config.pulumiBackendUrl), '.pulumi', 'locks', 'organization', 'kaas', stack, `${id}.json`);
  const plant = (id: string, hostname = OTHER_HOST) => {
    fs.mkdirSync(path.dirname(lockFile(id)), { recursive: true });
    fs.writeFileSync(lockFile(id), JSON.stringify({ pid: 4242, username: 'ops', hostname, timestamp: '2026-12-02T04:00:00Z' }));
  };
  const lastAudit = () => p.services.db.selectFrom('audit').selectAll().where('action', '=', 'admin.locks.clear').orderBy('id', 'desc').executeTakeFirstOrThrow();

  beforeAll(async () => {
    p = await testPlatform();
    alice = await p.actor('alice', 'member', await p.team('payments'));
    admin = await p.actor('root', 'platform-admin', null);
    const { operation } = await p.caller(alice).clusters.create({ name: 'web', template: 'sim-dev' });
    operationId = operation.id;
    stack = (await p.services.db.selectFrom('clusters').select('stack_name').where('name', '=', 'web').executeTakeFirstOrThrow()).stack_name;
  });
  afterAll(async () => {
    await p.close();
  });

  it('is for platform admins only, and the refusal is audited', async () => {
    plant('aaaa0000-0000-4000-8000-000000000001');
    await expect(p.caller(alice).admin.locks.list()).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(p.caller(alice).admin.locks.clear({ cluster: 'web', reason: 'stuck since the outage' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await lastAudit()).toMatchObject({ actor: 'alice', result: 'denied' });
    expect(fs.existsSync(lockFile('aaaa0000-0000-4000-8000-000000000001'))).toBe(true);
  });

  it('lists the lock with who holds it and why the platform leaves it', async () => {
    const { items } = await p.caller(admin).admin.locks.list();
    expect(items).toEqual([
      expect.objectContaining({ cluster: 'web', team: 'payments', stack, id: 'aaaa0000-0000-4000-8000-000000000001', pid: 4242, hostname: OTHER_HOST, owner: 'unknown', stale: false }),
    ]);
    expect(items[0]!.reason).toContain(`no platform worker is recorded on ${OTHER_HOST}`);
  });

  it('needs a reason', async () => {
    await expect(p.caller(admin).admin.locks.clear({ cluster: 'web', reason: '' })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
    expect(fs.existsSync(lockFile('aaaa0000-0000-4000-8000-000000000001'))).toBe(true);
  });

  it('clears a lock from a host the platform does not know, audited with the reason and the lock', async () => {
    const res = await p.caller(admin).admin.locks.clear({ cluster: 'web', reason: 'break-glass run on a laptop was killed' });
    expect(res.cleared.map((l) => l.id)).toEqual(['aaaa0000-0000-4000-8000-000000000001']);
    expect(fs.existsSync(lockFile('aaaa0000-0000-4000-8000-000000000001'))).toBe(false);
    const row = await lastAudit();
    expect(row).toMatchObject({ actor: 'root', result: 'ok', target: 'web' });
    expect(row.detail).toMatchObject({ reason: 'break-glass run on a laptop was killed', forced: false, stack, locks: [expect.objectContaining({ id: 'aaaa0000-0000-4000-8000-000000000001', hostname: OTHER_HOST, pid: 4242, owner: 'unknown' })] });
  });

  it('refuses a lock whose owner is alive in the records unless forced', async () => {
    // a worker on that host runs an attempt of this cluster's operation and heartbeats
    await p.services.db.insertInto('operation_attempts').values({ operation_id: operationId, attempt: 7, host: OTHER_HOST, pid: 900 }).execute();
    plant('bbbb0000-0000-4000-8000-000000000002');
    const err = await p.caller(admin).admin.locks.clear({ cluster: 'web', reason: 'looks stuck to me' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'PRECONDITION_FAILED' });
    expect(String((err as Error).message)).toContain(`operation ${operationId} attempt 7, worker pid 900 on ${OTHER_HOST}`);
    expect(fs.existsSync(lockFile('bbbb0000-0000-4000-8000-000000000002'))).toBe(true);
    expect(await lastAudit()).toMatchObject({ result: 'failed', detail: expect.objectContaining({ reason: 'looks stuck to me', forced: false }) });

    await p.caller(admin).admin.locks.clear({ cluster: 'web', lock: 'bbbb0000-0000-4000-8000-000000000002', reason: 'worker-b is wedged, its pulumi was killed', force: true });
    expect(fs.existsSync(lockFile('bbbb0000-0000-4000-8000-000000000002'))).toBe(false);
    expect(await lastAudit()).toMatchObject({ result: 'ok', detail: expect.objectContaining({ forced: true, locks: [expect.objectContaining({ owner: 'alive' })] }) });
  });

  it('says so when there is nothing to clear', async () => {
    await expect(p.caller(admin).admin.locks.clear({ cluster: 'web', reason: 'just in case' })).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'cluster web has no stack lock' });
  });
});
