/**
 * Live streams over real HTTP (tRPC SSE subscriptions): operation events, cluster changes and
 * campaign progress. Two API processes share one database; changes written through one reach a
 * stream held by the other (PostgreSQL LISTEN/NOTIFY, no in-process state), a member never gets
 * another team's changes, and revoking the token ends a stream at once.
 * SSE framing per https://html.spec.whatwg.org/multipage/server-sent-events.html; tRPC's events
 * (`connected`, `return`, `serialized-error`) per trpc/trpc packages/server/src/unstable-core-do-not-import/stream/sse.ts@v11.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../api/config.ts';
import { newId } from '../api/ids.ts';
import { createLogger } from '../api/logger.ts';
import { appendEvents } from '../api/operations/operation-events.ts';
import { startPlatform, type RunningPlatform } from '../api/platform-process.ts';
import { createEmptyDatabase } from './support/database.ts';
import { insertSimCluster } from './support/fleet.ts';
import { openSse, type SseReader } from './support/sse.ts';

describe('live streams over HTTP', () => {
  const homes: string[] = [];
  let a: RunningPlatform; // holds the streams
  let b: RunningPlatform; // another API replica: changes go through it
  let admin: string;

  const call = async (p: RunningPlatform, proc: string, token: string, body: unknown) => {
    const r = await fetch(`${p.url}/trpc/${proc}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    const json = (await r.json()) as { result?: { data: unknown }; error?: unknown };
    if (r.status !== 200) throw new Error(`${proc}: ${r.status} ${JSON.stringify(json)}`);
    return json.result!.data as Record<string, unknown>;
  };
  const token = async (subject: string, role: string, team?: string) => (await call(a, 'tokens.create', admin, { subject, role, ...(team ? { team } : {}) })) as { id: string; token: string };
  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
  const data = async (s: SseReader) => {
    const ev = await s.next();
    expect(ev.event, ev.data).toBe('message');
    return { id: ev.id, value: JSON.parse(ev.data) as Record<string, unknown> };
  };
  const newOperation = async (clusterId: string) => {
    const id = newId('o');
    await b.services.db.insertInto('operations').values({ id, cluster_id: clusterId, kind: 'update', status: 'running', actor: 'test', request_id: 'r1' }).execute();
    return id;
  };
  const message = (m: string) => ({ kind: 'message' as const, message: m });

  beforeAll(async () => {
    const url = await createEmptyDatabase();
    const start = async () => {
      const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-streams-'));
      homes.push(home);
      return startPlatform(loadConfig({ KAAS_HOME: home, PORT: '0', KAAS_LOG_LEVEL: 'silent', DATABASE_URL: url, KAAS_ROLE: 'api' }), { logger: createLogger('silent'), print: () => {} });
    };
    a = await start();
    b = await start();
    admin = a.adminToken!;
    for (const name of ['payments', 'search', 'ops']) await call(b, 'teams.create', admin, { name });
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
    for (const home of homes) fs.rmSync(home, { recursive: true, force: true });
  });

  it('operations.events: the events after `after`, then new ones as another replica writes them, then ends with the operation', async () => {
    const member = await token('pay-dev', 'member', 'payments');
    const clusterId = await insertSimCluster(b.services.db, { team: 'payments', name: 'web', version: '1.32' });
    const op = await newOperation(clusterId);
    await appendEvents(b.services.db, op, [message('one'), message('two')]);
    const stream = await openSse(a.url!, 'operations.events', { operationId: op, after: 1 }, bearer(member.token));
    expect(stream.status).toBe(200);
    const first = await data(stream);
    expect(first.id).toBe('2');
    expect(first.value).toMatchObject({ seq: 2, event: message('two'), operation: { id: op, kind: 'update', status: 'running' } });
    await appendEvents(b.services.db, op, [message('three')]);
    expect((await data(stream)).value).toMatchObject({ seq: 3, event: message('three') });
    await appendEvents(b.services.db, op, [message('four')]);
    await b.services.db.updateTable('operations').set({ status: 'succeeded', finished_at: new Date() }).where('id', '=', op).execute();
    expect((await data(stream)).value).toMatchObject({ seq: 4, event: message('four') });
    expect((await stream.next()).event).toBe('return');
    stream.close();
  });

  it('operations.events: another team cannot subscribe to an operation it cannot see', async () => {
    const outsider = await token('search-dev', 'member', 'search');
    const clusterId = await insertSimCluster(b.services.db, { team: 'payments', name: 'private', version: '1.32' });
    const op = await newOperation(clusterId);
    const stream = await openSse(a.url!, 'operations.events', { operationId: op }, bearer(outsider.token));
    const text = stream.body ?? (await stream.next()).data;
    expect(text).toMatch(/NOT_FOUND/);
    expect(text).toMatch(new RegExp(`operation ${op}`));
    stream.close();
    const anonymous = await openSse(a.url!, 'operations.events', { operationId: op });
    expect(anonymous.body ?? (await anonymous.next()).data).toMatch(/UNAUTHORIZED/);
  });

  it('clusters.changes: a member gets its own team\'s changes only; a platform admin gets every team\'s', async () => {
    const member = await token('pay-watch', 'member', 'payments');
    const mine = await insertSimCluster(b.services.db, { team: 'payments', name: 'api', version: '1.32' });
    const theirs = await insertSimCluster(b.services.db, { team: 'search', name: 'index', version: '1.32' });
    const memberStream = await openSse(a.url!, 'clusters.changes', {}, bearer(member.token));
    const adminStream = await openSse(a.url!, 'clusters.changes', {}, bearer(admin));
    // refused outright when naming another team
    const naming = await openSse(a.url!, 'clusters.changes', { team: 'search' }, bearer(member.token));
    expect(naming.body ?? (await naming.next()).data).toMatch(/FORBIDDEN/);
    await b.services.db.updateTable('clusters').set({ status: 'updating' }).where('id', '=', theirs).execute();
    await b.services.db.updateTable('clusters').set({ status: 'updating' }).where('id', '=', mine).execute();
    expect((await data(adminStream)).value).toEqual({ clusterId: theirs, name: 'index', team: 'search', status: 'updating', lastOperation: null });
    expect((await data(adminStream)).value).toEqual({ clusterId: mine, name: 'api', team: 'payments', status: 'updating', lastOperation: null });
    // the member's first change is its own: the other team's came first and was not sent
    expect((await data(memberStream)).value).toEqual({ clusterId: mine, name: 'api', team: 'payments', status: 'updating', lastOperation: null });
    const op = await newOperation(mine);
    // the change carries the cluster's last operation as clusters.list shows it, so a live table's column moves too
    expect((await data(memberStream)).value).toEqual({ clusterId: mine, name: 'api', team: 'payments', status: 'updating', operationId: op, lastOperation: { kind: 'update', status: 'running', at: expect.any(String) } });
    memberStream.close();
    adminStream.close();
  });

  it('fleet.campaignProgress: the campaign with its waves now and whenever it changes; platform admins only', async () => {
    await insertSimCluster(b.services.db, { team: 'ops', name: 'fleet-1', version: '1.32' });
    const started = await call(b, 'fleet.start', admin, { name: 'to-133', targetVersion: '1.33', selector: { team: 'ops' }, waves: { canary: 0, percentages: [100] } });
    const campaignId = (started.campaign as { id: string }).id;
    const stream = await openSse(a.url!, 'fleet.campaignProgress', { campaignId }, bearer(admin));
    const now = (await data(stream)).value as { campaign: { id: string; status: string }; clusters: unknown[] };
    expect(now.campaign).toMatchObject({ id: campaignId, status: 'running' });
    expect(now.clusters.length).toBe(1);
    await call(b, 'fleet.pause', admin, { id: campaignId });
    expect((await data(stream)).value).toMatchObject({ campaign: { id: campaignId, status: 'paused' } });
    stream.close();
    const member = await token('ops-dev', 'member', 'ops');
    const refused = await openSse(a.url!, 'fleet.campaignProgress', { campaignId }, bearer(member.token));
    expect(refused.body ?? (await refused.next()).data).toMatch(/FORBIDDEN/);
  });

  it('a replica that shuts down ends its open streams (clients reconnect elsewhere) instead of waiting on them', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-streams-'));
    homes.push(home);
    const c = await startPlatform(loadConfig({ KAAS_HOME: home, PORT: '0', KAAS_LOG_LEVEL: 'silent', DATABASE_URL: a.services.config.databaseUrl, KAAS_ROLE: 'api' }), { logger: createLogger('silent'), print: () => {} });
    const stream = await openSse(c.url!, 'clusters.changes', {}, bearer(admin));
    expect(stream.status).toBe(200);
    await c.stop();
    const ended = await stream.next();
    expect(ended.event).toBe('serialized-error');
    expect(ended.data).toMatch(/SERVICE_UNAVAILABLE/); // retryable: tRPC's client reconnects
    // the reason is the shutdown, not the database
    expect(ended.data).toMatch(/shutting down/);
    expect(ended.data).not.toMatch(/database unavailable/);
  });

  it('revoking the token ends its streams at once, bearer or console session', async () => {
    const member = await token('pay-revoked', 'member', 'payments');
    const signIn = await fetch(`${a.url}/auth/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: member.token }) });
    const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const viaToken = await openSse(a.url!, 'clusters.changes', {}, bearer(member.token));
    const viaCookie = await openSse(a.url!, 'clusters.changes', {}, { cookie });
    expect(viaCookie.status).toBe(200);
    await call(b, 'tokens.revoke', admin, { id: member.id });
    for (const stream of [viaToken, viaCookie]) {
      const ended = await stream.next();
      expect(ended.event).toBe('serialized-error');
      expect(ended.data).toMatch(/UNAUTHORIZED/);
    }
  });
});
