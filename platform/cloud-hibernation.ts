/**
 * What hibernating a cluster does and saves on each cloud. EKS, GKE and sim: node pools scale to
 * zero through an update; the control plane keeps running (and billing). The programs run
 * hibernated (`runsHibernated`, stacks/program-for.ts) and fix every pool at 0: EKS
 * `desiredSize` 0 (kaas owns it: no autoscaler runs on EKS), GKE `nodeCount` 0 without
 * autoscaling (its autoscaler keeps a node for system Pods); the wake's run restores autoscaling. AKS: the whole managed
 * cluster is stopped (`POST …/managedClusters/{name}/stop`), control plane and every node pool,
 * instead of the scale-down — the system pool cannot be scaled to 0 and "a stopped cluster can only
 * be started or deleted", so waking starts it before anything is applied
 * (https://learn.microsoft.com/azure/aks/start-stop-cluster). One table, shown by
 * `kaas clusters hibernate --help`, in plan output and in the README, and the rules of what a
 * stopped cluster allows.
 */
import type { Cloud, ClusterSpec } from './cluster-spec.ts';
import { DomainError } from './errors.ts';
import { withPoolSizes } from './pool-sizes.ts';

export interface CloudHibernation {
  /** Whether the cloud can stop (and bill nothing for) the control plane. */
  controlPlaneStop: boolean;
  /** What kaas does, and what still costs money. */
  note: string;
  /** Where the cloud documents it. */
  source: string;
}

export const CLOUD_HIBERNATION: Readonly<Record<Cloud, CloudHibernation>> = Object.freeze({
  aws: {
    controlPlaneStop: false,
    note: 'EKS cannot stop its control plane: node groups are set to desiredSize 0, the hourly control-plane fee is still charged',
    source: 'https://aws.amazon.com/eks/pricing/',
  },
  gcp: {
    controlPlaneStop: false,
    note: 'GKE has no control-plane stop: node pools are fixed at 0 nodes (autoscaling off until the wake), the cluster management fee is still charged',
    source: 'https://cloud.google.com/kubernetes-engine/pricing',
  },
  azure: {
    controlPlaneStop: true,
    note: 'AKS stops the whole cluster (control plane and node pools, no compute charges); wake starts it first; a stopped cluster can only be woken or deleted',
    source: 'https://learn.microsoft.com/azure/aks/start-stop-cluster',
  },
  sim: {
    controlPlaneStop: false,
    note: 'sim cloud: node pools scale to 0 through a normal update; the control plane is not simulated as stopped',
    source: 'stacks/ (the simulated cloud)',
  },
} satisfies Record<Cloud, CloudHibernation>);

/** One line per cloud, for help text and plan output. */
export function cloudHibernationLines(): string[] {
  return Object.entries(CLOUD_HIBERNATION).map(([cloud, h]) => `${cloud}: ${h.note}`);
}

/** One step of a hibernate or wake operation, in order. */
export type PowerStep = 'apply' | 'stop-control-plane' | 'start-control-plane';

/**
 * The steps of `action` on `cloud`: where the cloud can stop its control plane, hibernating is
 * the stop alone (no update: the stopped cluster keeps its pool sizes, and AKS refuses a system pool
 * at 0) and waking is the start, then the apply of the recorded spec; elsewhere both are one apply.
 */
export function powerSteps(cloud: Cloud, action: 'hibernate' | 'wake'): PowerStep[] {
  if (!CLOUD_HIBERNATION[cloud].controlPlaneStop) return ['apply'];
  return action === 'hibernate' ? ['stop-control-plane'] : ['start-control-plane', 'apply'];
}

/** The spec a hibernated cluster has: every pool at 0, or unchanged where the whole cluster is stopped instead. */
export function hibernatedSpec<S extends ClusterSpec>(cloud: Cloud, spec: S): S {
  return CLOUD_HIBERNATION[cloud].controlPlaneStop ? spec : withPoolSizes(spec, 'zero');
}

/**
 * Whether a cluster's program runs hibernated (every pool fixed at 0, stacks/program-for.ts): the
 * hibernate's own run and every later run while sizes are recorded (drift check, plan, reconcile,
 * delete), but not the wake's run, which restores the recorded sizes. Both the hibernate and the
 * wake write the recorded sizes when they are started, so the row alone would do; the operation's
 * own flag decides first so a run never depends on when the row was read.
 */
export function runsHibernated(recordedSizes: boolean, input: Readonly<Record<string, unknown>>): boolean {
  if (input['wake'] === true) return false;
  return input['hibernate'] === true || recordedSizes;
}

/** Whether a cluster's control plane is stopped by hibernation (hibernated on a cloud that stops it). */
export function controlPlaneStopped(cloud: Cloud, hibernated: boolean): boolean {
  return hibernated && CLOUD_HIBERNATION[cloud].controlPlaneStop;
}

/**
 * Why operation `kind` cannot start on a hibernated cluster, or undefined when it can.
 * - AKS (control plane stopped): a stopped AKS cluster can only be started or deleted, and its
 *   Kubernetes API server (addons, drift, health gates) is down: so only the wake (an `update` with
 *   `wake`), the hibernate that stops it, and `delete` (which starts the cluster first, to tear its
 *   addons down in order) may run.
 * - Every cloud: its node pools are at 0, so an upgrade or rollback would roll pools that have no
 *   nodes and gate on workloads that cannot run, and any other update would re-resolve the sizes
 *   and wake the pools without clearing the recorded sizes. Drift checks, plans, reconciles and
 *   deletes run hibernated (`runsHibernated`).
 */
export function hibernatedClusterRefusal(cloud: Cloud, cluster: { name: string; hibernated: boolean }, kind: string, input: Readonly<Record<string, unknown>>): DomainError | undefined {
  if (!cluster.hibernated) return undefined;
  // the hibernate itself sees the sizes it records (a retried stop is harmless: the worker reads the power state)
  const powerChange = kind === 'update' && (input['wake'] === true || input['hibernate'] === true);
  if (kind === 'delete' || powerChange) return undefined;
  const wake = `wake it first: \`kaas clusters wake ${cluster.name} --wait\``;
  if (controlPlaneStopped(cloud, cluster.hibernated)) {
    return new DomainError('PRECONDITION_FAILED', `cluster "${cluster.name}" is hibernated: its AKS cluster is stopped (control plane and nodes), and a stopped AKS cluster can only be started or deleted; ${kind === 'refresh' ? 'its drift cannot be checked' : `a ${kind === 'preview' ? 'plan' : kind} cannot run`} until it is woken`, {
      hint: `${wake} (https://learn.microsoft.com/azure/aks/start-stop-cluster)`,
    });
  }
  if (kind === 'upgrade' || kind === 'rollback' || kind === 'update') {
    return new DomainError('PRECONDITION_FAILED', `cluster "${cluster.name}" is hibernated (node pools at 0): ${kind === 'update' ? 'an update would wake its pools without clearing the recorded sizes' : `a ${kind} would roll node pools that have no nodes and gate on workloads that cannot run`}`, { hint: wake });
  }
  return undefined;
}
