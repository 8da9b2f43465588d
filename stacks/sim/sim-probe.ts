/**
 * The sim cloud's `ClusterProbe`: the signals a real cluster's Kubernetes API would give, derived
 * from the cluster's documents under `<cloudDir>/resources` — the API server at the control-plane
 * document's version, `desiredSize` Ready nodes per pool at the pool document's version, one
 * rolled-out Deployment per addon plus CoreDNS and kube-proxy, healthy system pods — with faults
 * injected from `<cloudDir>/faults.json` (`SimProbeFaults`), read on every call so tests can change
 * them while the platform runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BlockingPdb, ClusterHealthSignals, ClusterProbe, DeprecatedApiInUse, NodeSignal, PodSignal, PreflightFindings, SurgeCapacity, WorkloadSignal } from '../../platform/cluster-probe.ts';
import { clusterTagKey } from '../../platform/cluster-tag.ts';
import { compareMinorVersions } from '../../platform/kubernetes-version.ts';
import { oneAtATime, surgeCapacities } from '../../platform/surge-quota.ts';

/** Health faults: `unhealthy-after-upgrade` crash-loops CoreDNS; `node-not-ready` makes a pool's nodes NotReady. */
export interface SimHealthFault {
  clusterId?: string;
  effect: 'unhealthy-after-upgrade' | 'node-not-ready';
  /** `node-not-ready`: only this pool (default: every pool). */
  pool?: string;
  /** Active only once the control plane is newer than this minor (default: always). */
  afterVersion?: string;
}

/** The probe's part of `faults.json`. */
export interface SimProbeFaults {
  health?: SimHealthFault[];
  /** Injectable preflight findings per cluster. */
  preflight?: ({ clusterId?: string } & Partial<PreflightFindings>)[];
  /**
   * The sim cloud's quota: extra nodes it can give a cluster now. With it, preflight answers each
   * rolled pool's surge demand (maxSurge; a blue-green pool's whole new generation) against it,
   * through the same arithmetic as the real clouds' quotas (platform/surge-quota.ts).
   */
  surgeCapacity?: { clusterId?: string; nodes: number }[];
  /** Values of Prometheus queries (`query` matched exactly). */
  metrics?: { clusterId?: string; query: string; value: number }[];
  /** Outcomes of user check Jobs (default: they succeed). */
  jobs?: { clusterId?: string; name: string; succeeded: boolean; message?: string }[];
}

interface SimDoc {
  kind: string;
  name: string;
  tags: Record<string, string>;
  properties: Record<string, unknown>;
}

/** The version a sim document reports: its pinned patch release, else patch 0 of its minor. */
function simGitVersion(properties: Record<string, unknown>): string {
  return typeof properties.kubernetesPatch === 'string' ? `v${properties.kubernetesPatch}-sim` : `v${String(properties.kubernetesVersion)}.0-sim`;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** The probe of sim cluster `clusterId` in the sim cloud at `cloudDir`. */
export function simClusterProbe(cloudDir: string, clusterId: string): ClusterProbe {
  const tag = clusterTagKey('sim');
  const mine = <T extends { clusterId?: string }>(items: T[] | undefined) => (items ?? []).filter((f) => f.clusterId === undefined || f.clusterId === clusterId);
  const faults = (): SimProbeFaults => (readJson(path.join(cloudDir, 'faults.json')) as SimProbeFaults | undefined) ?? {};
  const docs = (kind: string): SimDoc[] => {
    const dir = path.join(cloudDir, 'resources', kind);
    if (!fs.existsSync(dir)) return [];
    return fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => readJson(path.join(dir, f)) as SimDoc | undefined)
      .filter((d): d is SimDoc => d !== undefined && d.tags?.[tag] === clusterId)
      .sort((a, b) => a.name.localeCompare(b.name));
  };

  return {
    async signals(): Promise<ClusterHealthSignals> {
      const cluster = docs('cluster')[0];
      if (!cluster) return { apiServer: { reachable: false, error: `sim: no control plane for cluster ${clusterId}` }, nodes: [], workloads: [], systemPods: [] };
      const cp = String(cluster.properties.kubernetesVersion);
      const active = mine(faults().health).filter((f) => f.afterVersion === undefined || compareMinorVersions(cp, f.afterVersion) > 0);
      const nodes: NodeSignal[] = docs('nodepool').flatMap((pool) =>
        Array.from({ length: Number(pool.properties.desiredSize ?? 0) }, (_, i) => ({
          name: `${pool.name}-${i}`,
          pool: pool.name,
          ready: !active.some((f) => f.effect === 'node-not-ready' && (f.pool === undefined || f.pool === pool.name)),
          kubeletVersion: simGitVersion(pool.properties),
        })),
      );
      const crashing = active.some((f) => f.effect === 'unhealthy-after-upgrade');
      const workloads: WorkloadSignal[] = [
        { kind: 'Deployment', namespace: 'kube-system', name: 'coredns', desired: 2, updated: 2, ready: crashing ? 0 : 2 },
        { kind: 'DaemonSet', namespace: 'kube-system', name: 'kube-proxy', desired: nodes.length, updated: nodes.length, ready: nodes.filter((n) => n.ready).length },
        ...docs('addon').map((a) => ({ kind: 'Deployment' as const, namespace: 'kaas-addons', name: a.name, desired: 1, updated: 1, ready: 1 })),
      ];
      const systemPods: PodSignal[] = [0, 1].map((i) => ({ namespace: 'kube-system', name: `coredns-${i}`, restarts: crashing ? 5 : 0, ...(crashing ? { waitingReason: 'CrashLoopBackOff' } : {}) }));
      return { apiServer: { reachable: true, gitVersion: simGitVersion(cluster.properties) }, nodes, workloads, systemPods };
    },

    async prometheus(query: string): Promise<number | undefined> {
      return mine(faults().metrics).find((m) => m.query === query)?.value;
    },

    async runJob(check) {
      const outcome = mine(faults().jobs).find((j) => j.name === check.name);
      if (!outcome || outcome.succeeded) return { succeeded: true, message: `job ${check.namespace}/${check.name} completed` };
      return { succeeded: false, message: outcome.message ?? `job ${check.namespace}/${check.name} failed` };
    },

    async preflight(_nextMinor, _pools, demands = []): Promise<PreflightFindings> {
      const all = faults();
      const found = mine(all.preflight);
      const capacity = mine(all.surgeCapacity)[0];
      const quota = capacity
        ? surgeCapacities(oneAtATime(demands), new Map(demands.map((d) => [d.machineType, { vcpus: 1, buckets: ['sim'] }])), [{ id: 'sim', label: 'sim cloud capacity', limit: capacity.nodes, usage: 0, unit: 'nodes' }]).surge
        : [];
      return {
        deprecatedApis: found.flatMap((f) => f.deprecatedApis ?? []).map((a): DeprecatedApiInUse => ({ ...a, source: a.source ?? 'sim' })),
        blockingPdbs: found.flatMap((f): BlockingPdb[] => f.blockingPdbs ?? []),
        surge: [...found.flatMap((f): SurgeCapacity[] => f.surge ?? []), ...quota],
        warnings: found.flatMap((f) => f.warnings ?? []),
      };
    },
  };
}
