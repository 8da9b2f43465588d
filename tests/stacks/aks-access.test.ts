/**
 * AKS API-server access and identity settings, asserted against Microsoft's documentation.
 * Citations re-read (issue 9, Task C); azure-native type docs are node_modules/@pulumi/azure-native@3.28.0.
 * Run alone: Pulumi mocks are global per process.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { installMocks, runProgram } from './mock-harness.ts';
import { identity, standardSpec } from './fixtures.ts';
import { aksProgram } from '../../stacks/aks/index.ts';
import { aksPoolName } from '../../stacks/aks/agent-pool.ts';
import { DomainError } from '../../platform/errors.ts';

const mocks = installMocks();
const MC = 'azure-native:containerservice:ManagedCluster';

describe('aks API server access', () => {
  beforeEach(() => mocks.reset());

  // https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges : for
  // --api-server-authorized-ip-ranges, specifying "" or no value disables API server authorized IP
  // ranges — an empty list means the public API server accepts every address, the opposite of an
  // empty authorizedCidrs on EKS (no public access) and GKE (no authorised network). Such a spec is
  // refused (platform/cloud-spec-rules.ts, also at clusters.create: tests/clusters.aks-api-access.test.ts).
  it('refuses a public endpoint with no authorised CIDRs before any resource exists', async () => {
    const spec = standardSpec('azure');
    spec.networking.authorizedCidrs = [];
    let err: unknown;
    try {
      aksProgram(spec, identity, { adminGroupObjectIds: ['g'] });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).message).toMatch(/networking\.authorizedCidrs/);
    expect((err as DomainError).hint).toMatch(/privateEndpoint/);
    await new Promise((r) => setTimeout(r, 20));
    expect(mocks.ofType(MC)).toHaveLength(0);
  });

  // azure-native ManagedClusterArgs.disableLocalAccounts: "If set to true, getting static
  // credentials will be disabled for this cluster. This must only be used on Managed Clusters that
  // are AAD enabled"; ManagedClusterAADProfile.adminGroupObjectIDs: "The list of AAD group object
  // IDs that will have admin role of the cluster". With no group, nobody can administer it.
  it('refuses an empty adminGroupObjectIds (local accounts are disabled)', () => {
    expect(() => aksProgram(standardSpec('azure'), identity, {})).toThrow(/adminGroupObjectIds/);
  });

  // https://azure.github.io/kubelogin/concepts/login-modes.html lists nine login modes: Device Code,
  // Azure CLI, Azure Developer CLI, Azure Pipelines (`--login azurepipelines`), Web Browser
  // Interactive, Service Principal, Managed Service Identity, Workload Identity, ROPC. The worker
  // normally runs with a managed or workload identity, not an `az login` session, so the mode
  // comes from the target. `--server-id` is the fixed "Azure Kubernetes Service AAD Server"
  // application (https://azure.github.io/kubelogin/concepts/aks.html).
  it('writes the target’s kubelogin login mode into the exec kubeconfig', async () => {
    const out = await runProgram(aksProgram(standardSpec('azure'), identity, { adminGroupObjectIds: ['g'], kubeloginMode: 'workloadidentity' }), mocks);
    const kubeconfig = JSON.parse(await (out.kubeconfig as any).promise());
    const args: string[] = kubeconfig.users[0].user.exec.args;
    expect(args[args.indexOf('--login') + 1]).toBe('workloadidentity');
  });

  it('accepts every documented login mode, azurepipelines included', async () => {
    const { KUBELOGIN_MODES } = await import('../../platform/target-settings.ts');
    expect([...KUBELOGIN_MODES].sort()).toEqual(['azd', 'azurecli', 'azurepipelines', 'devicecode', 'interactive', 'msi', 'ropc', 'spn', 'workloadidentity']);
    expect(() => aksProgram(standardSpec('azure'), identity, { adminGroupObjectIds: ['g'], kubeloginMode: 'azurepipelines' as any })).not.toThrow();
  });

  it('refuses an unknown kubelogin login mode', () => {
    expect(() => aksProgram(standardSpec('azure'), identity, { adminGroupObjectIds: ['g'], kubeloginMode: 'password' as any })).toThrow(/kubeloginMode/);
  });
});

describe('aks pool names', () => {
  // https://learn.microsoft.com/azure/aks/use-system-pools#limitations (quoted in Azure/AKS-Construction
  // PR #465): "For Linux node pools, the length must be between 1 and 12 characters"; lowercase
  // letters and numbers, not starting with a number (PSRule.Rules.Azure Azure.AKS.SystemPoolNaming,
  // which restates the AKS rule). Names must be unique per cluster.
  it('gives pools whose names collide after truncation distinct valid names', () => {
    const a = aksPoolName('analytics-batch-a');
    const b = aksPoolName('analytics-batch-b');
    expect(a).not.toBe(b);
    for (const n of [a, b, aksPoolName('9lives')]) expect(n).toMatch(/^[a-z][a-z0-9]{0,11}$/);
    expect(aksPoolName('system')).toBe('system'); // short valid names are kept
  });

  it('refuses a spec whose pools still map to one AKS name', () => {
    const spec = standardSpec('azure');
    spec.nodePools[1] = { ...spec.nodePools[1]!, name: 'sys-tem' };
    expect(() => aksProgram(spec, identity, { adminGroupObjectIds: ['g'] })).toThrow(/pool names/);
  });
});
