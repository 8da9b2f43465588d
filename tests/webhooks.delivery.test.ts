/**
 * Webhook deliveries end to end: real PostgreSQL and pg-boss, the real dispatcher and delivery
 * worker, operations run by `runOperation` with a fake engine, and receivers on 127.0.0.1 (the
 * allow-list names 127.0.0.1, as an operator would for a local receiver). Each receiver verifies
 * the signature with the exported `verifyWebhookSignature`.
 */
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { createMetrics } from '../api/metrics.ts';
import { createServer } from '../api/server.ts';
import { startWebhookWorker } from '../api/webhooks/webhook-worker.ts';
import { runOperation } from '../api/worker/run-operation.ts';
import { run } from '../cli/program.ts';
import { verifyWebhookSignature } from '../platform/webhook-signature.ts';
import { FakeEngine } from './support/fake-engine.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';
import { startReceiver, type Receiver, type Received } from './support/webhook-receiver.ts';

async function until<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const events = (r: Receiver) => r.received.map((x) => JSON.parse(x.body) as { id: string; type: string; subject: string; time: string; data: Record<string, any> });

describe('webhook deliveries', () => {
  let p: TestPlatform;
  let alice: Actor;
  let lead: Actor & { token: string };
  let otherLead: Actor;
  let admin: Actor & { token: string };
  let stopWorker: () => Promise<void>;
  let server: http.Server;
  let apiUrl: string;
  const settings = { retries: 0, backoffMs: 1 };

  beforeAll(async () => {
    p = await testPlatform({ KAAS_WEBHOOK_ALLOWED_HOSTS: '127.0.0.1', KAAS_WEBHOOK_ALLOW_HTTP: 'true', KAAS_WEBHOOK_RETRY_BASE_SECONDS: '1', KAAS_WEBHOOK_MAX_ATTEMPTS: '4', KAAS_WEBHOOK_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') });
    const payments = await p.team('payments');
    const search = await p.team('search');
    alice = await p.actor('alice', 'member', payments);
    lead = await p.actor('lena', 'team-admin', payments);
    otherLead = await p.actor('sam', 'team-admin', search);
    admin = await p.actor('root', 'platform-admin', null);
    stopWorker = await startWebhookWorker(p.services, { pollMs: 100 });
    server = createServer(p.services, createMetrics(p.services.db));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await stopWorker?.();
    await new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve())));
    await p.close();
  });

  function verified(r: Received, secret: string) {
    return verifyWebhookSignature({ secret, body: r.body, header: r.headers['kaas-signature'] as string | undefined });
  }

  it('delivers signed CloudEvents of a real operation\'s transitions to its team\'s subscription, and nothing of another team', async () => {
    const receiver = await startReceiver();
    const other = await startReceiver();
    try {
      const sub = await p.caller(lead).webhooks.create({ url: receiver.url, types: ['dev.kaas.operation.*'] });
      // stored encrypted (KAAS_WEBHOOK_SECRET_KEY), yet the deliveries below verify with the secret shown at creation
      const stored = await p.services.db.selectFrom('webhook_subscriptions').select('secret').where('id', '=', sub.id).executeTakeFirstOrThrow();
      expect(stored.secret).toMatch(/^enc:v1:/);
      expect(stored.secret).not.toContain(sub.secret.slice(6));
      const otherSub = await p.caller(otherLead).webhooks.create({ url: other.url, types: ['*'] });
      const platformWide = await startReceiver();
      await p.caller(admin).webhooks.create({ url: platformWide.url, types: ['dev.kaas.operation.queued'], platformWide: true });
      const { operation, cluster } = await p.caller(alice).clusters.create({ name: 'web', template: 'sim-dev' });
      await runOperation(p.services, operation.id, settings, new AbortController().signal, new FakeEngine());
      await until('three operation events', () => (receiver.received.length >= 3 ? true : undefined));
      // the platform-wide subscription heard the payments event, so the dispatcher passed it: the search team's receiver must not have
      await until('the platform-wide delivery', () => (platformWide.received.length >= 1 ? true : undefined));
      await platformWide.close();
      // deliveries run concurrently, so they may arrive in any order (README: order is not
      // guaranteed); the events' own times give the order
      const byTime = [...events(receiver)].sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
      expect(byTime.map((e) => e.type)).toEqual(['dev.kaas.operation.queued', 'dev.kaas.operation.running', 'dev.kaas.operation.succeeded']);
      for (const r of receiver.received) {
        expect(verified(r, sub.secret)).toMatchObject({ ok: true });
        // https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/formats/json-format.md#3-envelope: structured mode, media type application/cloudevents+json
        expect(r.headers['content-type']).toMatch(/^application\/cloudevents\+json/);
        expect(verified(r, otherSub.secret)).toMatchObject({ ok: false });
      }
      const [queued, , succeeded] = byTime;
      // required attributes (spec.md#required-attributes): id, source, specversion, type; plus subject, time, datacontenttype
      expect(succeeded).toMatchObject({ specversion: '1.0', source: '/kaas', type: 'dev.kaas.operation.succeeded', subject: 'clusters/payments/web', datacontenttype: 'application/json' });
      expect(succeeded!.id).toMatch(/^e[a-z0-9]{12}$/);
      expect(new Date((succeeded as unknown as { time: string }).time).toISOString()).toBe((succeeded as unknown as { time: string }).time);
      expect(succeeded!.data).toMatchObject({ operation: { id: operation.id, kind: 'create', status: 'succeeded', actor: 'alice' }, cluster: { id: cluster.id, name: 'web' }, team: 'payments' });
      expect(queued!.data.operation.status).toBe('queued');
      expect(other.received).toEqual([]);
      const deliveries = await p.caller(lead).webhooks.deliveries({ id: sub.id });
      expect(deliveries.items.map((d) => [d.status, d.attempts, d.responseCode])).toEqual([['succeeded', 1, 200], ['succeeded', 1, 200], ['succeeded', 1, 200]]);
    } finally {
      await receiver.close();
      await other.close();
    }
  });

  it('refuses a replayed delivery: the same signed request, presented after the tolerance', async () => {
    const receiver = await startReceiver();
    try {
      const sub = await p.caller(lead).webhooks.create({ url: receiver.url, types: ['dev.kaas.operation.queued'] });
      await p.caller(alice).clusters.create({ name: 'replay', template: 'sim-dev' });
      const captured = await until('a delivery', () => receiver.received[0]);
      expect(verified(captured, sub.secret)).toMatchObject({ ok: true });
      const later = new Date(Date.now() + 10 * 60_000);
      const replay = verifyWebhookSignature({ secret: sub.secret, body: captured.body, header: captured.headers['kaas-signature'] as string, now: later });
      expect(replay).toMatchObject({ ok: false, reason: expect.stringMatching(/outside the 300 s tolerance/) });
      // a body changed in transit fails too
      expect(verifyWebhookSignature({ secret: sub.secret, body: captured.body.replace('replay', 'replaz'), header: captured.headers['kaas-signature'] as string })).toMatchObject({ ok: false, reason: expect.stringMatching(/does not match/) });
    } finally {
      await receiver.close();
    }
  });

  it('retries a receiver that fails with 500 until it recovers, recording each attempt; the CLI redelivers', async () => {
    const receiver = await startReceiver([500, 500]);
    try {
      const sub = await p.caller(lead).webhooks.create({ url: receiver.url, types: ['dev.kaas.operation.queued'] });
      await p.caller(alice).clusters.create({ name: 'flaky', template: 'sim-dev' });
      const failedOnce = await until('a recorded failed attempt', async () => {
        const [d] = (await p.caller(lead).webhooks.deliveries({ id: sub.id })).items;
        return d && d.attempts >= 1 && d.status === 'retrying' ? d : undefined;
      });
      expect(failedOnce).toMatchObject({ responseCode: 500, lastError: 'receiver answered HTTP 500' });
      expect(failedOnce.nextAttemptAt).not.toBeNull();
      const done = await until('the delivery to succeed', async () => {
        const [d] = (await p.caller(lead).webhooks.deliveries({ id: sub.id })).items;
        return d?.status === 'succeeded' ? d : undefined;
      });
      expect(done).toMatchObject({ attempts: 3, responseCode: 200, lastError: null });
      expect(receiver.received).toHaveLength(3);
      // every attempt carries the same event id (receivers deduplicate on it), each freshly signed
      expect(new Set(events(receiver).map((e) => e.id)).size).toBe(1);
      for (const r of receiver.received) expect(verified(r, sub.secret)).toMatchObject({ ok: true });

      let stdout = '';
      let stderr = '';
      const code = await run(['webhooks', 'redeliver', done.id], { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: { KAAS_CONFIG: '/nonexistent/kaas.json', KAAS_URL: apiUrl, KAAS_TOKEN: lead.token }, stdinIsTTY: false });
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(stdout).toMatch(new RegExp(`delivery ${done.id} \\(dev.kaas.operation.queued\\) queued again after 3 attempt`));
      await until('the redelivery', () => (receiver.received.length >= 4 ? true : undefined));
      expect(events(receiver)[3]!.id).toBe(events(receiver)[0]!.id);
      const after = await until('the redelivery recorded', async () => {
        const [d] = (await p.caller(lead).webhooks.deliveries({ id: sub.id })).items;
        return d?.status === 'succeeded' && d.attempts === 4 ? d : undefined;
      });
      expect(after.responseCode).toBe(200);

      let listOut = '';
      expect(await run(['webhooks', 'deliveries', sub.id], { stdout: (t) => void (listOut += t), stderr: () => {}, env: { KAAS_CONFIG: '/nonexistent/kaas.json', KAAS_URL: apiUrl, KAAS_TOKEN: lead.token }, stdinIsTTY: false })).toBe(0);
      expect(listOut).toMatch(new RegExp(`${done.id}\\s+dev.kaas.operation.queued\\s+succeeded\\s+4\\s+200`));
    } finally {
      await receiver.close();
    }
  });

  it('records a receiver that never recovers as failed after the last attempt', async () => {
    const receiver = await startReceiver([500, 500, 500, 500, 500, 500]);
    try {
      const sub = await p.caller(admin).webhooks.create({ url: receiver.url, types: ['dev.kaas.operation.queued'], team: 'search' });
      const searcher = await p.actor('sue', 'member', (await p.services.db.selectFrom('teams').select('id').where('name', '=', 'search').executeTakeFirstOrThrow()).id);
      await p.caller(searcher).clusters.create({ name: 'doomed', template: 'sim-dev' });
      const failed = await until(
        'the delivery to fail',
        async () => {
          const [d] = (await p.caller(admin).webhooks.deliveries({ id: sub.id })).items;
          return d?.status === 'failed' ? d : undefined;
        },
        60_000,
      );
      expect(failed).toMatchObject({ attempts: 4, responseCode: 500, nextAttemptAt: null, lastError: 'receiver answered HTTP 500' });
    } finally {
      await receiver.close();
    }
  }, 90_000);
});
