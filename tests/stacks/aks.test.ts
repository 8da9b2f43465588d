import { beforeEach, describe, expect, it } from 'vitest';
import { installMocks, isSecretOutput, json, runProgram, valueOf } from './mock-harness.ts';
import { identity, productionSpec, standardSpec } from './fixtures.ts';
import { aksProgram } from '../../stacks/aks/index.ts';
import { pinnedChart } from '../../platform/addon-catalog.ts';
import { DomainError } from '../../platform/errors.ts';

const mocks = installMocks();
const MC = 'azure-native:containerservice:ManagedCluster';
const POOL = 'azure-native:containerservice:AgentPool';
// Azure resource types that take no tags.
const UNTAGGABLE = new Set([
  'azure-native:managedidentity:FederatedIdentityCredential',
  'azure-native:authorization:RoleAssignment',
  'azure-native:monitor:DataCollectionRuleAssociation',
]);

async function run(spec = standardSpec('azure')) {
  return runProgram(aksProgram(spec, identity, { adminGroupObjectIds: ['group-admins'], dnsResourceGroup: 'dns-rg' }), mocks);
}

describe('aks program (mocks)', () => {
  beforeEach(() => mocks.reset());

  it('builds the expected resource graph', async () => {
    await run();
    const count = (t: string) => mocks.ofType(t).length;
    expect(count('kaas:aks:Cluster')).toBe(1);
    expect(count('azure-native:resources:ResourceGroup')).toBe(1);
    expect(count(MC)).toBe(1);
    expect(count(POOL)).toBe(1); // system pool inline, batch as a user pool
    expect(count('kubernetes:helm.sh/v3:Release')).toBe(2); // external-dns, prometheus (logs: Container Insights)
    // ExternalDNS has a federated identity; Container Insights authenticates with the add-on's managed identity
    expect(count('azure-native:managedidentity:UserAssignedIdentity')).toBe(1);
    expect(count('azure-native:managedidentity:FederatedIdentityCredential')).toBe(1);
    expect(count('azure-native:operationalinsights:Workspace')).toBe(1);
    expect(count('azure-native:monitor:DataCollectionRule')).toBe(1);
    expect(count('azure-native:monitor:DataCollectionRuleAssociation')).toBe(1);
  });

  it('enables OIDC issuer, workload identity, calico, Entra ID RBAC and disables local accounts', async () => {
    await run();
    const mc = mocks.one(MC, 'kaas-c0ffee42').inputs;
    expect(mc.kubernetesVersion).toBe('1.34');
    expect(mc.oidcIssuerProfile).toEqual({ enabled: true });
    expect(mc.securityProfile).toEqual({ workloadIdentity: { enabled: true } });
    expect(mc.networkProfile.networkPolicy).toBe('calico');
    expect(mc.disableLocalAccounts).toBe(true);
    expect(mc.aadProfile).toEqual({ managed: true, enableAzureRBAC: true, adminGroupObjectIDs: ['group-admins'] });
    expect(mc.apiServerAccessProfile).toEqual({ enablePrivateCluster: false, authorizedIPRanges: ['203.0.113.0/24', '198.51.100.7/32'] });
    expect(mc.ingressProfile).toEqual({ webAppRouting: { enabled: true } });
  });

  it('production: private API server, no public node IPs, existing subnet', async () => {
    await run(productionSpec('azure'));
    const mc = mocks.one(MC, 'kaas-c0ffee42').inputs;
    expect(mc.apiServerAccessProfile).toEqual({ enablePrivateCluster: true });
    expect(mc.agentPoolProfiles[0].enableNodePublicIP).toBe(false);
    expect(mc.agentPoolProfiles[0].vnetSubnetID).toBe('subnet-a');
    expect(mocks.one(POOL, 'batch').inputs.vnetSubnetID).toBe('subnet-a');
  });

  it('creates system and user pools with autoscaling, labels, taints and max-surge', async () => {
    await run();
    const system = mocks.one(MC, 'kaas-c0ffee42').inputs.agentPoolProfiles;
    expect(system).toHaveLength(1);
    expect(system[0]).toMatchObject({
      name: 'system', mode: 'System', vmSize: 'Standard_D4s_v5', enableAutoScaling: true, minCount: 2, maxCount: 4, count: 3,
      nodeLabels: { role: 'system' }, nodeTaints: [], upgradeSettings: { maxSurge: '33%' }, orchestratorVersion: '1.34',
    });
    const batch = mocks.one(POOL, 'batch').inputs;
    expect(batch).toMatchObject({
      agentPoolName: 'batch', mode: 'User', vmSize: 'Standard_D8s_v5', enableAutoScaling: true, minCount: 0, maxCount: 10, count: 1,
      nodeLabels: { role: 'batch', 'workload-class': 'spot-ok' }, upgradeSettings: { maxSurge: '33%' }, enableNodePublicIP: false,
    });
    expect(batch.nodeTaints).toEqual(['dedicated=batch:NoSchedule']);
    expect(batch.resourceName).toBe('kaas-c0ffee42');
  });

  it('federates each identity with exactly its addon namespace and service account', async () => {
    await run();
    const issuer = 'https://westeurope.oic.prod-aks.azure.com/tenant/kaas-c0ffee42/';
    for (const addon of ['external-dns'] as const) {
      const chart = pinnedChart(addon, 'azure');
      const fic = mocks.one('azure-native:managedidentity:FederatedIdentityCredential', `${addon}-fic`).inputs;
      expect(fic.subject).toBe(`system:serviceaccount:${chart.namespace}:${chart.serviceAccount}`);
      expect(fic.issuer).toBe(issuer);
      expect(fic.audiences).toEqual(['api://AzureADTokenExchange']);
      expect(fic.resourceName).toBe(`${addon}-id`);
      const release = mocks.one('kubernetes:helm.sh/v3:Release', addon).inputs;
      expect(release.namespace).toBe(chart.namespace);
      expect(release.values.serviceAccount.name).toBe(chart.serviceAccount);
      expect(release.values.serviceAccount.annotations['azure.workload.identity/client-id']).toBe(`client-${addon}-id`);
      expect(release.values.podLabels).toEqual({ 'azure.workload.identity/use': 'true' });
    }
    // ExternalDNS: DNS Zone Contributor on the allowed zone only, Reader on its resource group
    const roles = mocks.ofType('azure-native:authorization:RoleAssignment').filter((r) => r.name.startsWith('external-dns-role'));
    expect(roles.map((r) => [r.inputs.scope, r.inputs.roleDefinitionId.split('/').pop()])).toEqual([
      ['/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/dns-rg/providers/Microsoft.Network/dnszones/apps.example.com', 'befefa01-2a29-4197-83a8-272ff33ce314'],
      ['/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/dns-rg', 'acdd72a7-3385-48ef-bd42-f606fba81ae7'],
    ]);
    for (const r of roles) expect(r.inputs.principalId).toBe('principal-external-dns-id');
    const azureJson = json(mocks.one('kubernetes:helm.sh/v3:Release', 'external-dns').inputs.values.secretConfiguration.data['azure.json']);
    expect(azureJson).toEqual({
      tenantId: 'tenant-1', subscriptionId: '00000000-0000-0000-0000-000000000001', resourceGroup: 'dns-rg',
      useWorkloadIdentityExtension: true, userAssignedIdentityID: 'client-external-dns-id',
    });
  });

  it('tags every taggable Azure resource', async () => {
    await run();
    const azure = mocks.resources.filter((r) => r.type.startsWith('azure-native:') && !UNTAGGABLE.has(r.type));
    expect(azure.length).toBe(6); // resource group, cluster, user pool, identity, workspace, DCR
    for (const r of azure) {
      expect(r.inputs.tags, `${r.type} ${r.name}`).toMatchObject({ team: 'payments', 'kaas-cluster-id': 'c0ffee42', 'managed-by': 'kaas' });
    }
    expect(mocks.one(MC, 'kaas-c0ffee42').inputs.agentPoolProfiles[0].tags).toMatchObject({ 'managed-by': 'kaas' });
  });

  it('outputs a secret kubelogin-only kubeconfig built from user (not admin) credentials', async () => {
    const out = await run();
    expect(await isSecretOutput(out.kubeconfig)).toBe(true);
    const kc = JSON.parse(await valueOf(out.kubeconfig));
    expect(kc.clusters[0].cluster.server).toBe('https://aks-mock.hcp.westeurope.azmk8s.io:443');
    expect(Object.keys(kc.users[0].user)).toEqual(['exec']);
    expect(kc.users[0].user.exec.command).toBe('kubelogin');
    expect(kc.users[0].user.exec.args).toEqual(['get-token', '--login', 'azurecli', '--server-id', '6dae42f8-4368-4678-94ff-3960e28e3630']);
    const tokens = mocks.calls.map((c) => c.token);
    expect(tokens).toContain('azure-native:containerservice:listManagedClusterUserCredentials');
    expect(tokens.some((t) => /Admin|Monitoring/.test(t))).toBe(false);
    expect(await valueOf(out.oidcIssuerUrl)).toMatch(/^https:\/\/westeurope\.oic/);
  });

  it('refuses an unsupported version or an invalid addon value before any resource exists', () => {
    let err: unknown;
    try {
      aksProgram({ ...standardSpec('azure'), kubernetesVersion: '1.29' }, identity);
    } catch (e) {
      err = e;
    }
    expect((err as DomainError).code).toBe('UNSUPPORTED');
    // the program accepts every minor of the AKS calendar (platform/version-policy.ts), so a cluster
    // past end of support can still be managed; 1.29 is not on it
    expect((err as DomainError).hint).toBe('supported Kubernetes versions on azure: 1.30, 1.31, 1.32, 1.33, 1.34, 1.35, 1.36, 1.37');
    const bad = standardSpec('azure');
    bad.addons['external-dns']!.values = { policy: 'delete-everything' };
    expect(() => aksProgram(bad, identity)).toThrow(DomainError);
    expect(mocks.resources).toHaveLength(0);
  });
});
