/** What the API returns for clusters and operations, built from rows by one mapper each. */
import { CLOUDS, type Cloud, type ClusterSpec } from '../../platform/cluster-spec.ts';
import { versionWarning, type VersionWarning } from '../../platform/version-policy.ts';
import type { ClusterRow, OperationRow } from '../db/schema.ts';
import { utcDate, VERSION_CALENDAR } from '../versions/version-rules.ts';

export interface Cluster {
  id: string;
  name: string;
  team: string;
  target: string;
  cloud: string;
  template: string | null;
  status: string;
  statusReason: string | null;
  kubernetesVersion: string;
  /** The control-plane patch release a patch campaign pinned (`1.33.5`); null: the cloud's pick for the minor. */
  kubernetesPatch: string | null;
  /** Set when the control plane's minor is in extended support (extra cost) or past end of support today. */
  versionWarning: VersionWarning | null;
  nodeCount: number;
  /** True for clusters on the simulated `sim` cloud. */
  simulated: boolean;
  spec: ClusterSpec;
  overrides: Record<string, string>;
  /** Non-secret stack outputs (secret ones, like the kubeconfig, read with `kubeconfig`). */
  outputs: Record<string, unknown>;
  drift: unknown;
  labels: Record<string, string>;
  /** When the platform deletes the cluster (its time-to-live, platform/ttl.ts); null: never. */
  expiresAt: string | null;
  /** Its own hibernation schedule (null: the template's, if any). */
  hibernation: unknown;
  /** True while hibernated (node pools at zero, sizes recorded to restore). */
  hibernated: boolean;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
}

export interface Operation {
  id: string;
  clusterId: string;
  kind: string;
  status: string;
  step: string | null;
  /** Upgrades: the plan step reached (0-based; the step count once done). */
  stepIndex: number | null;
  actor: string;
  requestId: string;
  input: Record<string, unknown>;
  result: unknown;
  error: string | null;
  attempts: number;
  eventCount: number;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The version warning of a live cluster on `cloud` at `version` today (none once deleted). */
export function clusterVersionWarning(cloud: string, version: string, deleted: boolean, now: Date = new Date()): VersionWarning | null {
  if (deleted || !(CLOUDS as readonly string[]).includes(cloud)) return null;
  return versionWarning(VERSION_CALENDAR, cloud as Cloud, version, utcDate(now)) ?? null;
}

export function clusterRowToCluster(row: ClusterRow, names: { team: string; target: string; cloud: string }): Cluster {
  return {
    id: row.id,
    name: row.name,
    team: names.team,
    target: names.target,
    cloud: names.cloud,
    template: row.template,
    status: row.status,
    statusReason: row.status_reason,
    kubernetesVersion: row.kubernetes_version,
    kubernetesPatch: (row.spec as ClusterSpec).kubernetesPatch ?? null,
    versionWarning: clusterVersionWarning(names.cloud, row.kubernetes_version, row.deleted_at !== null),
    nodeCount: row.node_count,
    simulated: names.cloud === 'sim',
    spec: row.spec as ClusterSpec,
    overrides: row.overrides,
    outputs: row.outputs,
    drift: row.drift,
    labels: row.labels,
    expiresAt: iso(row.expires_at),
    hibernation: row.hibernation ?? null,
    hibernated: row.hibernated_sizes !== null,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    deletedAt: iso(row.deleted_at),
  };
}

export function operationRowToOperation(row: OperationRow): Operation {
  return {
    id: row.id,
    clusterId: row.cluster_id,
    kind: row.kind,
    status: row.status,
    step: row.step,
    stepIndex: row.step_index,
    actor: row.actor,
    requestId: row.request_id,
    input: row.input,
    result: row.result,
    error: row.error,
    attempts: row.attempts,
    eventCount: row.event_count,
    createdAt: row.created_at.toISOString(),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
  };
}
