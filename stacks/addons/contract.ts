/**
 * The one contract every addon follows (after cdk-eks-blueprints' addon contracts): a Props
 * interface, defaults, a ComponentResource class, and a module record that declares the addon's
 * dependencies on other addons as data. The installer (`install.ts`) orders them from that data.
 */
import type * as pulumi from '@pulumi/pulumi';
import type * as k8s from '@pulumi/kubernetes';
import type { AddonId, ClusterIdentity, ClusterSpec } from '../../platform/cluster-spec.ts';

/** What an addon needs from an EKS cluster to bind IRSA roles. */
export interface AwsAddonCloud {
  cloud: 'aws';
  region: string;
  accountId: string;
  partition: string;
  clusterName: pulumi.Output<string>;
  vpcId: pulumi.Output<string>;
  /** ARN of the cluster's IAM OIDC provider. */
  oidcProviderArn: pulumi.Output<string>;
  /** Issuer URL without `https://`, as used in IRSA trust conditions. */
  oidcIssuerHost: pulumi.Output<string>;
  tags: Record<string, string>;
}

/** What an addon needs from a GKE cluster to bind Workload Identity. */
export interface GcpAddonCloud {
  cloud: 'gcp';
  project: string;
  region: string;
  clusterName: pulumi.Output<string>;
  /** `<project>.svc.id.goog`. */
  workloadPool: string;
  /** Cloud DNS managed-zone name for each DNS name of `spec.target.dnsZones`. */
  dnsManagedZones: Record<string, string>;
  labels: Record<string, string>;
}

/** What an addon needs from an AKS cluster to bind workload identity. */
export interface AzureAddonCloud {
  cloud: 'azure';
  subscriptionId: string;
  tenantId: pulumi.Input<string>;
  location: string;
  resourceGroupName: pulumi.Output<string>;
  clusterName: pulumi.Output<string>;
  oidcIssuerUrl: pulumi.Output<string>;
  /** Resource group that holds the target's Azure DNS zones. */
  dnsResourceGroup: string;
  tags: Record<string, string>;
}

export type AddonCloud = AwsAddonCloud | GcpAddonCloud | AzureAddonCloud;

/** Everything an addon is built from. */
export interface AddonContext {
  spec: ClusterSpec;
  identity: ClusterIdentity;
  cloud: AddonCloud;
  /** Kubernetes provider built from the cluster's (exec) kubeconfig. */
  provider: k8s.Provider;
  /**
   * Name of a StorageClass the cluster program created for addon volumes (EKS: encrypted gp3),
   * resolved once it exists; unset where the cloud ships a default class.
   */
  storageClassName?: pulumi.Output<string>;
}

/** One addon module: its id, the addons it must come after, and how to build it. */
export interface AddonModule {
  id: AddonId;
  /**
   * Addons this one is created after (and therefore destroyed before). Skipped when disabled.
   * Workload addons depend on the controllers that own cloud resources (load balancers, DNS
   * records), so on teardown the workloads — and the records they caused — go first.
   */
  dependsOn: readonly AddonId[];
  /** Builds the addon, or returns undefined when the cloud provides it built in (no resources). */
  create(ctx: AddonContext, opts: pulumi.ComponentResourceOptions): pulumi.ComponentResource | undefined;
}

/** The service account annotations / labels a chart needs for the cloud identity binding. */
export interface ServiceAccountBinding {
  annotations: Record<string, pulumi.Input<string>>;
  /** Pod labels (Azure workload identity needs `azure.workload.identity/use`). */
  podLabels: Record<string, string>;
}
