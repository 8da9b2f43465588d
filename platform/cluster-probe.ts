/**
 * What health gates and upgrade preflight read from a running cluster: the contract between the
 * pure rules (health-gate.ts, upgrade-preflight.ts) and the readers — the sim cloud's
 * (stacks/sim/sim-probe.ts) and the Kubernetes API reader real clouds use
 * (api/worker/health/kube-probe.ts). Its own file, so the rules and the readers never import
 * each other.
 */

/** One node as the API server reports it (`/api/v1/nodes`). */
export interface NodeSignal {
  name: string;
  /** The kaas node pool it belongs to (label `kaas.io/pool`, or the cloud's own pool label). */
  pool?: string | undefined;
  /** Condition `Ready` is `True`. */
  ready: boolean;
  /** `status.nodeInfo.kubeletVersion` (e.g. `v1.33.4-eks-1`). */
  kubeletVersion: string;
}

/** One addon or system workload (Deployment / DaemonSet / StatefulSet) and its rollout. */
export interface WorkloadSignal {
  kind: 'Deployment' | 'DaemonSet' | 'StatefulSet';
  namespace: string;
  name: string;
  /** Replicas (or scheduled pods) wanted. */
  desired: number;
  /** Replicas at the newest template. */
  updated: number;
  /** Replicas ready (available). */
  ready: number;
}

/** One pod of a system namespace (kube-system and the addons' namespaces). */
export interface PodSignal {
  namespace: string;
  name: string;
  restarts: number;
  /** A container's waiting reason, e.g. `CrashLoopBackOff`. */
  waitingReason?: string | undefined;
}

/** Everything the built-in gate checks read, in one snapshot. */
export interface ClusterHealthSignals {
  apiServer: { reachable: boolean; gitVersion?: string | undefined; error?: string | undefined };
  nodes: NodeSignal[];
  workloads: WorkloadSignal[];
  systemPods: PodSignal[];
}

/** A deprecated API the cluster's clients still request, with the release that removes it. */
export interface DeprecatedApiInUse {
  group: string;
  version: string;
  resource: string;
  /** The minor that removes it (`removed_release` of apiserver_requested_deprecated_apis), if known. */
  removedRelease?: string | undefined;
  /** Where it was found: `apiserver_requested_deprecated_apis`, `eks-upgrade-insights`, `gke-deprecation-insights`, `sim`. */
  source: string;
}

/** A PodDisruptionBudget that allows no disruption now, so a drain would stall on it. */
export interface BlockingPdb {
  namespace: string;
  name: string;
  disruptionsAllowed: number;
}

/** Whether a pool can get the surge nodes a rolling replacement needs. */
export interface SurgeCapacity {
  pool: string;
  /** Extra nodes the roll needs at once (maxSurge; a blue-green pool's whole new generation). */
  needed: number;
  /** Extra nodes the cloud (quota, capacity) can give now. */
  available: number;
  /** The quota that limits it, for the message (`EC2 quota L-1216C47A …: 8 of 32 vCPUs free`). */
  quota?: string | undefined;
}

/**
 * What one pool's roll adds beside its current nodes, for the surge-capacity check: computed from
 * the spec (platform/surge-quota.ts `surgeDemands`) and handed to the probe, whose cloud reader
 * turns it into `SurgeCapacity` against the cloud's quota.
 */
export interface SurgeDemand {
  pool: string;
  /** The cloud's machine type of the new nodes. */
  machineType: string;
  /** Extra nodes at once. */
  nodes: number;
  /** Why that many: `maxSurge 2`, `blue-green: a new generation of 3 nodes`, … */
  why: string;
}

/** A check preflight could not read (no credentials, API error, missing permission): shown, never blocking. */
export interface PreflightWarning {
  check: 'surge-capacity';
  message: string;
}

/** What preflight read before a hop. */
export interface PreflightFindings {
  deprecatedApis: DeprecatedApiInUse[];
  blockingPdbs: BlockingPdb[];
  surge: SurgeCapacity[];
  /** Checks that could not be read; absent or empty when every check was read. */
  warnings?: PreflightWarning[] | undefined;
}

/** A user check: a Kubernetes Job that must complete successfully. */
export interface JobCheck {
  name: string;
  namespace: string;
  image: string;
  command: string[];
}

/** Reads one cluster's health and preflight signals. */
export interface ClusterProbe {
  /** A snapshot of the built-in signals; an unreachable API server is `apiServer.reachable: false`, not a throw. */
  signals(): Promise<ClusterHealthSignals>;
  /** The scalar value of a Prometheus instant query (undefined: no sample). */
  prometheus(query: string): Promise<number | undefined>;
  /** Runs a Job to completion (or until `signal` aborts); whether it succeeded, with a reason. */
  runJob(check: JobCheck, signal?: AbortSignal): Promise<{ succeeded: boolean; message: string }>;
  /**
   * What stands in the way of moving to `nextMinor` (deprecated APIs) and of draining `pools`;
   * with `surge`, whether the cloud can give each pool's extra nodes (`PreflightFindings.surge`,
   * or a warning when its quota cannot be read).
   */
  preflight(nextMinor: string, pools: readonly string[], surge?: readonly SurgeDemand[]): Promise<PreflightFindings>;
}
