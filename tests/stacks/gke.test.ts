import { beforeEach, describe, expect, it } from 'vitest';
import { installMocks, isSecretOutput, runProgram, valueOf } from './mock-harness.ts';
import { identity, productionSpec, standardSpec } from './fixtures.ts';
import { gkeProgram } from '../../stacks/gke/index.ts';
import { pinnedChart } from '../../platform/addon-catalog.ts';
import { DomainError } from '../../platform/errors.ts';

const mocks = installMocks();
const CLUSTER = 'gcp:container/cluster:Cluster';
const POOL = 'gcp:container/nodePool:NodePool';

async function run(spec = standardSpec('gcp')) {
  return runProgram(gkeProgram(spec, identity), mocks);
}

describe('gke program (mocks)', () => {
  beforeEach(() => mocks.reset());

  it('builds the expected resource graph', async () => {
    await run();
    const count = (t: string) => mocks.ofType(t).length;
    expect(count('kaas:gke:Cluster')).toBe(1);
    expect(count(CLUSTER)).toBe(1);
    expect(count('gcp:compute/network:Network')).toBe(1);
    expect(count('gcp:compute/subnetwork:Subnetwork')).toBe(1);
    expect(count(POOL)).toBe(2);
    // calico, ingress and logging (fluentd) are built in on GKE: no chart, no component
    expect(count('kubernetes:helm.sh/v3:Release')).toBe(2);
    expect(count('kaas:addons:Calico')).toBe(0);
    expect(count('kaas:addons:AwsLoadBalancerController')).toBe(0);
    // nodes + external-dns
    expect(count('gcp:serviceaccount/account:Account')).toBe(2);
    expect(count('gcp:dns/dnsManagedZoneIamMember:DnsManagedZoneIamMember')).toBe(1);
  });

  it('pins the version, removes the default pool, enables Workload Identity and Calico network policy', async () => {
    await run();
    const c = mocks.one(CLUSTER, 'kaas-c0ffee42').inputs;
    expect(c.minMasterVersion).toMatch(/^1\.34\./);
    expect(c.releaseChannel).toEqual({ channel: 'UNSPECIFIED' });
    expect(c.removeDefaultNodePool).toBe(true);
    expect(c.workloadIdentityConfig).toEqual({ workloadPool: 'kaas-project.svc.id.goog' });
    expect(c.networkPolicy).toEqual({ enabled: true, provider: 'CALICO' });
    expect(c.addonsConfig.networkPolicyConfig).toEqual({ disabled: false });
    expect(c.addonsConfig.httpLoadBalancing).toEqual({ disabled: false });
    expect(c.masterAuthorizedNetworksConfig.cidrBlocks.map((b: any) => b.cidrBlock)).toEqual(['203.0.113.0/24', '198.51.100.7/32']);
    expect(c.privateClusterConfig).toMatchObject({ enablePrivateNodes: true, enablePrivateEndpoint: false });
    expect(c.masterAuth.clientCertificateConfig.issueClientCertificate).toBe(false);
  });

  it('production: private endpoint, private nodes, existing network, release channel from the spec', async () => {
    await run({ ...productionSpec('gcp'), releaseChannel: 'stable' });
    const c = mocks.one(CLUSTER, 'kaas-c0ffee42').inputs;
    expect(c.privateClusterConfig).toMatchObject({ enablePrivateNodes: true, enablePrivateEndpoint: true });
    expect(c.masterAuthorizedNetworksConfig.cidrBlocks.map((b: any) => b.cidrBlock)).toEqual(['10.0.0.0/8']);
    expect(c.network).toBe('net-existing');
    expect(c.subnetwork).toBe('subnet-a');
    expect(c.releaseChannel).toEqual({ channel: 'STABLE' });
    expect(c.deletionProtection).toBe(true);
    expect(mocks.ofType('gcp:compute/network:Network')).toHaveLength(0);
    expect(mocks.one(POOL, 'batch').inputs.management).toEqual({ autoRepair: true, autoUpgrade: true });
  });

  it('creates node pools with autoscaling, labels, taints and surge upgrades', async () => {
    await run();
    const batch = mocks.one(POOL, 'batch').inputs;
    expect(batch.autoscaling).toEqual({ totalMinNodeCount: 0, totalMaxNodeCount: 10, locationPolicy: 'BALANCED' }); // totals: see gke-requirements.test.ts
    expect(batch.initialNodeCount).toBe(1);
    expect(batch.version).toMatch(/^1\.34\./);
    expect(batch.upgradeSettings).toEqual({ strategy: 'SURGE', maxSurge: 1, maxUnavailable: 0 });
    expect(batch.management).toEqual({ autoRepair: true, autoUpgrade: false });
    expect(batch.nodeConfig.machineType).toBe('n2-standard-8');
    expect(batch.nodeConfig.labels).toEqual({ role: 'batch', 'workload-class': 'spot-ok' });
    expect(batch.nodeConfig.taints).toEqual([{ key: 'dedicated', value: 'batch', effect: 'NO_SCHEDULE' }]);
    expect(batch.nodeConfig.workloadMetadataConfig).toEqual({ mode: 'GKE_METADATA' });
    expect(batch.nodeConfig.serviceAccount).toBe('nodes-c0ffee42@kaas-project.iam.gserviceaccount.com');
    expect(batch.networkConfig).toEqual({ enablePrivateNodes: true });
  });

  it('binds each Google service account to exactly its addon namespace and service account', async () => {
    await run();
    const bindings = mocks.ofType('gcp:serviceaccount/iAMMember:IAMMember');
    for (const [addon, gsaName] of [['external-dns', 'dns-c0ffee42']] as const) {
      const chart = pinnedChart(addon, 'gcp');
      const wi = bindings.filter((b) => b.name === `${addon}-wi`);
      expect(wi).toHaveLength(1);
      expect(wi[0]!.inputs.role).toBe('roles/iam.workloadIdentityUser');
      expect(wi[0]!.inputs.serviceAccountId).toBe(`projects/kaas-project/serviceAccounts/${gsaName}`);
      expect(wi[0]!.inputs.member).toBe(`serviceAccount:kaas-project.svc.id.goog[${chart.namespace}/${chart.serviceAccount}]`);
      const release = mocks.one('kubernetes:helm.sh/v3:Release', addon).inputs;
      expect(release.namespace).toBe(chart.namespace);
      expect(release.values.serviceAccount.name).toBe(chart.serviceAccount);
      expect(release.values.serviceAccount.annotations['iam.gke.io/gcp-service-account']).toBe(`${gsaName}@kaas-project.iam.gserviceaccount.com`);
    }
    // ExternalDNS may write only the allowed zone
    const zone = mocks.ofType('gcp:dns/dnsManagedZoneIamMember:DnsManagedZoneIamMember')[0]!.inputs;
    expect(zone).toMatchObject({ managedZone: 'apps-example-com', role: 'roles/dns.admin', member: 'serviceAccount:dns-c0ffee42@kaas-project.iam.gserviceaccount.com' });
    const projectRoles = mocks.ofType('gcp:projects/iAMMember:IAMMember').filter((m) => m.inputs.member.startsWith('serviceAccount:dns-'));
    expect(projectRoles.map((r) => r.inputs.role)).toEqual(['roles/dns.reader']);
  });

  it('labels every labellable GCP resource', async () => {
    await run();
    const want = { team: 'payments', 'kaas-cluster-id': 'c0ffee42', 'managed-by': 'kaas', 'cost-center': 'cc-1234' };
    expect(mocks.one(CLUSTER, 'kaas-c0ffee42').inputs.resourceLabels).toEqual(want);
    const pools = mocks.ofType(POOL);
    expect(pools).toHaveLength(2);
    for (const p of pools) expect(p.inputs.nodeConfig.resourceLabels, p.name).toEqual(want);
  });

  it('outputs a secret kubeconfig using the gke-gcloud-auth-plugin exec only', async () => {
    const out = await run();
    expect(await isSecretOutput(out.kubeconfig)).toBe(true);
    const kc = JSON.parse(await valueOf(out.kubeconfig));
    expect(kc.clusters[0].cluster.server).toBe('https://34.1.2.3');
    expect(Object.keys(kc.users[0].user)).toEqual(['exec']);
    expect(kc.users[0].user.exec.command).toBe('gke-gcloud-auth-plugin');
    expect(JSON.stringify(kc)).not.toMatch(/"token"|password|client-key|client-certificate"/);
  });

  it('refuses an unsupported Kubernetes version before any resource exists', () => {
    let err: unknown;
    try {
      gkeProgram({ ...standardSpec('gcp'), kubernetesVersion: '1.38' }, identity);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('UNSUPPORTED');
    expect((err as DomainError).message).toBe('Kubernetes 1.38 is not supported on gcp');
    expect((err as DomainError).hint).toContain('1.34');
    // Calico is built in on GKE, so 1.34 (beyond tigera-operator's pin) is fine there
    expect(() => gkeProgram(standardSpec('gcp'), identity)).not.toThrow();
    expect(mocks.resources).toHaveLength(0);
  });
});
