import { describe, expect, it } from 'vitest';
import { validSpec } from '../tests/fixtures/cluster-spec.ts';
import { planUpgrade } from './upgrade-plan.ts';
import { preflightBlockers, preflightPoints } from './upgrade-preflight.ts';
import { DEFAULT_VERSION_RULES } from './version-policy.ts';

const none = { deprecatedApis: [], blockingPdbs: [], surge: [] };

describe('preflightPoints', () => {
  it('runs before each hop and before the final pool rolls', () => {
    const spec = validSpec({ kubernetesVersion: '1.31' });
    spec.nodePools.push({ ...spec.nodePools[0]!, name: 'batch' });
    expect(preflightPoints(planUpgrade(spec, '1.34', DEFAULT_VERSION_RULES))).toEqual([
      { stepIndex: 0, nextMinor: '1.32', pools: [] },
      { stepIndex: 1, nextMinor: '1.33', pools: [] },
      { stepIndex: 2, nextMinor: '1.34', pools: [] },
      { stepIndex: 3, nextMinor: '1.34', pools: ['general', 'batch'] },
    ]);
  });

  it('puts forced rolls in the hop they make possible (gcp, skew 2)', () => {
    const spec = validSpec({ kubernetesVersion: '1.32' });
    spec.target.cloud = 'gcp';
    spec.nodePools[0]!.kubernetesVersion = '1.31';
    expect(preflightPoints(planUpgrade(spec, '1.34', DEFAULT_VERSION_RULES))).toEqual([
      { stepIndex: 0, nextMinor: '1.33', pools: [] },
      { stepIndex: 1, nextMinor: '1.34', pools: ['general'] },
      { stepIndex: 3, nextMinor: '1.34', pools: ['general'] },
    ]);
  });
});

describe('preflightBlockers', () => {
  const api = { group: 'flowcontrol.apiserver.k8s.io', version: 'v1beta3', resource: 'flowschemas', source: 'apiserver_requested_deprecated_apis' };

  it('blocks a hop to the minor that removes an API still in use, not earlier hops', () => {
    const findings = { ...none, deprecatedApis: [{ ...api, removedRelease: '1.32' }] };
    expect(preflightBlockers(findings, { nextMinor: '1.31', pools: [] })).toEqual([]);
    expect(preflightBlockers(findings, { nextMinor: '1.32', pools: [] })).toEqual([
      { check: 'deprecated-api', message: 'flowcontrol.apiserver.k8s.io/v1beta3 flowschemas is still requested and removed in 1.32 (apiserver_requested_deprecated_apis); move its clients to the replacement API first' },
    ]);
  });

  it('checks PDBs and surge capacity only when the hop drains pools', () => {
    const findings = { ...none, blockingPdbs: [{ namespace: 'shop', name: 'db', disruptionsAllowed: 0 }], surge: [{ pool: 'general', needed: 1, available: 0 }, { pool: 'batch', needed: 1, available: 0 }] };
    expect(preflightBlockers(findings, { nextMinor: '1.33', pools: [] })).toEqual([]);
    expect(preflightBlockers(findings, { nextMinor: '1.33', pools: ['general'] }).map((b) => b.check)).toEqual(['pod-disruption-budget', 'surge-capacity']);
  });
});
