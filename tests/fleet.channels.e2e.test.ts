/**
 * Done-when of issue 12 item 5, end to end on the sim cloud (API → channel runner → campaign
 * runner → worker → engine), both runners on one injected clock: a team on the `stable` channel
 * with auto-start gets a proposal for N-1 (the sim calendar supports 1.29–1.34: 1.33), which
 * starts by itself, and its campaign waits for the cluster's Saturday maintenance window; when the
 * clock enters the window the cluster is upgraded to 1.33.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { startCampaignRunner, type CampaignRunner } from '../api/fleet/campaign-runner.ts';
import { startChannelRunner } from '../api/fleet/channel-runner.ts';
import { startWorker, type Worker } from '../api/worker/worker.ts';
import { pulumiCliMissing, simDocuments } from './support/engine.ts';
import { waitForOperations, waitUntil } from './support/fleet.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

describe.skipIf(pulumiCliMissing)('an auto-upgrade channel on the sim cloud', () => {
  let p: TestPlatform;
  let admin: Actor;
  let worker: Worker;
  let campaigns: CampaignRunner;
  let stopChannels: () => Promise<void> = async () => {};
  let clusterId = '';
  let now = new Date('2027-01-13T10:00:00Z'); // a Wednesday
  const clock = () => now;

  beforeAll(async () => {
    p = await testPlatform();
    worker = await startWorker(p.services, p.services.queue, 2, { retries: 0, backoffMs: 100 });
    admin = await p.actor('root', 'platform-admin', null);
    await p.team('auto', { maxClusters: 2 });
    const { cluster, operation } = await p.caller(admin).clusters.create({ team: 'auto', name: 'w32', template: 'sim-dev', set: ['kubernetesVersion=1.32', 'nodeCount=1', 'addons.calico.enabled=false', 'addons.prometheus.enabled=false'] });
    clusterId = cluster.id;
    await waitForOperations(p.services.db, [operation.id], 300_000);
    await p.caller(admin).fleet.setMaintenanceWindow({ team: 'auto', name: 'w32', window: { days: ['sat'], startUtc: '02:00', durationMinutes: 240 } });
    await p.caller(admin).fleet.setChannel({ scope: 'team', name: 'auto', channel: 'stable', autoStart: true });
    campaigns = startCampaignRunner(p.services, { intervalMs: 100, clock });
    stopChannels = startChannelRunner(p.services, { intervalMs: 100, clock });
  }, 320_000);

  afterAll(async () => {
    await stopChannels();
    await campaigns?.stop();
    await worker?.stop();
    await p?.close();
  });

  it('proposes N-1, starts it by itself, waits for the window, then upgrades', async () => {
    const [proposal] = await waitUntil(async () => (await p.caller(admin).fleet.proposals({})).items, (items) => items[0]?.status === 'started', 'the auto-started proposal', 60_000);
    expect(proposal).toMatchObject({ scope: 'team', name: 'auto', channel: 'stable', release: '1.33', clusters: ['w32'], decidedBy: 'system:upgrade-channels' });
    const status = () => p.caller(admin).fleet.status({ id: proposal!.campaign! });
    const waiting = await waitUntil(status, (s) => s.clusters[0]?.status === 'waiting_window', 'the window wait', 60_000);
    expect(waiting.clusters[0]!.reason).toMatch(/^waiting for its maintenance window \(sat 02:00 UTC for 240 min\)/);
    expect((await p.services.db.selectFrom('operations').select('id').where('cluster_id', '=', clusterId).where('kind', '=', 'upgrade').execute())).toEqual([]);

    now = new Date('2027-01-16T02:30:00Z'); // Saturday, inside the window
    const done = await waitUntil(status, (s) => s.campaign.status === 'completed', 'the upgrade', 300_000);
    expect(done.clusters[0]).toMatchObject({ name: 'w32', status: 'succeeded', kubernetesVersion: '1.33' });
    const docs = simDocuments(p.config.simCloudDir).map((d) => d.doc).filter((d) => d.tags['kaas-cluster-id'] === clusterId && d.kind !== 'addon');
    expect(docs.map((d) => d.properties.kubernetesVersion)).toEqual(['1.33', '1.33', '1.33']);
    // at N-1 now: the channel proposes nothing more
    expect((await p.caller(admin).fleet.proposals({})).items).toHaveLength(1);
  }, 400_000);
});
