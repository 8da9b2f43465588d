/**
 * The producers of platform events: an operation's transitions and a drift finding are events,
 * written in the transactions of the changes. Real PostgreSQL, `runOperation` with a fake engine.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { runOperation } from '../api/worker/run-operation.ts';
import { EngineError } from '../stacks/engine/engine-error.ts';
import { FakeEngine } from './support/fake-engine.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

describe('platform event producers', () => {
  let p: TestPlatform;
  let alice: Actor;
  const settings = { retries: 0, backoffMs: 1 };
  const eventsOf = (operationId: string) =>
    p.services.db.selectFrom('platform_events').select(['type', 'subject', 'team_id', 'data']).where(sql<boolean>`data @> ${JSON.stringify({ operation: { id: operationId } })}::jsonb`).orderBy('seq').execute();

  beforeAll(async () => {
    p = await testPlatform();
    alice = await p.actor('alice', 'member', await p.team('payments'));
  });
  afterAll(() => p.close());

  it('publishes queued, running and the outcome of each operation, and drift.detected only when drift is found', async () => {
    const engine = new FakeEngine();
    const { operation: create } = await p.caller(alice).clusters.create({ name: 'web', template: 'sim-dev' });
    await runOperation(p.services, create.id, settings, new AbortController().signal, engine);
    expect((await eventsOf(create.id)).map((e) => e.type)).toEqual(['dev.kaas.operation.queued', 'dev.kaas.operation.running', 'dev.kaas.operation.succeeded']);

    const { operation: clean } = await p.caller(alice).clusters.drift({ name: 'web' });
    await runOperation(p.services, clean.id, settings, new AbortController().signal, engine);
    expect((await eventsOf(clean.id)).map((e) => e.type)).toEqual(['dev.kaas.operation.queued', 'dev.kaas.operation.running', 'dev.kaas.operation.succeeded']);

    engine.drift = [{ resource: 'urn:pulumi:x::kaas::sim:Cluster::web', resourceType: 'sim:Cluster', op: 'update', fields: ['nodeCount'] }];
    const { operation: drifted } = await p.caller(alice).clusters.drift({ name: 'web' });
    await runOperation(p.services, drifted.id, settings, new AbortController().signal, engine);
    const events = await eventsOf(drifted.id);
    expect(events.map((e) => e.type)).toEqual(['dev.kaas.operation.queued', 'dev.kaas.operation.running', 'dev.kaas.operation.succeeded', 'dev.kaas.drift.detected']);
    expect(events[3]).toMatchObject({ subject: 'clusters/payments/web', data: { cluster: { name: 'web' }, team: 'payments', operation: { id: drifted.id, kind: 'refresh' }, resources: [{ resourceType: 'sim:Cluster', fields: ['nodeCount'] }] } });
  });

  it('publishes failed with the error', async () => {
    const engine = new FakeEngine();
    engine.failNext('up', new EngineError('failed', 'sim: quota exceeded'));
    const { operation } = await p.caller(alice).clusters.create({ name: 'broken', template: 'sim-dev' });
    await runOperation(p.services, operation.id, settings, new AbortController().signal, engine);
    const events = await eventsOf(operation.id);
    expect(events.map((e) => e.type)).toEqual(['dev.kaas.operation.queued', 'dev.kaas.operation.running', 'dev.kaas.operation.failed']);
    expect(events[2]!.data).toMatchObject({ operation: { status: 'failed', error: expect.stringMatching(/quota exceeded/) } });
  });
});
