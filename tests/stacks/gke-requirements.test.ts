/**
 * GKE requirements from Google's documentation that a mock accepts but the cloud does not.
 * Citations re-read (issue 9, Task C): each names where the requirement was read; the pulumi-gcp
 * type docs are node_modules/@pulumi/gcp@9.37.0 (types/input.d.ts, container/nodePool.d.ts).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { installMocks, runProgram, valueOf } from './mock-harness.ts';
import { identity, standardSpec } from './fixtures.ts';
import { gkeProgram } from '../../stacks/gke/index.ts';

const mocks = installMocks();
const CLUSTER = 'gcp:container/cluster:Cluster';
const POOL = 'gcp:container/nodePool:NodePool';

async function run(spec = standardSpec('gcp'), options = {}) {
  return runProgram(gkeProgram(spec, identity, options), mocks);
}

describe('gke requirements', () => {
  beforeEach(() => mocks.reset());

  // Private nodes have internal IPs only; outbound internet traffic (image pulls from registries
  // outside Google) goes through Cloud NAT, which "provides network address translation (NAT) for
  // outbound traffic to the internet" for GKE clusters and is configured as a gateway "in the region
  // of the subnets that require NAT" on a Cloud Router (https://cloud.google.com/nat/docs/overview;
  // example: https://cloud.google.com/nat/docs/gke-example).
  it('private nodes on a created network get a Cloud Router and a Cloud NAT for egress', async () => {
    await run();
    const routers = mocks.ofType('gcp:compute/router:Router');
    expect(routers).toHaveLength(1);
    expect(routers[0]!.inputs.region).toBe('europe-west1');
    const nats = mocks.ofType('gcp:compute/routerNat:RouterNat');
    expect(nats).toHaveLength(1);
    expect(nats[0]!.inputs).toMatchObject({ region: 'europe-west1', natIpAllocateOption: 'AUTO_ONLY', sourceSubnetworkIpRangesToNat: 'ALL_SUBNETWORKS_ALL_IP_RANGES' });
  });

  it('public node IPs need no NAT', async () => {
    const spec = standardSpec('gcp');
    spec.networking.publicNodeIps = true;
    await run(spec);
    expect(mocks.ofType('gcp:compute/routerNat:RouterNat')).toHaveLength(0);
  });

  // pulumi-gcp NodePoolAutoscaling: minNodeCount / maxNodeCount are "per zone in the NodePool",
  // totalMinNodeCount / totalMaxNodeCount the "Total ... number of nodes in the NodePool" ("Cannot be
  // used with per zone limits"); NodePoolArgs.initialNodeCount: "In regional or multi-zonal clusters,
  // this is the number of nodes per zone". A regional cluster with the default configuration puts
  // nodes in three zones of the region (https://cloud.google.com/kubernetes-engine/docs/concepts/regional-clusters).
  it('sizes regional pools as totals, not per zone', async () => {
    await run();
    const system = mocks.one(POOL, 'system').inputs; // min 2, max 4, desired 3
    expect(system.autoscaling).toEqual({ totalMinNodeCount: 2, totalMaxNodeCount: 4, locationPolicy: 'BALANCED' });
    expect(system.initialNodeCount).toBe(1); // 3 nodes over 3 zones
    const batch = mocks.one(POOL, 'batch').inputs; // min 0, max 10, desired 1
    expect(batch.autoscaling).toEqual({ totalMinNodeCount: 0, totalMaxNodeCount: 10, locationPolicy: 'BALANCED' });
    expect(batch.initialNodeCount).toBe(1); // at least one per zone when any is wanted
  });

  // pulumi-gcp ClusterPrivateClusterConfig.masterIpv4CidrBlock: "it must be a /28 subnet ... This
  // field only applies to private clusters, when `enablePrivateNodes` is `true`"; a cluster with
  // public nodes and a public endpoint has no private cluster config at all.
  it('sets the master CIDR only for private clusters', async () => {
    const spec = standardSpec('gcp');
    spec.networking.publicNodeIps = true;
    await run(spec);
    expect(mocks.one(CLUSTER, 'kaas-c0ffee42').inputs.privateClusterConfig).toBeUndefined();
    mocks.reset();
    await run();
    expect(mocks.one(CLUSTER, 'kaas-c0ffee42').inputs.privateClusterConfig).toMatchObject({ enablePrivateNodes: true, masterIpv4CidrBlock: '172.16.0.0/28' });
  });

  // https://cloud.google.com/kubernetes-engine/docs/how-to/authorized-networks distinguishes the
  // "Public IP addresses of all Compute Engine VMs in Google Cloud" from the authorised CIDRs;
  // pulumi-gcp ClusterMasterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled: "Whether
  // Kubernetes master is accessible via Google Compute Engine Public IPs". Off, so only the listed
  // CIDRs reach it, as the spec means.
  it('does not let every Google Cloud public IP reach the control plane', async () => {
    await run();
    expect(mocks.one(CLUSTER, 'kaas-c0ffee42').inputs.masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled).toBe(false);
  });

  // ReleaseChannel (https://cloud.google.com/kubernetes-engine/docs/reference/rest/Shared.Types/ReleaseChannel):
  // "When a cluster is subscribed to a release channel, Google maintains both the master version
  // and the node version. Node auto-upgrade defaults to true and cannot be disabled." pulumi-gcp
  // NodePoolArgs.version: "if this field and `autoUpgrade` are both specified, they will fight each
  // other". The accepted version formats (incl. a minor alias) are documented at
  // https://cloud.google.com/kubernetes-engine/versioning-and-upgrades#specifying_cluster_version
  // (linked from pulumi-gcp ClusterArgs.minMasterVersion; the alias semantics were not re-read).
  // So a channelled cluster pins the minor alias and its node pools pin no version.
  it('on a release channel pins the minor alias and leaves node versions to the channel', async () => {
    const spec = { ...standardSpec('gcp'), releaseChannel: 'regular' as const };
    await run(spec);
    const c = mocks.one(CLUSTER, 'kaas-c0ffee42').inputs;
    expect(c.releaseChannel).toEqual({ channel: 'REGULAR' });
    expect(c.minMasterVersion).toBe('1.34');
    const system = mocks.one(POOL, 'system').inputs;
    expect(system.management.autoUpgrade).toBe(true);
    expect(system.version).toBeUndefined();
  });

  // gcloud itself writes the exec user with args ['--use_application_default_credentials'] when
  // container/use_application_default_credentials is set, and with no args (the gcloud login)
  // otherwise (google-cloud-sdk lib/googlecloudsdk/api_lib/container/kubeconfig.py,
  // _ExecAuthPlugin); a worker running with a service account / workload identity has ADC, not a
  // gcloud session.
  it('the kubeconfig uses Application Default Credentials by default, gcloud on request', async () => {
    const out = await run();
    const adc = JSON.parse(await valueOf(out.kubeconfig)).users[0].user.exec.args;
    expect(adc).toContain('--use_application_default_credentials');
    mocks.reset();
    const out2 = await run(standardSpec('gcp'), { credentialsMode: 'gcloud' });
    expect(JSON.parse(await valueOf(out2.kubeconfig)).users[0].user.exec.args).not.toContain('--use_application_default_credentials');
  });
});
