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

/** How a pool's nodes are replaced on a version change (platform/blue-green-plan.ts). */
export const POOL_UPGRADE_STRATEGIES = ['surge', 'blue-green'] as const;
export type PoolUpgradeStrategy = (typeof POOL_UPGRADE_STRATEGIES)[number];

/**
 * Rolling-replacement settings of one pool, mapped to each cloud's own fields
 * (platform/pool-surge.ts): a node count or a percentage (`"33%"`).
 */
export interface SurgeSettings {
  maxSurge?: number | string | undefined;
  maxUnavailable?: number | string | undefined;
  /** How long a node's drain may wait on evictions (PDBs) before the cloud gives up. */
  drainTimeoutMinutes?: number | undefined;
}

/**
 * Server-owned: the previous generation of a blue-green pool, kept for rollback. `serving` while
 * the new generation comes up, `cordoned` once drained, `scaled-down` (zero nodes) until
 * `keepUntil`, after which the next apply removes it. `retiring`: a generation a rollback moved
 * off, to be removed (by the rollback, or the next apply if it stopped).
 */
export interface StandbyPool {
  generation: number;
  kubernetesVersion: string;
  desiredSize: number;
  minSize: number;
  phase: 'serving' | 'cordoned' | 'scaled-down' | 'retiring';
  /** ISO time the rollback window closes (set when scaled down). */
  keepUntil?: string | undefined;
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
  /**
   * Server-owned: the patch release the pool is pinned to by a patch campaign (platform/kubernetes-patch.ts),
   * of the pool's minor; absent: the cloud picks the patch. Never inherited from the control plane.
   */
  kubernetesPatch?: string | undefined;
  labels: Record<string, string>;
  taints: Taint[];
  /** `surge` (default): the cloud rolls the pool in place; `blue-green`: a new pool replaces it, the old one is kept for rollback. */
  upgradeStrategy?: PoolUpgradeStrategy | undefined;
  surge?: SurgeSettings | undefined;
  /** Server-owned: the blue-green generation of the pool (absent: 1, the pool's plain name). */
  generation?: number | undefined;
  /** Server-owned: the previous blue-green generation, kept for rollback. */
  standby?: StandbyPool | undefined;
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
  /**
   * Server-owned: the control-plane patch release a patch campaign pinned (`1.33.5`, GKE
   * `1.33.5-gke.1080000`; platform/kubernetes-patch.ts), of `kubernetesVersion`'s minor; absent:
   * the cloud picks the patch. A minor upgrade clears it.
   */
  kubernetesPatch?: string | undefined;
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
