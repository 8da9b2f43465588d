/**
 * What one request may cost, over real HTTP: no batching (a batch of calls is refused whole and
 * runs nothing), a revoked token stops at its next call, a per-token rate limit answers 429 with
 * a clear message while other tokens go on, and unauthenticated mutations write at most one
 * audit row per action a minute.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../api/config.ts';
import { createLogger } from '../api/logger.ts';
import { startPlatform, type RunningPlatform } from '../api/platform-process.ts';
import { RateLimiter } from '../api/rate-limit.ts';
import { createEmptyDatabase } from './support/database.ts';

const BURST = 40;

describe('request limits over HTTP', () => {
  let home: string;
  let platform: RunningPlatform;
  const call = (p: string, init: { token?: string; method?: string; body?: unknown } = {}) =>
    fetch(`${platform.url}/trpc/${p}`, {
      method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
      headers: { 'content-type': 'application/json', ...(init.token ? { authorization: `Bearer ${init.token}` } : {}) },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  const newToken = async (subject: string) => {
    const r = await call('tokens.create', { token: platform.adminToken!, body: { subject, role: 'platform-admin' } });
    expect(r.status).toBe(200);
    return ((await r.json()) as { result: { data: { id: string; token: string } } }).result.data;
  };

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-limits-'));
    const config = loadConfig({ KAAS_HOME: home, PORT: '0', KAAS_LOG_LEVEL: 'silent', DATABASE_URL: await createEmptyDatabase(), KAAS_ROLE: 'api', KAAS_RATE_LIMIT_PER_SECOND: '0.001', KAAS_RATE_LIMIT_BURST: String(BURST) });
    platform = await startPlatform(config, { logger: createLogger('silent'), print: () => {} });
  });
  afterAll(async () => {
    await platform?.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('refuses a batch of calls whole: nothing in it runs', async () => {
    const { token } = await newToken('batcher');
    const batch = await call('teams.create,teams.create?batch=1', { token, body: { 0: { name: 'batch-a' }, 1: { name: 'batch-b' } } });
    expect(batch.status).toBe(400);
    const teams = await platform.services.db.selectFrom('teams').select('name').where('name', 'in', ['batch-a', 'batch-b']).execute();
    expect(teams).toEqual([]);
    const query = await call(`whoami,whoami?batch=1&input=${encodeURIComponent('{}')}`, { token });
    expect(query.status).toBe(400);
  });

  it('a revoked token stops at its next call', async () => {
    const { id, token } = await newToken('short-lived');
    expect((await call('whoami', { token })).status).toBe(200);
    expect((await call('tokens.revoke', { token: platform.adminToken!, body: { id } })).status).toBe(200);
    expect((await call('whoami', { token })).status).toBe(401);
  });

  it('limits requests per token with 429 and a clear message; another token is not affected', async () => {
    const { token } = await newToken('busy');
    const statuses: number[] = [];
    for (let i = 0; i < BURST + 3; i++) statuses.push((await call('whoami', { token })).status);
    expect(statuses.slice(0, BURST).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(BURST)).toEqual([429, 429, 429]);
    const refused = await call('whoami', { token });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    const body = (await refused.json()) as { error: { message: string; data: { code: string } } };
    expect(body.error.message).toMatch(/too many requests/);
    expect(body.error.data.code).toBe('TOO_MANY_REQUESTS');
    const { token: other } = await newToken('calm');
    expect((await call('whoami', { token: other })).status).toBe(200);
  });

  it('writes at most one audit row a minute for unauthenticated mutations of one action', async () => {
    for (let i = 0; i < 20; i++) expect((await call('teams.create', { body: { name: `anon-${i}` } })).status).toBe(401);
    const rows = await platform.services.db.selectFrom('audit').select('result').where('actor', '=', 'anonymous').where('action', '=', 'teams.create').execute();
    expect(rows).toEqual([{ result: 'denied' }]);
  });
});

describe('RateLimiter', () => {
  it('refills at the configured rate and forgets full buckets', () => {
    let now = 0;
    const limiter = new RateLimiter({ perSecond: 2, burst: 3 }, () => now);
    expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([undefined, undefined, undefined, { retryAfterSeconds: 1 }]);
    now += 500;
    expect(limiter.take('a')).toBeUndefined();
    expect(limiter.take('a')).toEqual({ retryAfterSeconds: 1 });
    expect(new RateLimiter({ perSecond: 0, burst: 1 }).take('a')).toBeUndefined();
  });
});
