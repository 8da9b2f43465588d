/**
 * A patch campaign's pin reaches the GKE fields that take an exact version: the cluster's
 * `minMasterVersion` and each node pool's `version`, in GKE's form `1.33.5-gke.1080000`
 * (https://cloud.google.com/kubernetes-engine/versioning; @pulumi/gcp@9.37.0 container Cluster
 * `minMasterVersion` ("the docs describe the various acceptable formats") and NodePool `version`
 * ("it's recommended that you specify explicit versions")). Without a pin the programs keep the
 * newest patch of the minor (getEngineVersions, mocked as `<minor>.5-gke.1000`).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { planPatchUpgrade } from '../../platform/patch-plan.ts';
import { applyUpgradeStep } from '../../platform/upgrade-step.ts';
import { DEFAULT_VERSION_RULES } from '../../platform/version-policy.ts';
import { gkeProgram } from '../../stacks/gke/index.ts';
import { identity, standardSpec } from './fixtures.ts';
import { installMocks, runProgram } from './mock-harness.ts';

const mocks = installMocks();
const CLUSTER = 'gcp:container/cluster:Cluster';
const POOL = 'gcp:container/nodePool:NodePool';
const RELEASE = '1.34.7-gke.1080000';

describe('gke program: patch pins (mocks)', () => {
  beforeEach(() => mocks.reset());

  it('the control-plane step pins minMasterVersion alone; the pool steps pin every pool version', async () => {
    const spec = standardSpec('gcp');
    const plan = planPatchUpgrade(spec, RELEASE, DEFAULT_VERSION_RULES);
    expect(plan.steps.length).toBe(1 + spec.nodePools.length);
    await runProgram(gkeProgram(applyUpgradeStep(spec, plan.steps[0]!), identity), mocks);
    expect(mocks.one(CLUSTER, 'kaas-c0ffee42').inputs.minMasterVersion).toBe(RELEASE);
    expect(mocks.ofType(POOL).map((p) => p.inputs.version)).toEqual(spec.nodePools.map(() => '1.34.5-gke.1000'));

    mocks.reset();
    await runProgram(gkeProgram(plan.steps.reduce(applyUpgradeStep, spec), identity), mocks);
    expect(mocks.one(CLUSTER, 'kaas-c0ffee42').inputs.minMasterVersion).toBe(RELEASE);
    expect(mocks.ofType(POOL).map((p) => p.inputs.version)).toEqual(spec.nodePools.map(() => RELEASE));
  });
});
