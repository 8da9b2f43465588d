/** GKE requirements from Google's documentation that a mock accepts but the cloud does not. */
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

  // https://cloud.google.com/kubernetes-engine/docs/concepts/private-cluster-concept : private
  // nodes "do not have outbound internet access"; pulling images from outside Google needs Cloud
  // NAT (https://cloud.google.com/nat/docs/gke-example), which runs on a Cloud Router in the region.
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

  // NodePoolAutoscaling (https://cloud.google.com/kubernetes-engine/docs/reference/rest/v1/projects.locations.clusters.nodePools#NodePoolAutoscaling):
  // minNodeCount/maxNodeCount are "for one location", totalMin/totalMaxNodeCount for the pool;
  // initialNodeCount is per zone too (pulumi-gcp NodePool docs: "In regional or multi-zonal
  // clusters, this is the number of nodes per zone"). A regional cluster spans 3 zones by default
  // (https://cloud.google.com/kubernetes-engine/docs/concepts/regional-clusters).
  it('sizes regional pools as totals, not per zone', async () => {
    await run();
    const system = mocks.one(POOL, 'system').inputs; // min 2, max 4, desired 3
    expect(system.autoscaling).toEqual({ totalMinNodeCount: 2, totalMaxNodeCount: 4, locationPolicy: 'BALANCED' });
    expect(system.initialNodeCount).toBe(1); // 3 nodes over 3 zones
    const batch = mocks.one(POOL, 'batch').inputs; // min 0, max 10, desired 1
    expect(batch.autoscaling).toEqual({ totalMinNodeCount: 0, totalMaxNodeCount: 10, locationPolicy: 'BALANCED' });
    expect(batch.initialNodeCount).toBe(1); // at least one per zone when any is wanted
  });

  // privateClusterConfig.masterIpv4CidrBlock is the control plane's range for private nodes
  // (https://cloud.google.com/kubernetes-engine/docs/how-to/legacy/network-isolation); a cluster
  // with public nodes and a public endpoint has no private cluster config at all.
  it('sets the master CIDR only for private clusters', async () => {
    const spec = standardSpec('gcp');
    spec.networking.publicNodeIps = true;
    await run(spec);
    expect(mocks.one(CLUSTER, 'kaas-c0ffee42').inputs.privateClusterConfig).toBeUndefined();
    mocks.reset();
    await run();
    expect(mocks.one(CLUSTER, 'kaas-c0ffee42').inputs.privateClusterConfig).toMatchObject({ enablePrivateNodes: true, masterIpv4CidrBlock: '172.16.0.0/28' });
  });

  // https://cloud.google.com/kubernetes-engine/docs/how-to/authorized-networks : by default
  // "Google Cloud public IP addresses" may reach the control plane even with authorised networks;
  // gcpPublicCidrsAccessEnabled=false limits it to the listed CIDRs, as the spec means.
  it('does not let every Google Cloud public IP reach the control plane', async () => {
    await run();
    expect(mocks.one(CLUSTER, 'kaas-c0ffee42').inputs.masterAuthorizedNetworksConfig.gcpPublicCidrsAccessEnabled).toBe(false);
  });

  // https://cloud.google.com/kubernetes-engine/docs/concepts/release-channels : on a channel only
  // the channel's versions may be chosen and node auto-upgrade cannot be disabled; gcloud/the API
  // accept a "1.X" alias resolved to the channel's latest 1.X patch
  // (https://cloud.google.com/kubernetes-engine/versioning#specifying_cluster_version). So a
  // channelled cluster pins the minor alias, not the newest 1.X patch of any channel, and its
  // node pools do not pin a version that auto-upgrade would fight.
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

  // gke-gcloud-auth-plugin uses the gcloud login unless `--use_application_default_credentials`
  // is passed (https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin);
  // a worker running with a service account / workload identity has ADC, not a gcloud session.
  it('the kubeconfig uses Application Default Credentials by default, gcloud on request', async () => {
    const out = await run();
    const adc = JSON.parse(await valueOf(out.kubeconfig)).users[0].user.exec.args;
    expect(adc).toContain('--use_application_default_credentials');
    mocks.reset();
    const out2 = await run(standardSpec('gcp'), { credentialsMode: 'gcloud' });
    expect(JSON.parse(await valueOf(out2.kubeconfig)).users[0].user.exec.args).not.toContain('--use_application_default_credentials');
  });
});
