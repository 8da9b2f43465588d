/**
 * Webhook subscriptions: who may register which scope, and the SSRF refusals — at creation
 * (http, loopback, link-local metadata address, a name resolving to loopback, off the allow-list)
 * and at delivery time (a name that resolves to an internal address by then). Real PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { createContextInner } from '../api/context.ts';
import { loadConfig } from '../api/config.ts';
import { appRouter } from '../api/routers/app-router.ts';
import { createCallerFactory } from '../api/trpc.ts';
import { deliverOnce } from '../api/webhooks/deliver.ts';
import { dispatchEvents } from '../api/webhooks/dispatch-events.ts';
import { publishEvent } from '../api/events/publish-event.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

describe('webhook subscriptions', () => {
  let p: TestPlatform;
  let admin: Actor;
  let lead: Actor;
  let member: Actor;
  let paymentsId: string;

  beforeAll(async () => {
    p = await testPlatform();
    paymentsId = await p.team('payments');
    await p.team('search');
    admin = await p.actor('root', 'platform-admin', null);
    lead = await p.actor('lena', 'team-admin', paymentsId);
    member = await p.actor('alice', 'member', paymentsId);
  });
  afterAll(() => p.close());

  /** A caller on the same database with other webhook settings. */
  function callerWith(env: Record<string, string>, actor: Actor) {
    const config = loadConfig({ KAAS_HOME: p.home, PORT: '0', KAAS_LOG_LEVEL: 'silent', DATABASE_URL: 'postgres://unused', ...env });
    return createCallerFactory(appRouter)(createContextInner({ services: { ...p.services, config: { ...p.services.config, webhooks: config.webhooks } }, actor }));
  }

  const refusal = (call: Promise<unknown>) => call.then(() => expect.fail('expected a refusal'), (err: { code: string; message: string; cause?: { hint?: string } }) => err);

  it('lets a team admin register only their own team\'s subscriptions; members none', async () => {
    const created = await p.caller(lead).webhooks.create({ url: 'https://hooks.example.com/kaas', types: ['dev.kaas.operation.*'] });
    expect(created).toMatchObject({ team: 'payments', url: 'https://hooks.example.com/kaas', types: ['dev.kaas.operation.*'] });
    expect(created.secret).toMatch(/^whsec_/);
    const listed = await p.caller(lead).webhooks.list();
    expect(listed.items.map((s) => s.id)).toContain(created.id);
    // the secret is shown once: never listed again
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    expect(await refusal(p.caller(lead).webhooks.create({ url: 'https://hooks.example.com/x', types: ['*'], team: 'search' }))).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/cannot act for team "search"/) });
    expect(await refusal(p.caller(lead).webhooks.create({ url: 'https://hooks.example.com/x', types: ['*'], platformWide: true }))).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/only platform admins can register platform-wide/) });
    expect(await refusal(p.caller(member).webhooks.create({ url: 'https://hooks.example.com/x', types: ['*'] }))).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/team-admin role/) });
    const wide = await p.caller(admin).webhooks.create({ url: 'https://hooks.example.com/all', types: ['*'], platformWide: true });
    expect(wide.team).toBeNull();
    // another team's admin sees and deletes nothing of payments
    const searchLead = await p.actor('sam', 'team-admin', (await p.services.db.selectFrom('teams').select('id').where('name', '=', 'search').executeTakeFirstOrThrow()).id);
    expect((await p.caller(searchLead).webhooks.list()).items).toEqual([]);
    expect(await refusal(p.caller(searchLead).webhooks.delete({ id: created.id }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await refusal(p.caller(searchLead).webhooks.delete({ id: wide.id }))).toMatchObject({ code: 'NOT_FOUND' });
    await expect(p.caller(lead).webhooks.delete({ id: created.id })).resolves.toMatchObject({ deleted: true });
  });

  it('a delivery whose secret cannot be decrypted (the worker lacks the key) is recorded with the setting to fix, and retried', async () => {
    const keyed = callerWith({ KAAS_WEBHOOK_SECRET_KEY: Buffer.alloc(32, 9).toString('base64') }, lead);
    const sub = await keyed.webhooks.create({ url: 'https://93.184.215.14/keyed', types: ['dev.kaas.cluster.ttl-warning'] });
    await publishEvent(p.services.db, { type: 'dev.kaas.cluster.ttl-warning', subject: 'clusters/payments/old', teamId: paymentsId, data: {} });
    await dispatchEvents(p.services.db, p.services.queue.boss, new Date(Date.now() + 60_000));
    const [delivery] = (await p.caller(lead).webhooks.deliveries({ id: sub.id })).items;
    // p.services has no key: this worker cannot open the secret, and must not send anything
    await deliverOnce(p.services, delivery!.id, { resolve: async () => expect.fail('nothing may be sent'), now: () => new Date() });
    const [after] = (await p.caller(lead).webhooks.deliveries({ id: sub.id })).items;
    expect(after).toMatchObject({ status: 'retrying', attempts: 1, lastError: expect.stringMatching(/KAAS_WEBHOOK_SECRET_KEY is not set on this worker/) });
  });

  it('refuses unknown event types, naming them', async () => {
    expect(await refusal(p.caller(lead).webhooks.create({ url: 'https://hooks.example.com/x', types: ['dev.kaas.operation.exploded', 'dev.kaas.nothing.*'] }))).toMatchObject({
      code: 'BAD_REQUEST',
      message: expect.stringMatching(/unknown event types: dev.kaas.operation.exploded, dev.kaas.nothing.\*/),
    });
  });

  it('refuses internal receivers at creation, naming the problem and the fix', async () => {
    const http = callerWith({ KAAS_WEBHOOK_ALLOW_HTTP: 'true' }, lead);
    expect(await refusal(p.caller(lead).webhooks.create({ url: 'http://127.0.0.1:8080/hook', types: ['*'] }))).toMatchObject({ message: expect.stringMatching(/uses plain http; webhook receivers must use https/) });
    expect(await refusal(http.webhooks.create({ url: 'http://127.0.0.1:8080/hook', types: ['*'] }))).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/127\.0\.0\.1 is a loopback address/) });
    expect(await refusal(p.caller(lead).webhooks.create({ url: 'https://169.254.169.254/latest/meta-data/', types: ['*'] }))).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/169\.254\.169\.254 is a link-local \(cloud metadata\) address/) });
    expect(await refusal(p.caller(lead).webhooks.create({ url: 'https://[::1]/hook', types: ['*'] }))).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/loopback/) });
    expect(await refusal(p.caller(lead).webhooks.create({ url: 'https://10.1.2.3/hook', types: ['*'] }))).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/private or reserved/) });
    // a name that resolves to loopback (localhost, from /etc/hosts)
    const named = await refusal(p.caller(lead).webhooks.create({ url: 'https://localhost/hook', types: ['*'] }));
    expect(named).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/localhost resolves to (127\.0\.0\.1 is a loopback|::1 is a loopback)/) });
    expect(named.message).toMatch(/KAAS_WEBHOOK_ALLOWED_HOSTS/);
    // with an allow-list, a host off it is refused
    const listed = callerWith({ KAAS_WEBHOOK_ALLOWED_HOSTS: '*.corp.example' }, lead);
    expect(await refusal(listed.webhooks.create({ url: 'https://hooks.example.com/x', types: ['*'] }))).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/not on the platform's webhook allow-list \(\*\.corp\.example\)/) });
    await expect(listed.webhooks.create({ url: 'https://ci.corp.example/x', types: ['*'] })).resolves.toMatchObject({ url: 'https://ci.corp.example/x' });
    expect(await refusal(p.caller(lead).webhooks.create({ url: 'https://user:pw@hooks.example.com/x', types: ['*'] }))).toMatchObject({ message: expect.stringMatching(/credentials in the URL/) });
  });

  it('refuses at delivery time a name that now resolves to an internal address (DNS rebinding), recording why', async () => {
    const sub = await p.caller(lead).webhooks.create({ url: 'https://rebind.example.com/hook', types: ['dev.kaas.cluster.expired'] });
    await publishEvent(p.services.db, { type: 'dev.kaas.cluster.expired', subject: 'clusters/payments/old', teamId: paymentsId, data: {} });
    // the next seq after the cursor: dispatched at once, no gap to wait out
    expect(await dispatchEvents(p.services.db, p.services.queue.boss)).toBeGreaterThanOrEqual(1);
    const [delivery] = (await p.caller(lead).webhooks.deliveries({ id: sub.id })).items;
    expect(delivery).toMatchObject({ status: 'pending', attempts: 0 });
    await deliverOnce(p.services, delivery!.id, { resolve: async () => [{ address: '169.254.169.254', family: 4 }], now: () => new Date() });
    const [after] = (await p.caller(lead).webhooks.deliveries({ id: sub.id })).items;
    expect(after).toMatchObject({ status: 'retrying', attempts: 1, responseCode: null, lastError: expect.stringMatching(/rebind\.example\.com resolves to 169\.254\.169\.254 is a link-local/) });
  });
});
