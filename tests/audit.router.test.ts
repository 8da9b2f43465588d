/** audit.list through createCaller against real PostgreSQL: rows written by real mutations. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { expectTrpcError } from './support/errors.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

describe('audit router', () => {
  let p: TestPlatform;
  let admin: Actor;
  let alice: Actor;
  let lead: Actor;
  let start: string;
  beforeAll(async () => {
    p = await testPlatform();
    admin = await p.actor('root', 'platform-admin', null);
    const payments = await p.team('payments');
    alice = await p.actor('alice', 'member', payments);
    lead = await p.actor('lead', 'team-admin', payments);
    start = new Date(Date.now() - 1000).toISOString();
    // ok, denied (FORBIDDEN, NOT_FOUND, UNAUTHORIZED) and failed (BAD_REQUEST, CONFLICT) mutations
    await p.caller(lead).tokens.create({ subject: 'bob' });
    await p.caller(alice).tokens.create({ subject: 'eve' }).catch(() => {});
    await p.caller(lead).tokens.revoke({ id: 'k000000000000' }).catch(() => {});
    await p.caller().teams.create({ name: 'anon' }).catch(() => {});
    await p.caller(admin).teams.create({ name: 'search' });
    await p.caller(admin).teams.create({ name: 'search' }).catch(() => {});
    await p.caller(admin).targets.create({ name: 'bad', cloud: 'aws', region: 'eu-west-1', account: '1' }).catch(() => {});
  });
  afterAll(() => p.close());

  it('is for platform admins only', async () => {
    await expectTrpcError(p.caller(lead).audit.list(), 'FORBIDDEN');
    await expectTrpcError(p.caller(alice).audit.list(), 'FORBIDDEN');
    await expectTrpcError(p.caller().audit.list(), 'UNAUTHORIZED');
  });

  it('returns every mutation newest first with its outcome, team name and error detail', async () => {
    const { items } = await p.caller(admin).audit.list({ since: start });
    expect(items.map((i) => [i.action, i.actor, i.result])).toEqual([
      ['targets.create', 'root', 'failed'],
      ['teams.create', 'root', 'failed'],
      ['teams.create', 'root', 'ok'],
      ['teams.create', 'anonymous', 'denied'],
      ['tokens.revoke', 'lead', 'denied'],
      ['tokens.create', 'alice', 'denied'],
      ['tokens.create', 'lead', 'ok'],
    ]);
    expect(items.at(-1)).toMatchObject({ team: 'payments', target: 'bob', detail: null, requestId: expect.any(String), at: expect.any(String) });
    expect(items[0]).toMatchObject({ team: null, target: 'bad', detail: { code: 'VALIDATION', message: expect.stringMatching(/12 digits/) } });
    expect(items[1]).toMatchObject({ detail: { code: 'CONFLICT' } });
    expect(items[4]).toMatchObject({ detail: { code: 'NOT_FOUND' } });
    expect(Number(items[0]!.id)).toBeGreaterThan(Number(items[1]!.id));
  });

  it('filters by team, actor, action prefix, result and time', async () => {
    const list = (input: Parameters<ReturnType<TestPlatform['caller']>['audit']['list']>[0]) => p.caller(admin).audit.list(input).then((r) => r.items.map((i) => `${i.action}/${i.actor}/${i.result}`));
    expect(await list({ team: 'payments' })).toEqual(['tokens.revoke/lead/denied', 'tokens.create/alice/denied', 'tokens.create/lead/ok']);
    expect(await list({ actor: 'lead' })).toEqual(['tokens.revoke/lead/denied', 'tokens.create/lead/ok']);
    expect(await list({ action: 'tokens.' })).toEqual(['tokens.revoke/lead/denied', 'tokens.create/alice/denied', 'tokens.create/lead/ok']);
    expect(await list({ action: 'tokens.cr', result: 'ok' })).toEqual(['tokens.create/lead/ok']);
    // LIKE wildcards in the prefix are literal
    expect(await list({ action: 'tokens_' })).toEqual([]);
    expect(await list({ action: '%' })).toEqual([]);
    expect(await list({ result: 'denied', team: 'search' })).toEqual([]);
    expect(await list({ until: start })).toEqual([]);
    expect(await list({ since: new Date(Date.now() + 60_000).toISOString() })).toEqual([]);
    await expectTrpcError(p.caller(admin).audit.list({ team: 'ghost' }), 'NOT_FOUND', /team "ghost"/);
  });

  it('validates its input', async () => {
    await expectTrpcError(p.caller(admin).audit.list({ since: 'yesterday' }), 'BAD_REQUEST', /ISO 8601/);
    await expectTrpcError(p.caller(admin).audit.list({ since: '2026-11-27T00:00:00Z', until: '2026-11-26T00:00:00Z' }), 'BAD_REQUEST', /since must be before until/);
    await expectTrpcError(p.caller(admin).audit.list({ limit: 0 }), 'BAD_REQUEST');
    await expectTrpcError(p.caller(admin).audit.list({ limit: 501 }), 'BAD_REQUEST');
    await expectTrpcError(p.caller(admin).audit.list({ cursor: '1; drop table audit' }), 'BAD_REQUEST', /cursor/);
    await expectTrpcError(p.caller(admin).audit.list({ result: 'error' as never }), 'BAD_REQUEST');
    await expectTrpcError(p.caller(admin).audit.list({ teamId: 'x' } as never), 'BAD_REQUEST', /"teamId"/);
  });

  it('pages with a cursor by id, newest first, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await p.caller(admin).audit.list({ limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...res.items.map((i) => i.id));
      if (!res.nextCursor) break;
      cursor = res.nextCursor;
    }
    const all = await p.caller(admin).audit.list({ limit: 500 });
    expect(seen).toEqual(all.items.map((i) => i.id));
    expect(seen.length).toBeGreaterThanOrEqual(7);
  });
});
