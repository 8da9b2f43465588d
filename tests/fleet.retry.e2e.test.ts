/**
 * `fleet.retry` end to end on the sim cloud (API → campaign runner → worker → engine): a cluster
 * whose preflight finds a deprecated API in use for its next minor is `blocked` and the campaign
 * completes without it; once the fault is cleared (sim faults.json), retrying it runs preflight
 * again and the upgrade proceeds to the target. Retrying while the blocker is still there blocks
 * it again with the reason.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { startCampaignRunner, type CampaignRunner } from '../api/fleet/campaign-runner.ts';
import { startWorker, type Worker } from '../api/worker/worker.ts';
import { expectTrpcError } from './support/errors.ts';
import { pulumiCliMissing } from './support/engine.ts';
import { waitForOperations, waitUntil } from './support/fleet.ts';
import { gatedSimTemplate } from './support/gated-template.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

describe.skipIf(pulumiCliMissing)('retrying a blocked campaign cluster on the sim cloud', () => {
  let p: TestPlatform;
  let admin: Actor;
  let worker: Worker;
  let runner: CampaignRunner;
  let clusterId = '';
  const faults = (doc: unknown) => fs.writeFileSync(path.join(p.config.simCloudDir, 'faults.json'), JSON.stringify(doc));
  const status = () => p.caller(admin).fleet.status({ id: 'retry-134' });
  const finished = (x: Awaited<ReturnType<typeof status>>) => x.campaign.status === 'completed' && x.campaign.counts.upgrading === 0 && x.campaign.counts.pending === 0;

  beforeAll(async () => {
    p = await testPlatform();
    worker = await startWorker(p.services, p.services.queue, 2, { retries: 0, backoffMs: 100 });
    admin = await p.actor('root', 'platform-admin', null);
    await p.caller(admin).templates.publish({ yaml: gatedSimTemplate('sim-gated', 4) });
    await p.team('retry', { maxClusters: 2 });
    const { cluster, operation } = await p.caller(admin).clusters.create({ team: 'retry', name: 'r33', template: 'sim-gated', set: ['kubernetesVersion=1.33', 'nodeCount=1', 'addons.prometheus.enabled=false'] });
    clusterId = cluster.id;
    await waitForOperations(p.services.db, [operation.id], 300_000);
    runner = startCampaignRunner(p.services, { intervalMs: 100 });
  }, 320_000);

  afterAll(async () => {
    await runner?.stop();
    await worker?.stop();
    await p?.close();
  });

  it('blocks, stays blocked on a retry while the fault is there, and upgrades on a retry after it is cleared', async () => {
    faults({ preflight: [{ clusterId, deprecatedApis: [{ group: 'autoscaling', version: 'v2beta2', resource: 'horizontalpodautoscalers', removedRelease: '1.34' }] }] });
    await expectTrpcError(p.caller(admin).fleet.retry({ id: 'no-such-campaign' }), 'NOT_FOUND');
    await p.caller(admin).fleet.start({ name: 'retry-134', targetVersion: '1.34', selector: { team: 'retry' }, waves: { canary: 0, percentages: [100] } });
    let s = await waitUntil(status, finished, 'the campaign to complete with r33 blocked', 300_000);
    expect(s.clusters[0]).toMatchObject({ name: 'r33', status: 'blocked', kubernetesVersion: '1.33', reason: expect.stringMatching(/^blocked before the hop to 1\.34: deprecated-api: autoscaling\/v2beta2/) });
    const firstOp = s.clusters[0]!.operationId;

    // the blocker is still there: preflight runs again and blocks again
    await expect(p.caller(admin).fleet.retry({ id: 'retry-134', cluster: 'r33' })).resolves.toMatchObject({ retried: ['r33'], campaign: { status: 'running' } });
    s = await waitUntil(status, (x) => finished(x) && x.clusters[0]!.operationId !== firstOp, 'the second preflight', 300_000);
    expect(s.clusters[0]).toMatchObject({ status: 'blocked', kubernetesVersion: '1.33' });

    faults({});
    await expectTrpcError(p.caller(admin).fleet.retry({ id: 'retry-134', cluster: 'other' }), 'PRECONDITION_FAILED', /"other" is not blocked/);
    await p.caller(admin).fleet.retry({ id: 'retry-134' });
    s = await waitUntil(status, (x) => finished(x) && x.clusters[0]!.status !== 'blocked', 'the upgrade after the retry', 300_000);
    expect(s.clusters[0]).toMatchObject({ name: 'r33', status: 'succeeded', kubernetesVersion: '1.34' });
    expect(s.clusters[0]!.attempts).toBe(3);
    await expectTrpcError(p.caller(admin).fleet.retry({ id: 'retry-134' }), 'PRECONDITION_FAILED', /has no blocked cluster/);
  }, 900_000);
});
