/**
 * AKS API-server access and identity settings, asserted against Microsoft's documentation.
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

  // https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges : "To disable authorized
  // IP ranges, use az aks update ... --api-server-authorized-ip-ranges """ — an empty list means
  // the public API server accepts every address, the opposite of an empty authorizedCidrs on
  // EKS (no public access) and GKE (no authorised network). Such a spec is refused, never sent.
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

  // https://learn.microsoft.com/azure/aks/managed-azure-ad : with local accounts disabled
  // (https://learn.microsoft.com/azure/aks/manage-local-accounts-managed-azure-ad) someone must be
  // granted access through aadProfile.adminGroupObjectIDs, or nobody can administer the cluster.
  it('refuses an empty adminGroupObjectIds (local accounts are disabled)', () => {
    expect(() => aksProgram(standardSpec('azure'), identity, {})).toThrow(/adminGroupObjectIds/);
  });

  // https://azure.github.io/kubelogin/concepts/login-modes.html : login modes are devicecode,
  // interactive, spn, ropc, msi, azurecli, azd, workloadidentity. The worker normally runs with a
  // managed or workload identity, not an `az login` session, so the mode comes from the target.
  it('writes the target’s kubelogin login mode into the exec kubeconfig', async () => {
    const out = await runProgram(aksProgram(standardSpec('azure'), identity, { adminGroupObjectIds: ['g'], kubeloginMode: 'workloadidentity' }), mocks);
    const kubeconfig = JSON.parse(await (out.kubeconfig as any).promise());
    const args: string[] = kubeconfig.users[0].user.exec.args;
    expect(args[args.indexOf('--login') + 1]).toBe('workloadidentity');
  });

  it('refuses an unknown kubelogin login mode', () => {
    expect(() => aksProgram(standardSpec('azure'), identity, { adminGroupObjectIds: ['g'], kubeloginMode: 'password' as any })).toThrow(/kubeloginMode/);
  });
});

describe('aks pool names', () => {
  // https://learn.microsoft.com/azure/aks/create-node-pools : "the name of a node pool may only
  // contain lowercase alphanumeric characters and must begin with a lowercase letter. For Linux
  // node pools, the length must be between 1 and 12 characters." Names must be unique per cluster.
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
