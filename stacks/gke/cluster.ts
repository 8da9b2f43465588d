/**
 * `kaas:gke:Cluster` — a regional GKE Standard cluster from a ClusterSpec: the default node pool
 * removed, version pinned (release channel per spec), Workload Identity, Calico network policy,
 * master authorised networks, private nodes / endpoint per spec, a least-privilege node service
 * account, one node pool per spec pool, labels on every labellable resource.
 */
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import type { ClusterIdentity, ClusterSpec } from '../../platform/cluster-spec.ts';
import { standardLabels } from '../common/tags.ts';
import { execKubeconfig } from '../common/kubeconfig.ts';
import { googleServiceAccountRoles } from './node-identity.ts';
import { gkeNetwork } from './network.ts';
import { gkeNodePool } from './node-pool.ts';

export interface GkeClusterArgs {
  spec: ClusterSpec;
  identity: ClusterIdentity;
  /** Control-plane range for private clusters (a /28 unused in the VPC). */
  masterIpv4CidrBlock: string;
}

export class GkeCluster extends pulumi.ComponentResource {
  readonly clusterName: pulumi.Output<string>;
  readonly endpoint: pulumi.Output<string>;
  readonly certificateAuthority: pulumi.Output<string>;
  readonly workloadPool: string;
  readonly nodePools: gcp.container.NodePool[];
  /** Exec-only kubeconfig (gke-gcloud-auth-plugin), as a secret. */
  readonly kubeconfig: pulumi.Output<string>;

  constructor(name: string, args: GkeClusterArgs, opts: pulumi.ComponentResourceOptions = {}) {
    super('kaas:gke:Cluster', name, {}, opts);
    const { spec, identity } = args;
    const project = spec.target.account;
    const location = spec.target.region;
    const labels = standardLabels(spec, identity);
    const child = { parent: this };
    const clusterName = `kaas-${identity.clusterId}`;
    const net = gkeNetwork(clusterName, spec.networking, project, location, this);
    this.workloadPool = `${project}.svc.id.goog`;

    const versions = gcp.container.getEngineVersionsOutput({ project, location, versionPrefix: `${spec.kubernetesVersion}.` }, child);
    const channel = spec.releaseChannel ? spec.releaseChannel.toUpperCase() : 'UNSPECIFIED';
    const cluster = new gcp.container.Cluster(clusterName, {
      name: clusterName,
      project,
      location,
      network: net.network,
      subnetwork: net.subnetwork,
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      minMasterVersion: versions.latestMasterVersion,
      releaseChannel: { channel },
      workloadIdentityConfig: { workloadPool: this.workloadPool },
      networkPolicy: { enabled: true, provider: 'CALICO' },
      addonsConfig: {
        networkPolicyConfig: { disabled: false },
        httpLoadBalancing: { disabled: false },
      },
      masterAuthorizedNetworksConfig: {
        cidrBlocks: spec.networking.authorizedCidrs.map((cidrBlock) => ({ cidrBlock, displayName: 'kaas-authorised' })),
      },
      privateClusterConfig: {
        enablePrivateNodes: !spec.networking.publicNodeIps,
        enablePrivateEndpoint: spec.networking.privateEndpoint,
        masterIpv4CidrBlock: args.masterIpv4CidrBlock,
      },
      ipAllocationPolicy: net.podsRange
        ? { clusterSecondaryRangeName: net.podsRange, servicesSecondaryRangeName: net.servicesRange }
        : {},
      masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
      enableLegacyAbac: false,
      loggingService: 'logging.googleapis.com/kubernetes',
      monitoringService: 'monitoring.googleapis.com/kubernetes',
      resourceLabels: labels,
      deletionProtection: spec.deletionProtection,
    }, child);

    const nodeAccount = googleServiceAccountRoles(`${clusterName}-nodes`, project, `nodes-${identity.clusterId}`, this);
    this.nodePools = spec.nodePools.map((pool) =>
      gkeNodePool(pool, {
        project,
        location,
        cluster: cluster.name,
        version: pool.kubernetesVersion
          ? gcp.container.getEngineVersionsOutput({ project, location, versionPrefix: `${pool.kubernetesVersion}.` }, child).latestNodeVersion
          : versions.latestNodeVersion,
        nodeServiceAccount: nodeAccount.email,
        privateNodes: !spec.networking.publicNodeIps,
        autoUpgrade: channel !== 'UNSPECIFIED', // GKE requires auto-upgrade on a release channel
        labels,
      }, child),
    );

    this.clusterName = cluster.name;
    this.endpoint = cluster.endpoint;
    this.certificateAuthority = cluster.masterAuth.clusterCaCertificate;
    this.kubeconfig = pulumi.secret(
      pulumi.all([cluster.name, cluster.endpoint, cluster.masterAuth]).apply(([n, endpoint, auth]) =>
        execKubeconfig(n, `https://${endpoint}`, auth.clusterCaCertificate, {
          command: 'gke-gcloud-auth-plugin',
          args: [],
          installHint: 'gcloud components install gke-gcloud-auth-plugin',
        }),
      ),
    );
    this.registerOutputs({ clusterName: this.clusterName, endpoint: this.endpoint, kubeconfig: this.kubeconfig });
  }
}
