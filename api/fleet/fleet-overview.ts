/**
 * `fleet.overview`: the fleet's live clusters in aggregate — counts per cloud and Kubernetes
 * minor (with the support phase today and how many minors each is behind the cloud's newest
 * available one), per status, per support phase, and the operations queued or running by kind.
 * Three SQL group-bys over the whole fleet (or one team's part of it), so the picture is of
 * every cluster, not of the newest page a browser could load.
 */
import { sql } from 'kysely';
import { CLOUDS, type Cloud } from '../../platform/cluster-spec.ts';
import { minorDistance } from '../../platform/kubernetes-version.ts';
import { availableVersions, supportPhase, type SupportPhase } from '../../platform/version-policy.ts';
import type { DbOrTx } from '../db/schema.ts';
import { utcDate, VERSION_CALENDAR } from '../versions/version-rules.ts';

/** One cloud and minor of the fleet. */
export interface VersionCount {
  cloud: string;
  version: string;
  clusters: number;
  /** The minor's support phase today; null for a cloud the calendar does not know. */
  phase: SupportPhase | null;
  /** Minors behind the newest available one on that cloud (0 when current or unknown). */
  minorsBehind: number;
}

export interface FleetOverview {
  /** The team it covers; null for every team. */
  team: string | null;
  total: number;
  versions: VersionCount[];
  statuses: { status: string; clusters: number }[];
  support: { standard: number; extended: number; endOfSupport: number; other: number };
  runningOperations: { kind: string; status: string; operations: number }[];
}

const isCloud = (c: string): c is Cloud => (CLOUDS as readonly string[]).includes(c);

/** The overview of `teamId`'s live clusters, or of every team's when undefined, on `now`'s date. */
export async function fleetOverview(db: DbOrTx, teamId: string | undefined, now: Date = new Date()): Promise<Omit<FleetOverview, 'team'>> {
  const on = utcDate(now);
  let live = db.selectFrom('clusters').where('clusters.deleted_at', 'is', null);
  if (teamId !== undefined) live = live.where('clusters.team_id', '=', teamId);
  const [versionRows, statusRows, operationRows] = await Promise.all([
    live
      .innerJoin('targets', 'targets.id', 'clusters.target_id')
      .select(['targets.cloud', 'clusters.kubernetes_version', sql<string>`count(*)`.as('n')])
      .groupBy(['targets.cloud', 'clusters.kubernetes_version'])
      .execute(),
    live.select(['clusters.status', sql<string>`count(*)`.as('n')]).groupBy('clusters.status').execute(),
    live
      .innerJoin('operations', 'operations.cluster_id', 'clusters.id')
      .where('operations.status', 'in', ['queued', 'running'])
      .select(['operations.kind', 'operations.status', sql<string>`count(*)`.as('n')])
      .groupBy(['operations.kind', 'operations.status'])
      .execute(),
  ]);
  const support = { standard: 0, extended: 0, endOfSupport: 0, other: 0 };
  const versions = versionRows.map((r): VersionCount => {
    const clusters = Number(r.n);
    if (!isCloud(r.cloud)) {
      support.other += clusters;
      return { cloud: r.cloud, version: r.kubernetes_version, clusters, phase: null, minorsBehind: 0 };
    }
    const phase = supportPhase(VERSION_CALENDAR, r.cloud, r.kubernetes_version, on);
    if (phase === 'standard') support.standard += clusters;
    else if (phase === 'extended') support.extended += clusters;
    else if (phase === 'end-of-support') support.endOfSupport += clusters;
    else support.other += clusters;
    const newest = availableVersions(VERSION_CALENDAR, r.cloud, on).at(-1);
    const behind = newest ? minorDistance(r.kubernetes_version, newest) : 0;
    return { cloud: r.cloud, version: r.kubernetes_version, clusters, phase, minorsBehind: Number.isFinite(behind) ? Math.max(0, behind) : 0 };
  });
  versions.sort((a, b) => a.cloud.localeCompare(b.cloud) || b.minorsBehind - a.minorsBehind || a.version.localeCompare(b.version));
  const statuses = statusRows.map((r) => ({ status: r.status, clusters: Number(r.n) })).sort((a, b) => b.clusters - a.clusters || a.status.localeCompare(b.status));
  const runningOperations = operationRows.map((r) => ({ kind: r.kind, status: r.status, operations: Number(r.n) })).sort((a, b) => b.operations - a.operations || a.kind.localeCompare(b.kind));
  return { total: statuses.reduce((n, s) => n + s.clusters, 0), versions, statuses, support, runningOperations };
}
