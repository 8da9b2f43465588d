/**
 * `clusters update` and `clusters plan` after an upgrade, on the sim cloud: the running Kubernetes
 * versions are kept (no silent downgrade to the template's version), a version named with --set
 * is refused with a hint naming `clusters upgrade`, and plan shows each changed field's values.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { startWorker, type Worker } from '../api/worker/worker.ts';
import { pulumiCliMissing, simDocuments } from './support/engine.ts';
import { expectTrpcError } from './support/errors.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';
import { waitForOperation } from './support/wait.ts';

const SMALL = ['nodeCount=1', 'addons.prometheus.enabled=false'];

describe.skipIf(pulumiCliMissing)('update and plan keep the running Kubernetes versions', () => {
  let p: TestPlatform;
  let worker: Worker;
  let alice: Actor;
  const cluster = (name: string) => p.services.db.selectFrom('clusters').selectAll().where('name', '=', name).orderBy('created_at', 'desc').executeTakeFirstOrThrow();
  const cloudVersions = async (name: string) => {
    const row = await cluster(name);
    return Object.fromEntries(simDocuments(p.config.simCloudDir).map((d) => d.doc).filter((d) => d.tags['kaas-cluster-id'] === row.id && d.kind !== 'addon').map((d) => [d.name, d.properties.kubernetesVersion]));
  };
  const succeeded = async (id: string) => expect((await waitForOperation(p.services.db, id)).status).toBe('succeeded');

  beforeAll(async () => {
    p = await testPlatform();
    worker = await startWorker(p.services, p.services.queue, 2, { retries: 0, backoffMs: 100 });
    alice = await p.actor('alice', 'member', await p.team('payments'));
    // web: the template's 1.33 (no version override), upgraded to 1.34; old: created at 1.29
    const [web, old] = await Promise.all([p.caller(alice).clusters.create({ name: 'web', template: 'sim-dev', set: SMALL }), p.caller(alice).clusters.create({ name: 'old', template: 'sim-dev', set: [...SMALL, 'kubernetesVersion=1.29'] })]);
    await succeeded(web.operation.id);
    await succeeded(old.operation.id);
    const { operation } = await p.caller(alice).clusters.upgrade({ name: 'web', to: '1.34' });
    await succeeded(operation!.id);
    expect(await cloudVersions('web')).toEqual({ web: '1.34', general: '1.34', batch: '1.34' });
  });
  afterAll(async () => {
    await worker?.stop();
    await p?.close();
  });

  it.each([
    ['a pool resize', ['nodePools.general.desiredSize=2']],
    ['deletionProtection=true', ['deletionProtection=true']],
  ])('keeps 1.34 on the control plane and every pool through %s', async (_name, set) => {
    const { operation } = await p.caller(alice).clusters.update({ name: 'web', set });
    expect((operation.input as { spec: { kubernetesVersion: string } }).spec.kubernetesVersion).toBe('1.34');
    await succeeded(operation.id);
    expect(await cloudVersions('web')).toEqual({ web: '1.34', general: '1.34', batch: '1.34' });
    expect((await cluster('web')).kubernetes_version).toBe('1.34');
  });

  it('plan keeps the versions and shows the values of each changed field', async () => {
    const { operation, specChanges } = await p.caller(alice).clusters.plan({ name: 'web', set: ['nodePools.general.desiredSize=3'] });
    expect(specChanges).toEqual([{ path: 'nodePools.general.desiredSize', from: 2, to: 3 }]);
    expect((operation.input as { spec: { kubernetesVersion: string } }).spec.kubernetesVersion).toBe('1.34');
    await succeeded(operation.id);
  });

  it.each(['update', 'plan'] as const)('%s refuses a downgrade named with --set, hints `clusters upgrade`, and starts nothing', async (verb) => {
    const row = await cluster('web');
    const before = (await p.services.db.selectFrom('operations').select('id').where('cluster_id', '=', row.id).execute()).length;
    const err = await expectTrpcError(p.caller(alice).clusters[verb]({ name: 'web', set: ['kubernetesVersion=1.33'] }), 'PRECONDITION_FAILED', /kubernetesVersion 1\.34 → 1\.33.*downgrades are not supported/);
    expect((err.cause as { hint?: string } | undefined)?.hint).toMatch(/kaas clusters upgrade web --to 1\.33/);
    expect((await p.services.db.selectFrom('operations').select('id').where('cluster_id', '=', row.id).execute()).length).toBe(before);
  });

  it('refuses a five-minor jump on update: 1.29 → 1.34 goes through the upgrade planner', async () => {
    await expectTrpcError(p.caller(alice).clusters.update({ name: 'old', set: ['kubernetesVersion=1.34'] }), 'PRECONDITION_FAILED', /kubernetesVersion 1\.29 → 1\.34/);
    expect((await cluster('old')).kubernetes_version).toBe('1.29');
  });
});
