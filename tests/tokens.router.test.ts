/** tokens.* through createCaller (and once over HTTP) against real PostgreSQL. */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authenticate, hashToken, type Actor } from '../api/auth/tokens.ts';
import { createMetrics } from '../api/metrics.ts';
import { createServer } from '../api/server.ts';
import { expectTrpcError } from './support/errors.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

describe('tokens router', () => {
  let p: TestPlatform;
  let admin: Actor;
  let lead: Actor;
  let alice: Actor;
  let otherLead: Actor;
  beforeAll(async () => {
    p = await testPlatform();
    admin = await p.actor('root', 'platform-admin', null);
    const payments = await p.team('payments');
    lead = await p.actor('lead', 'team-admin', payments);
    alice = await p.actor('alice', 'member', payments);
    otherLead = await p.actor('olga', 'team-admin', await p.team('search'));
  });
  afterAll(() => p.close());

  it('lets a team admin issue a member token for their team; the token works once shown and is stored only hashed', async () => {
    const issued = await p.caller(lead).tokens.create({ subject: 'bob', ttlDays: 30 });
    expect(issued).toMatchObject({ subject: 'bob', role: 'member', team: 'payments', token: expect.stringMatching(/^kaas_/) });
    const days = (new Date(issued.expiresAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);
    expect(await authenticate(p.services.db, issued.token)).toEqual({ tokenId: issued.id, subject: 'bob', role: 'member', teamId: lead.teamId });
    const row = await p.services.db.selectFrom('tokens').selectAll().where('id', '=', issued.id).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(hashToken(issued.token));
    expect(JSON.stringify(row)).not.toContain(issued.token);
    const audit = await p.services.db.selectFrom('audit').selectAll().where('action', '=', 'tokens.create').where('result', '=', 'ok').execute();
    expect(audit).toEqual([expect.objectContaining({ actor: 'lead', target: 'bob', team_id: lead.teamId })]);
    expect(JSON.stringify(audit)).not.toContain(issued.token);
  });

  it('records when a token was last used', async () => {
    const issued = await p.actor('carol', 'member', lead.teamId);
    const before = await p.services.db.selectFrom('tokens').select('last_used_at').where('id', '=', issued.tokenId).executeTakeFirstOrThrow();
    expect(before.last_used_at).toBeNull();
    expect(await authenticate(p.services.db, issued.token)).toBeDefined();
    for (let i = 0; i < 50; i++) {
      const row = await p.services.db.selectFrom('tokens').select('last_used_at').where('id', '=', issued.tokenId).executeTakeFirstOrThrow();
      if (row.last_used_at !== null) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('last_used_at was never set');
  });

  it('defaults the lifetime to 90 days and bounds it to 1..365', async () => {
    const issued = await p.caller(lead).tokens.create({ subject: 'carol', role: 'team-admin' });
    expect(Math.round((new Date(issued.expiresAt).getTime() - Date.now()) / 86_400_000)).toBe(90);
    await expectTrpcError(p.caller(lead).tokens.create({ subject: 'dave', ttlDays: 0 }), 'BAD_REQUEST', /ttlDays/);
    await expectTrpcError(p.caller(lead).tokens.create({ subject: 'dave', ttlDays: 366 }), 'BAD_REQUEST', /ttlDays/);
  });

  it('refuses members, other teams, platform-admin tokens from team admins, bad subjects and unknown keys', async () => {
    await expectTrpcError(p.caller(alice).tokens.create({ subject: 'eve' }), 'FORBIDDEN', /team-admin role/);
    await expectTrpcError(p.caller(lead).tokens.create({ subject: 'eve', team: 'search' }), 'FORBIDDEN', /cannot act for team "search"/);
    await expectTrpcError(p.caller(lead).tokens.create({ subject: 'eve', role: 'platform-admin' }), 'FORBIDDEN', /only platform admins/);
    await expectTrpcError(p.caller(lead).tokens.create({ subject: 'Eve Smith' }), 'BAD_REQUEST', /subject/);
    await expectTrpcError(p.caller(lead).tokens.create({ subject: 'platform' }), 'BAD_REQUEST', /reserved/);
    await expectTrpcError(p.caller(lead).tokens.create({ subject: 'eve', id: 'kaaaaaaaaaaaa' } as never), 'BAD_REQUEST', /"id"/);
    await expectTrpcError(p.caller(lead).tokens.create({ subject: 'eve', teamId: admin.teamId } as never), 'BAD_REQUEST', /"teamId"/);
    expect(await p.services.db.selectFrom('tokens').select('id').where('subject', '=', 'eve').execute()).toEqual([]);
    const denied = await p.services.db.selectFrom('audit').select('actor').where('action', '=', 'tokens.create').where('result', '=', 'denied').execute();
    expect(denied.length).toBe(3);
  });

  it('lets a platform admin issue tokens for any team and platform-admin tokens without a team', async () => {
    const member = await p.caller(admin).tokens.create({ subject: 'sam', team: 'search' });
    expect(member).toMatchObject({ team: 'search', role: 'member' });
    const root2 = await p.caller(admin).tokens.create({ subject: 'root2', role: 'platform-admin' });
    expect(root2.team).toBeNull();
    expect(await authenticate(p.services.db, root2.token)).toMatchObject({ role: 'platform-admin', teamId: null });
    await expectTrpcError(p.caller(admin).tokens.create({ subject: 'x', role: 'platform-admin', team: 'search' }), 'BAD_REQUEST', /belong to no team/);
    await expectTrpcError(p.caller(admin).tokens.create({ subject: 'x' }), 'BAD_REQUEST', /needs a team/);
    await expectTrpcError(p.caller(admin).tokens.create({ subject: 'x', team: 'ghost' }), 'NOT_FOUND', /team "ghost"/);
  });

  it("lists the team's tokens for a team admin and any for a platform admin, never the hash", async () => {
    const own = await p.caller(lead).tokens.list();
    expect(new Set(own.items.map((t) => t.team))).toEqual(new Set(['payments']));
    expect(own.items.map((t) => t.subject)).toEqual(expect.arrayContaining(['lead', 'alice', 'bob', 'carol']));
    expect(JSON.stringify(own)).not.toMatch(/hash|kaas_/);
    await expectTrpcError(p.caller(lead).tokens.list({ team: 'search' }), 'FORBIDDEN');
    await expectTrpcError(p.caller(alice).tokens.list(), 'FORBIDDEN');
    const search = await p.caller(admin).tokens.list({ team: 'search' });
    expect(search.items.map((t) => t.subject).sort()).toEqual(['olga', 'sam']);
    const all = await p.caller(admin).tokens.list({ limit: 200 });
    expect(all.items.some((t) => t.team === null && t.role === 'platform-admin')).toBe(true);
  });

  it('pages the listing with a cursor', async () => {
    const first = await p.caller(admin).tokens.list({ limit: 2 });
    expect(first.items.length).toBe(2);
    const second = await p.caller(admin).tokens.list({ limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((t) => t.id)).not.toContain(first.items[0]!.id);
    expect(second.items.map((t) => t.id)).not.toContain(first.items[1]!.id);
    await expectTrpcError(p.caller(admin).tokens.list({ cursor: 'nonsense' }), 'BAD_REQUEST', /cursor/);
  });

  it('revokes a token of the own team: it stops authenticating at once and leaves the list unless asked', async () => {
    const issued = await p.caller(lead).tokens.create({ subject: 'frank' });
    expect(await authenticate(p.services.db, issued.token)).toBeDefined();
    const revoked = await p.caller(lead).tokens.revoke({ id: issued.id });
    expect(revoked).toMatchObject({ id: issued.id, status: 'revoked', revokedAt: expect.any(String) });
    expect(await authenticate(p.services.db, issued.token)).toBeUndefined();
    expect((await p.caller(lead).tokens.list()).items.map((t) => t.id)).not.toContain(issued.id);
    expect((await p.caller(lead).tokens.list({ includeInactive: true })).items.find((t) => t.id === issued.id)).toMatchObject({ status: 'revoked' });
    // revoking again is harmless and keeps the first revocation time
    expect((await p.caller(lead).tokens.revoke({ id: issued.id })).revokedAt).toBe(revoked.revokedAt);
  });

  it("reports another team's token and an unknown one alike as NOT_FOUND, audited as denied", async () => {
    await expectTrpcError(p.caller(otherLead).tokens.revoke({ id: alice.tokenId }), 'NOT_FOUND', /does not exist/);
    await expectTrpcError(p.caller(lead).tokens.revoke({ id: 'k000000000000' }), 'NOT_FOUND', /does not exist/);
    await expectTrpcError(p.caller(lead).tokens.revoke({ id: admin.tokenId }), 'NOT_FOUND');
    await expectTrpcError(p.caller(alice).tokens.revoke({ id: alice.tokenId }), 'FORBIDDEN');
    await expectTrpcError(p.caller(lead).tokens.revoke({ id: 'not-an-id' }), 'BAD_REQUEST');
    expect(await authenticate(p.services.db, (alice as Actor & { token: string }).token)).toBeDefined();
    const denied = await p.services.db.selectFrom('audit').select(['actor', 'target']).where('action', '=', 'tokens.revoke').where('result', '=', 'denied').execute();
    expect(denied).toEqual(expect.arrayContaining([{ actor: 'olga', target: alice.tokenId }, { actor: 'lead', target: 'k000000000000' }]));
  });

  it('lets a platform admin revoke any token', async () => {
    const revoked = await p.caller(admin).tokens.revoke({ id: otherLead.tokenId });
    expect(revoked).toMatchObject({ team: 'search', status: 'revoked' });
    expect(await authenticate(p.services.db, (otherLead as Actor & { token: string }).token)).toBeUndefined();
  });

  it('rejects expired tokens in authenticate', async () => {
    const issued = await p.caller(lead).tokens.create({ subject: 'gina', ttlDays: 1 });
    await p.services.db.updateTable('tokens').set({ expires_at: new Date(Date.now() - 1) }).where('id', '=', issued.id).execute();
    expect(await authenticate(p.services.db, issued.token)).toBeUndefined();
    expect((await p.caller(lead).tokens.list({ includeInactive: true })).items.find((t) => t.id === issued.id)).toMatchObject({ status: 'expired' });
  });

  it('works over HTTP: a token issued through the API authenticates until it is revoked', async () => {
    const server = createServer(p.services, createMetrics(p.services.db));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/trpc`;
    const call = (path: string, token: string, input?: unknown) =>
      fetch(`${base}/${path}`, input === undefined ? { headers: { authorization: `Bearer ${token}` } } : { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(input) });
    try {
      const leadToken = (lead as Actor & { token: string }).token;
      const created = await call('tokens.create', leadToken, { subject: 'http-user' });
      expect(created.status).toBe(200);
      const { token, id } = ((await created.json()) as { result: { data: { token: string; id: string } } }).result.data;
      expect(((await (await call('whoami', token)).json()) as { result: { data: unknown } }).result.data).toEqual({ subject: 'http-user', role: 'member', team: 'payments', groups: [] });
      expect((await call('tokens.revoke', leadToken, { id })).status).toBe(200);
      const after = await call('whoami', token);
      expect(after.status).toBe(401);
      const unknownKey = await call('tokens.create', leadToken, { subject: 'x', id: 'y' });
      expect(unknownKey.status).toBe(400);
      expect(((await unknownKey.json()) as { error: { message: string } }).error.message).toMatch(/"id"/);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
