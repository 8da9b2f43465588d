/**
 * Real clouds' preflight gets its surge capacity from the target's cloud quota
 * (api/worker/health/cluster-probe-for.ts `withCloudSurge`): the reader of the target's cloud is
 * asked with its account (AWS account / GCP project / Azure subscription) and region, its
 * capacities and warnings join what the Kubernetes API reported, and a target without the account
 * a reader needs is a warning, not a silent pass.
 */
import { describe, expect, it } from 'vitest';
import { withCloudSurge, type SurgeQuotaReaders } from '../api/worker/health/cluster-probe-for.ts';
import type { PreflightFindings } from '../platform/cluster-probe.ts';

const demands = [{ pool: 'general', machineType: 'x', nodes: 2, why: 'maxSurge 2' }];
const base = (): PreflightFindings => ({ deprecatedApis: [], blockingPdbs: [], surge: [] });

describe('withCloudSurge', () => {
  const calls: unknown[][] = [];
  const readers: SurgeQuotaReaders = {
    aws: async (...a) => (calls.push(['aws', ...a]), { surge: [{ pool: 'general', needed: 2, available: 1 }], warnings: [] }),
    gcp: async (...a) => (calls.push(['gcp', ...a]), { surge: [], warnings: [{ check: 'surge-capacity', message: 'denied' }] }),
    azure: async (...a) => (calls.push(['azure', ...a]), { surge: [{ pool: 'general', needed: 2, available: 5 }], warnings: [] }),
  };

  it("asks the target cloud's reader with its account and region and merges the answer", async () => {
    expect((await withCloudSurge(base(), { cloud: 'aws', region: 'eu-west-1', account: '123456789012' }, demands, readers)).surge).toEqual([{ pool: 'general', needed: 2, available: 1 }]);
    expect((await withCloudSurge(base(), { cloud: 'gcp', region: 'europe-west1', account: 'demo-proj' }, demands, readers)).warnings).toEqual([{ check: 'surge-capacity', message: 'denied' }]);
    expect((await withCloudSurge(base(), { cloud: 'azure', region: 'westeurope', account: 'sub-1' }, demands, readers)).surge).toHaveLength(1);
    expect(calls).toEqual([
      ['aws', demands, 'eu-west-1'],
      ['gcp', 'demo-proj', 'europe-west1', demands],
      ['azure', 'sub-1', 'westeurope', demands],
    ]);
  });

  it('a GCP or Azure target without an account is a warning; no demands reads nothing', async () => {
    const f = await withCloudSurge(base(), { cloud: 'gcp', region: 'europe-west1' }, demands, readers);
    expect(f.warnings).toEqual([{ check: 'surge-capacity', message: 'surge capacity of node pool(s) general was not checked: the target names no GCP project (account)' }]);
    calls.length = 0;
    expect(await withCloudSurge(base(), { cloud: 'aws', region: 'eu-west-1' }, [], readers)).toEqual(base());
    expect(calls).toEqual([]);
  });
});
