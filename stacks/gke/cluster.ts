/**
 * `kaas:gke:Cluster` — a regional GKE Standard cluster from a ClusterSpec: the default node pool
 * removed, version pinned (release channel per spec), Workload Identity, Calico network policy,
 * master authorised networks, private nodes / endpoint per spec, a least-privilege node service
 * account, one node pool per spec pool, labels on every labellable resource.
 */
import * as gcp from '@pulumi/gcp';
import * as pulumi from '@pulumi/pulumi';
import { physicalPools } from '../../platform/pool-generation.ts';
import type { ClusterIdentity, ClusterSpec } from '../../platform/cluster-spec.ts';
import type { GkeCredentialsMode } from '../../platform/target-settings.ts';
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
  /** How the kubeconfig's gke-gcloud-auth-plugin authenticates. */
  credentialsMode: GkeCredentialsMode;
  /** Every node pool a fixed 0 without autoscaling (a hibernated cluster; platform/pool-generation.ts `physicalPools`). */
  hibernated?: boolean;
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
    // On a channel only its versions are valid: the "1.X" alias resolves to the channel's newest
    // 1.X patch (https://cloud.google.com/kubernetes-engine/versioning#specifying_cluster_version).
    // Without one, the newest 1.X patch of the location.
    const onChannel = channel !== 'UNSPECIFIED';
    const privateNodes = !spec.networking.publicNodeIps;
    const cluster = new gcp.container.Cluster(clusterName, {
      name: clusterName,
      project,
      location,
      network: net.network,
      subnetwork: net.subnetwork,
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      // a patch pin (1.33.5-gke.1080000, platform/kubernetes-patch.ts) is an exact GKE version
      // (https://cloud.google.com/kubernetes-engine/versioning); on a channel the channel picks patches
      minMasterVersion: onChannel ? spec.kubernetesVersion : (spec.kubernetesPatch ?? versions.latestMasterVersion),
      releaseChannel: { channel },
      workloadIdentityConfig: { workloadPool: this.workloadPool },
      networkPolicy: { enabled: true, provider: 'CALICO' },
      addonsConfig: {
        networkPolicyConfig: { disabled: false },
        httpLoadBalancing: { disabled: false },
      },
      masterAuthorizedNetworksConfig: {
        // otherwise any Google Cloud public IP reaches the control plane
        // (https://cloud.google.com/kubernetes-engine/docs/how-to/authorized-networks)
        gcpPublicCidrsAccessEnabled: false,
        cidrBlocks: spec.networking.authorizedCidrs.map((cidrBlock) => ({ cidrBlock, displayName: 'kaas-authorised' })),
      },
      // the master /28 exists only for private clusters; a public one has no private config
      ...(privateNodes || spec.networking.privateEndpoint
        ? {
            privateClusterConfig: {
              enablePrivateNodes: privateNodes,
              enablePrivateEndpoint: spec.networking.privateEndpoint,
              masterIpv4CidrBlock: args.masterIpv4CidrBlock,
            },
          }
        : {}),
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
    this.nodePools = physicalPools(spec, { hibernated: args.hibernated === true }).map((pool) =>
      gkeNodePool(pool, {
        project,
        location,
        cluster: cluster.name,
        // on a channel auto-upgrade owns node versions (a pinned one would fight it); a pool
        // behind the control plane pins its minor alias
        version: onChannel
          ? pool.kubernetesVersion
          : pool.kubernetesPatch !== undefined
            ? pool.kubernetesPatch
            : pool.kubernetesVersion
            ? gcp.container.getEngineVersionsOutput({ project, location, versionPrefix: `${pool.kubernetesVersion}.` }, child).latestNodeVersion
            : versions.latestNodeVersion,
        nodeServiceAccount: nodeAccount.email,
        privateNodes,
        autoUpgrade: onChannel, // GKE requires auto-upgrade on a release channel
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
          // a worker with a service account has Application Default Credentials, not a gcloud login
          // (https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl)
          args: args.credentialsMode === 'adc' ? ['--use_application_default_credentials'] : [],
          installHint: 'gcloud components install gke-gcloud-auth-plugin',
        }),
      ),
    );
    this.registerOutputs({ clusterName: this.clusterName, endpoint: this.endpoint, kubeconfig: this.kubeconfig });
  }
}
