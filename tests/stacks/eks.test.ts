import { beforeEach, describe, expect, it } from 'vitest';
import { installMocks, isSecretOutput, json, runProgram, valueOf } from './mock-harness.ts';
import { identity, productionSpec, standardSpec } from './fixtures.ts';
import { eksProgram } from '../../stacks/eks/index.ts';
import { pinnedChart } from '../../platform/addon-catalog.ts';
import { DomainError } from '../../platform/errors.ts';

const mocks = installMocks();
const ADMIN = 'arn:aws:iam::123456789012:role/kaas-platform-admin';
const options = { platformAdminRoleArn: ADMIN };

// Resource types that take no tags in @pulumi/aws.
const UNTAGGABLE = new Set([
  'aws:iam/rolePolicyAttachment:RolePolicyAttachment',
  'aws:ec2/routeTableAssociation:RouteTableAssociation',
  'aws:eks/accessPolicyAssociation:AccessPolicyAssociation',
  'aws:iam/rolePolicy:RolePolicy',
]);

async function run(spec = standardSpec('aws')) {
  return runProgram(eksProgram(spec, identity, options), mocks);
}

describe('eks program (mocks)', () => {
  beforeEach(() => mocks.reset());

  it('builds the expected resource graph', async () => {
    await run();
    const count = (t: string) => mocks.ofType(t).length;
    expect(count('kaas:eks:Cluster')).toBe(1);
    expect(count('aws:eks/cluster:Cluster')).toBe(1);
    expect(count('aws:ec2/vpc:Vpc')).toBe(1);
    expect(count('aws:ec2/subnet:Subnet')).toBe(6);
    expect(count('aws:ec2/natGateway:NatGateway')).toBe(1);
    expect(count('aws:eks/nodeGroup:NodeGroup')).toBe(2);
    expect(count('aws:iam/openIdConnectProvider:OpenIdConnectProvider')).toBe(1);
    expect(count('aws:kms/key:Key')).toBe(1);
    // calico, external-dns, ingress, fluentd, prometheus are all charts on EKS
    expect(count('kubernetes:helm.sh/v3:Release')).toBe(5);
    for (const t of ['ExternalDns', 'AwsLoadBalancerController', 'Calico', 'Fluentd', 'Prometheus']) {
      expect(count(`kaas:addons:${t}`)).toBe(1);
    }
    // four IRSA roles: external-dns, ingress, fluentd, the EBS CSI driver
    const irsa = mocks.ofType('aws:iam/role:Role').filter((r) => json(r.inputs.assumeRolePolicy).Statement[0].Principal.Federated);
    expect(irsa).toHaveLength(4);
  });

  it('pins the cluster: version, encryption, logging, access entries', async () => {
    await run();
    const cluster = mocks.one('aws:eks/cluster:Cluster', 'kaas-c0ffee42').inputs;
    expect(cluster.version).toBe('1.33');
    expect(cluster.encryptionConfig.resources).toEqual(['secrets']);
    expect(cluster.encryptionConfig.provider.keyArn).toMatch(/kms/);
    expect(cluster.enabledClusterLogTypes).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
    expect(cluster.accessConfig).toEqual({ authenticationMode: 'API', bootstrapClusterCreatorAdminPermissions: false });
    expect(mocks.ofType('aws:kms/key:Key')[0]!.inputs.enableKeyRotation).toBe(true);
    const kmsUse = json(mocks.one('aws:iam/rolePolicy:RolePolicy', 'kaas-c0ffee42-cluster-kms').inputs.policy);
    expect(kmsUse.Statement[0].Resource).toBe(cluster.encryptionConfig.provider.keyArn);
    const entry = mocks.ofType('aws:eks/accessEntry:AccessEntry');
    expect(entry.map((e) => e.inputs.principalArn)).toEqual([ADMIN]);
    const assoc = mocks.ofType('aws:eks/accessPolicyAssociation:AccessPolicyAssociation')[0]!.inputs;
    expect(assoc.policyArn).toBe('arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy');
    expect(assoc.principalArn).toBe(ADMIN);
  });

  it('limits the public endpoint to the authorised CIDRs (standard) and closes it (production)', async () => {
    await run();
    let vpc = mocks.one('aws:eks/cluster:Cluster', 'kaas-c0ffee42').inputs.vpcConfig;
    expect(vpc.endpointPublicAccess).toBe(true);
    expect(vpc.publicAccessCidrs).toEqual(['203.0.113.0/24', '198.51.100.7/32']);
    expect(vpc.endpointPrivateAccess).toBe(true);

    mocks.reset();
    await run(productionSpec('aws'));
    vpc = mocks.one('aws:eks/cluster:Cluster', 'kaas-c0ffee42').inputs.vpcConfig;
    expect(vpc.endpointPublicAccess).toBe(false);
    expect(vpc.publicAccessCidrs).toBeUndefined();
    // existing network reused: nothing created, the given subnets used
    expect(mocks.ofType('aws:ec2/vpc:Vpc')).toHaveLength(0);
    expect(mocks.ofType('aws:ec2/subnet:Subnet')).toHaveLength(0);
    expect(vpc.subnetIds).toEqual(['subnet-a', 'subnet-b']);
    expect(mocks.one('aws:eks/cluster:Cluster', 'kaas-c0ffee42').inputs.deletionProtection).toBe(true);
  });

  it('creates node groups with scaling, labels, taints, update config and their own node role', async () => {
    await run();
    const batch = mocks.one('aws:eks/nodeGroup:NodeGroup', 'batch').inputs;
    expect(batch.scalingConfig).toEqual({ minSize: 0, maxSize: 10, desiredSize: 1 });
    expect(batch.labels).toEqual({ role: 'batch', 'workload-class': 'spot-ok' });
    expect(batch.taints).toEqual([{ key: 'dedicated', value: 'batch', effect: 'NO_SCHEDULE' }]);
    expect(batch.instanceTypes).toEqual(['m6i.2xlarge']);
    expect(batch.version).toBe('1.33');
    expect(batch.updateConfig).toEqual({ maxUnavailablePercentage: 33 });
    // nodes in the private subnets only (publicNodeIps false)
    const privateIds = mocks.ofType('aws:ec2/subnet:Subnet').filter((s) => s.inputs.mapPublicIpOnLaunch === false && s.name.includes('private')).map((s) => `${s.name}-id`);
    expect(batch.subnetIds).toEqual(privateIds);
    const system = mocks.one('aws:eks/nodeGroup:NodeGroup', 'system').inputs;
    expect(system.taints).toEqual([]);
    expect(system.nodeRoleArn).not.toBe(batch.nodeRoleArn);
    const attached = mocks.ofType('aws:iam/rolePolicyAttachment:RolePolicyAttachment').filter((a) => a.name.startsWith('batch-node-'));
    expect(attached.map((a) => a.inputs.policyArn.split('/').pop()).sort()).toEqual(
      ['AmazonEC2ContainerRegistryReadOnly', 'AmazonEKSWorkerNodePolicy', 'AmazonEKS_CNI_Policy'],
    );
  });

  it('binds each IRSA role to exactly its addon namespace and service account', async () => {
    await run();
    const issuerHost = 'oidc.eks.eu-west-1.amazonaws.com/id/KAAS-C0FFEE42';
    const expectations = [
      ['external-dns-irsa', 'external-dns'],
      ['ingress-irsa', 'ingress'],
      ['fluentd-irsa', 'fluentd'],
    ] as const;
    for (const [roleName, addon] of expectations) {
      const chart = pinnedChart(addon, 'aws');
      const trust = json(mocks.one('aws:iam/role:Role', roleName).inputs.assumeRolePolicy);
      expect(trust.Statement).toHaveLength(1);
      const st = trust.Statement[0];
      expect(st.Action).toBe('sts:AssumeRoleWithWebIdentity');
      expect(st.Principal.Federated).toBe(`arn:aws:iam::123456789012:oidc-provider/${issuerHost}`);
      expect(st.Condition.StringEquals).toEqual({
        [`${issuerHost}:sub`]: `system:serviceaccount:${chart.namespace}:${chart.serviceAccount}`,
        [`${issuerHost}:aud`]: 'sts.amazonaws.com',
      });
      // the chart really runs as that service account, in that namespace, annotated with the role
      const release = mocks.one('kubernetes:helm.sh/v3:Release', addon).inputs;
      expect(release.namespace).toBe(chart.namespace);
      expect(release.values.serviceAccount.name).toBe(chart.serviceAccount);
      expect(release.values.serviceAccount.annotations['eks.amazonaws.com/role-arn']).toMatch(new RegExp(`${roleName}$`));
    }
  });

  it('scopes ExternalDNS to the target zones and pins charts from the catalog', async () => {
    await run();
    const policy = json(mocks.one('aws:iam/policy:Policy', 'external-dns-policy').inputs.policy);
    const change = policy.Statement.find((s: any) => s.Action === 'route53:ChangeResourceRecordSets');
    expect(change.Resource).toEqual(['arn:aws:route53:::hostedzone/ZAPPSEXAMPLECOM', 'arn:aws:route53:::hostedzone/ZEXAMPLEORG']);
    const release = mocks.one('kubernetes:helm.sh/v3:Release', 'external-dns').inputs;
    expect(release.values.domainFilters).toEqual(['apps.example.com', 'example.org']);
    expect(release.values.policy).toBe('sync');
    for (const addon of ['calico', 'external-dns', 'ingress', 'fluentd', 'prometheus'] as const) {
      const chart = pinnedChart(addon, 'aws');
      const r = mocks.one('kubernetes:helm.sh/v3:Release', addon).inputs;
      expect([r.chart, r.version, r.repositoryOpts.repo]).toEqual([chart.chart, chart.version, chart.repository]);
    }
    const fluentdPolicy = json(mocks.one('aws:iam/policy:Policy', 'fluentd-policy').inputs.policy);
    expect(fluentdPolicy.Statement.find((s: any) => s.Action.includes?.('logs:PutLogEvents')).Resource).toHaveLength(2);
    expect(mocks.one('aws:cloudwatch/logGroup:LogGroup', 'fluentd-logs').inputs.retentionInDays).toBe(14);
  });

  it('tags every taggable AWS resource with team, cluster id and managed-by', async () => {
    await run();
    const aws = mocks.resources.filter((r) => r.type.startsWith('aws:') && !UNTAGGABLE.has(r.type));
    expect(aws.length).toBeGreaterThan(25);
    for (const r of aws) {
      expect(r.inputs.tags, `${r.type} ${r.name}`).toMatchObject({ team: 'payments', 'kaas-cluster-id': 'c0ffee42', 'managed-by': 'kaas', 'cost-center': 'cc-1234' });
    }
  });

  it('outputs a secret, exec-only kubeconfig and the cluster endpoint / CA / issuer', async () => {
    const out = await run();
    expect(await valueOf(out.endpoint)).toBe('https://kaas-c0ffee42.gr7.eu-west-1.eks.amazonaws.com');
    expect(await valueOf(out.certificateAuthority)).toBe('TU9DSy1DQQ==');
    expect(await valueOf(out.oidcIssuer)).toMatch(/^https:\/\/oidc\.eks/);
    expect(await isSecretOutput(out.kubeconfig)).toBe(true);
    const kc = JSON.parse(await valueOf(out.kubeconfig));
    const user = kc.users[0].user;
    expect(Object.keys(user)).toEqual(['exec']);
    expect(user.exec.command).toBe('aws');
    expect(user.exec.args.slice(0, 4)).toEqual(['eks', 'get-token', '--cluster-name', 'kaas-c0ffee42']);
    expect(JSON.stringify(kc)).not.toMatch(/"token"|password|client-key|client-certificate/);
  });

  it('refuses an unsupported Kubernetes version or addon before any resource exists', () => {
    const old = { ...standardSpec('aws'), kubernetesVersion: '1.29' };
    expect(() => eksProgram(old, identity, options)).toThrow(DomainError);
    try {
      eksProgram(old, identity, options);
    } catch (e) {
      expect((e as DomainError).code).toBe('UNSUPPORTED');
      expect((e as DomainError).message).toContain('1.29');
      expect((e as DomainError).hint).toContain('1.32');
    }
    // tigera-operator v3.31.3 is pinned to Kubernetes ≤ 1.35 on EKS (platform/addon-catalog.ts)
    const newer = { ...standardSpec('aws'), kubernetesVersion: '1.36' };
    let err: unknown;
    try {
      eksProgram(newer, identity, options);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DomainError);
    expect((err as DomainError).code).toBe('UNSUPPORTED');
    expect((err as DomainError).message).toMatch(/calico.*1\.36.*aws/);
    expect((err as DomainError).hint).toContain('1.35');
    const badValue = standardSpec('aws');
    badValue.addons.prometheus!.values = { retention: 'forever' };
    expect(() => eksProgram(badValue, identity, options)).toThrow(/addons.prometheus.values.retention/);
    expect(mocks.resources).toHaveLength(0);
  });
});
