/**
 * The `patch` channel end to end on the sim cloud (API → channel check → campaign runner →
 * worker → engine): the version data gains patch 1.33.5 for the minor a team's cluster runs, the
 * channel proposes it, an admin starts it, and the campaign's upgrade really moves the cluster:
 * the control plane is pinned to 1.33.5, then its node pool, each step health-gated; the sim
 * cloud's documents record the release, and clusters.get and fleet status show it. The channel
 * then proposes nothing more for that release, and a later minor upgrade clears the pin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { startCampaignRunner, type CampaignRunner } from '../api/fleet/campaign-runner.ts';
import { runChannelCheck } from '../api/fleet/channel-check.ts';
import { channelVersionsOn } from '../api/fleet/channel-version-data.ts';
import { startWorker, type Worker } from '../api/worker/worker.ts';
import { pulumiCliMissing, simDocuments } from './support/engine.ts';
import { waitForOperations, waitUntil } from './support/fleet.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

describe.skipIf(pulumiCliMissing)('a patch channel campaign on the sim cloud', () => {
  let p: TestPlatform;
  let admin: Actor;
  let worker: Worker;
  let campaigns: CampaignRunner;
  let clusterId = '';
  const versions = (now: Date) => channelVersionsOn(now, undefined, { sim: { '1.33': '1.33.5' } });
  const docs = () =>
    simDocuments(p.config.simCloudDir)
      .map((d) => d.doc)
      .filter((d) => d.tags['kaas-cluster-id'] === clusterId && d.kind !== 'addon')
      .sort((a, b) => `${a.kind}/${a.name}`.localeCompare(`${b.kind}/${b.name}`));

  beforeAll(async () => {
    p = await testPlatform();
    worker = await startWorker(p.services, p.services.queue, 2, { retries: 0, backoffMs: 100 });
    admin = await p.actor('root', 'platform-admin', null);
    await p.team('pt', { maxClusters: 2 });
    const { cluster, operation } = await p.caller(admin).clusters.create({ team: 'pt', name: 'p33', template: 'sim-dev', set: ['kubernetesVersion=1.33', 'nodeCount=1', 'addons.calico.enabled=false', 'addons.prometheus.enabled=false'] });
    clusterId = cluster.id;
    await waitForOperations(p.services.db, [operation.id], 300_000);
    await p.caller(admin).fleet.setChannel({ scope: 'team', name: 'pt', channel: 'patch' });
    campaigns = startCampaignRunner(p.services, { intervalMs: 100 });
  }, 320_000);

  afterAll(async () => {
    await campaigns?.stop();
    await worker?.stop();
    await p?.close();
  });

  it('proposes the patch, and starting it moves the control plane, then the pool, to 1.33.5', async () => {
    expect(docs().map((d) => d.properties.kubernetesPatch)).toEqual([undefined, undefined, undefined]);
    const checked = await runChannelCheck(p.services, new Date(), { versions: versions(new Date()) });
    expect(checked.proposed.map((r) => `${r.channel} ${r.target_release} minor=${r.minor_upgrade}`)).toEqual(['patch 1.33.5 minor=false']);
    const { campaign } = await p.caller(admin).fleet.startProposal({ id: checked.proposed[0]!.id });
    expect(campaign).toMatchObject({ kind: 'upgrade', target: '1.33.5' });

    const status = () => p.caller(admin).fleet.status({ id: campaign!.id });
    const done = await waitUntil(status, (s) => s.campaign.status !== 'running', 'the patch campaign', 300_000);
    expect(done.campaign.status).toBe('completed');
    const row = done.clusters[0]!;
    expect(row).toMatchObject({ name: 'p33', status: 'succeeded', kubernetesVersion: '1.33', kubernetesPatch: '1.33.5', step: '3/3 done' });
    // a control-plane step, then a roll of each pool (general, batch), each health-gated
    expect(row.gates.map((g) => [g.afterStep, g.passed])).toEqual([[0, true], [1, true], [2, true]]);
    const op = await p.services.db.selectFrom('operations').select(['kind', 'status', 'input']).where('id', '=', row.operationId!).executeTakeFirstOrThrow();
    expect(op).toMatchObject({ kind: 'upgrade', status: 'succeeded', input: { toVersion: '1.33', toRelease: '1.33.5' } });

    const { cluster } = await p.caller(admin).clusters.get({ team: 'pt', name: 'p33' });
    expect(cluster).toMatchObject({ kubernetesVersion: '1.33', kubernetesPatch: '1.33.5', status: 'ready' });
    expect(cluster.spec.nodePools.map((np) => np.kubernetesPatch)).toEqual(['1.33.5', '1.33.5']);
    expect(cluster.outputs).toMatchObject({ kubernetesVersion: '1.33', kubernetesPatch: '1.33.5' });
    // the sim cloud recorded the release on the control plane and the pool; the minor is unchanged
    expect(docs().map((d) => [d.kind, d.properties.kubernetesVersion, d.properties.kubernetesPatch])).toEqual([
      ['cluster', '1.33', '1.33.5'],
      ['nodepool', '1.33', '1.33.5'],
      ['nodepool', '1.33', '1.33.5'],
    ]);
    // pinned at the release: nothing more to propose for it
    expect((await runChannelCheck(p.services, new Date(), { versions: versions(new Date()) })).proposed).toEqual([]);
  }, 400_000);

  it('a later minor upgrade clears the pin', async () => {
    const { operation } = await p.caller(admin).clusters.upgrade({ team: 'pt', name: 'p33', to: '1.34' });
    await waitForOperations(p.services.db, [operation!.id], 300_000);
    const { cluster } = await p.caller(admin).clusters.get({ team: 'pt', name: 'p33' });
    expect(cluster).toMatchObject({ kubernetesVersion: '1.34', kubernetesPatch: null, status: 'ready' });
    expect(cluster.spec.nodePools.map((np) => np.kubernetesPatch)).toEqual([undefined, undefined]);
    expect(docs().map((d) => [d.kind, d.properties.kubernetesVersion, d.properties.kubernetesPatch])).toEqual([
      ['cluster', '1.34', undefined],
      ['nodepool', '1.34', undefined],
      ['nodepool', '1.34', undefined],
    ]);
  }, 400_000);
});
