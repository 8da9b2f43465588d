/**
 * A patch campaign's pin reaches the AKS fields that take a full patch version: the managed
 * cluster's `kubernetesVersion` and each agent pool's `orchestratorVersion`. AKS documents both
 * forms ("Both patch version <major.minor.patch> (e.g. 1.20.13) and <major.minor> (e.g. 1.20) are
 * supported ... Updating the cluster with the same <major.minor> once it has been created (e.g.
 * 1.14.x -> 1.14) will not trigger an upgrade, even if a newer patch version is available":
 * @pulumi/azure-native@3.28.0 containerservice ManagedCluster.kubernetesVersion and
 * ManagedClusterAgentPoolProfile.orchestratorVersion; https://learn.microsoft.com/azure/aks/upgrade-aks-cluster),
 * so only the pinned patch moves an existing cluster to it.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { planPatchUpgrade } from '../../platform/patch-plan.ts';
import { applyUpgradeStep } from '../../platform/upgrade-step.ts';
import { DEFAULT_VERSION_RULES } from '../../platform/version-policy.ts';
import { aksProgram } from '../../stacks/aks/index.ts';
import { identity, standardSpec } from './fixtures.ts';
import { installMocks, runProgram } from './mock-harness.ts';

const mocks = installMocks();
const MC = 'azure-native:containerservice:ManagedCluster';
const POOL = 'azure-native:containerservice:AgentPool';
const run = (spec: ReturnType<typeof standardSpec>) => runProgram(aksProgram(spec, identity, { adminGroupObjectIds: ['group-admins'], dnsResourceGroup: 'dns-rg' }), mocks);

describe('aks program: patch pins (mocks)', () => {
  beforeEach(() => mocks.reset());

  it('without a pin: the minor, AKS picks the patch', async () => {
    await run(standardSpec('azure'));
    expect(mocks.one(MC, 'kaas-c0ffee42').inputs.kubernetesVersion).toBe('1.34');
    expect(mocks.one(MC, 'kaas-c0ffee42').inputs.agentPoolProfiles[0].orchestratorVersion).toBe('1.34');
    expect(mocks.one(POOL, 'batch').inputs.orchestratorVersion).toBe('1.34');
  });

  it('the control-plane step pins the cluster alone; the pool steps pin the system and user pools', async () => {
    const spec = standardSpec('azure');
    const plan = planPatchUpgrade(spec, '1.34.5', DEFAULT_VERSION_RULES);
    const afterControlPlane = applyUpgradeStep(spec, plan.steps[0]!);
    await run(afterControlPlane);
    expect(mocks.one(MC, 'kaas-c0ffee42').inputs.kubernetesVersion).toBe('1.34.5');
    expect(mocks.one(MC, 'kaas-c0ffee42').inputs.agentPoolProfiles[0].orchestratorVersion).toBe('1.34');
    expect(mocks.one(POOL, 'batch').inputs.orchestratorVersion).toBe('1.34');

    mocks.reset();
    await run(plan.steps.reduce(applyUpgradeStep, spec));
    expect(mocks.one(MC, 'kaas-c0ffee42').inputs.kubernetesVersion).toBe('1.34.5');
    expect(mocks.one(MC, 'kaas-c0ffee42').inputs.agentPoolProfiles[0].orchestratorVersion).toBe('1.34.5');
    expect(mocks.one(POOL, 'batch').inputs.orchestratorVersion).toBe('1.34.5');
  });
});
