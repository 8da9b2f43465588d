/**
 * The declared shape of one cluster: what a team asked for, after template resolution.
 * Everything the Pulumi programs (sim, eks, gke, aks) need to build a cluster comes from here.
 * Pure data: no I/O, no cloud SDK types.
 */

import type { UpgradeSettings } from './health-gate.ts';

/** The clouds a target can point at. `sim` is the simulated local cloud (see README). */
export const CLOUDS = ['sim', 'aws', 'gcp', 'azure'] as const;
export type Cloud = (typeof CLOUDS)[number];

/** The standard addons, in the order the platform installs them. */
export const ADDON_IDS = ['calico', 'external-dns', 'ingress', 'fluentd', 'prometheus'] as const;
export type AddonId = (typeof ADDON_IDS)[number];

export const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] as const;
export type TaintEffect = (typeof TAINT_EFFECTS)[number];

export const GKE_RELEASE_CHANNELS = ['rapid', 'regular', 'stable', 'extended'] as const;
export type GkeReleaseChannel = (typeof GKE_RELEASE_CHANNELS)[number];

/** A Kubernetes taint applied to every node of a pool. */
export interface Taint {
  key: string;
  value: string;
  effect: TaintEffect;
}

/** One group of identical worker nodes. */
export interface NodePoolSpec {
  /** DNS-label name, unique within the cluster. */
  name: string;
  /** The cloud's machine type (`m6i.large`, `e2-standard-4`, `Standard_D4s_v5`, `sim.small`). */
  machineType: string;
  minSize: number;
  maxSize: number;
  desiredSize: number;
  /** Kubernetes minor version of the pool (`1.31`); absent means "same as the control plane". */
  kubernetesVersion?: string;
  labels: Record<string, string>;
  taints: Taint[];
}

/** One addon: on or off, with its per-cluster values (validated against the addon catalog). */
export interface AddonSpec {
  enabled: boolean;
  values: Record<string, unknown>;
}

/** Where the cluster's network comes from. */
export type VpcSpec =
  | { mode: 'create'; cidr: string }
  | { mode: 'existing'; networkId: string; subnetIds: string[] };

export interface NetworkingSpec {
  /** CIDRs allowed to reach the Kubernetes API server. Empty means "no public access". */
  authorizedCidrs: string[];
  /** Whether the API server endpoint is private (reachable only from inside the network). */
  privateEndpoint: boolean;
  /** Whether nodes get public IPs. */
  publicNodeIps: boolean;
  vpc: VpcSpec;
}

/** The deployment target a cluster lives in, as the program sees it (never a secret). */
export interface TargetRef {
  name: string;
  cloud: Cloud;
  region: string;
  /** AWS account id, GCP project id or Azure subscription id; `local` for sim. */
  account: string;
  /** DNS zones ExternalDNS may manage on this target. */
  dnsZones: string[];
}

/** The full declared spec of one cluster. */
export interface ClusterSpec {
  /** DNS-label name, unique per team among live clusters. */
  name: string;
  team: string;
  target: TargetRef;
  /** Control-plane Kubernetes minor version, e.g. `1.31`. */
  kubernetesVersion: string;
  nodePools: NodePoolSpec[];
  addons: Partial<Record<AddonId, AddonSpec>>;
  networking: NetworkingSpec;
  tags: Record<string, string>;
  deletionProtection: boolean;
  /**
   * GKE only: the release channel (`rapid`, `regular`, `stable`, `extended`). Absent means no
   * channel (`UNSPECIFIED`), so the pinned `kubernetesVersion` is kept and node auto-upgrade is
   * off; the platform's fleet upgrades move versions. Ignored by the other clouds.
   */
  releaseChannel?: GkeReleaseChannel;
  /** The template version this spec was resolved from, `name@version`, if any. */
  template?: string;
  /** How upgrades check the cluster's health after each step (gate timeout, user checks). */
  upgrade?: UpgradeSettings;
}

/** What a Pulumi program needs besides the spec: server-owned identity. */
export interface ClusterIdentity {
  /** Server-generated id (never user text); also the basis of the stack name. */
  clusterId: string;
}

/** The addons of a spec that are switched on, in install order. */
export function enabledAddons(spec: ClusterSpec): AddonId[] {
  return ADDON_IDS.filter((id) => spec.addons[id]?.enabled === true);
}

/** Total desired nodes of a spec, used by quotas. */
export function totalDesiredNodes(spec: ClusterSpec): number {
  return spec.nodePools.reduce((sum, pool) => sum + pool.desiredSize, 0);
}
