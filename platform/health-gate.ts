/**
 * Health gates: after every control-plane or node-pool step of an upgrade (and so before a fleet
 * cluster counts as done) the cluster must show, within a timeout:
 *
 * - `api-server`: the API server answers `/version` at the control-plane minor just applied (and
 *   at its pinned patch release after a patch step);
 * - `nodes-ready`: every node is Ready and its kubelet runs its pool's expected minor (and pinned patch);
 * - `addons-rolled-out`: every addon / system workload has all replicas updated and ready;
 * - `system-pods`: no system pod is crash-looping;
 * - the template's own checks (`upgrade.checks`): Prometheus instant queries compared with a
 *   bound (`prometheus:<name>`), and Jobs that must succeed (`job:<name>`, run once the rest pass).
 *
 * The rules are pure; the signals come from a `ClusterProbe` and the clock and sleep are injected.
 */
import type { ClusterSpec } from './cluster-spec.ts';
import type { ClusterHealthSignals, ClusterProbe, JobCheck } from './cluster-probe.ts';
import { physicalPools } from './pool-generation.ts';

/** A Prometheus query whose scalar result must stay within bounds. */
export interface PrometheusCheck {
  name: string;
  query: string;
  /** The value must be at most this. */
  max?: number | undefined;
  /** The value must be at least this. */
  min?: number | undefined;
}

/** Upgrade settings a template (or cluster) declares: gate timeout and user checks. */
export interface UpgradeSettings {
  /** How long each gate may take to pass, in seconds (default `DEFAULT_GATE_TIMEOUT_SECONDS`). */
  gateTimeoutSeconds?: number | undefined;
  checks?: { prometheus?: PrometheusCheck[] | undefined; jobs?: JobCheck[] | undefined } | undefined;
  /** How long the old generation of a blue-green pool is kept for rollback, in hours (platform/blue-green-plan.ts). */
  rollbackWindowHours?: number | undefined;
}

export const DEFAULT_GATE_TIMEOUT_SECONDS = 600;

/** The versions a gate expects: the control plane and each pool (minors), and any patch pins. */
export interface HealthExpectation {
  controlPlane: string;
  pools: Record<string, string>;
  /** The patch release the control plane is pinned to (a patch campaign's, platform/patch-plan.ts). */
  controlPlanePatch?: string | undefined;
  /** Per physical pool: the patch release it is pinned to. */
  poolPatches?: Record<string, string> | undefined;
}

/** The result of one check of one gate. */
export interface GateCheckResult {
  check: string;
  ok: boolean;
  message: string;
}

/** The outcome of one gate. */
export interface GateOutcome {
  passed: boolean;
  results: GateCheckResult[];
  /** How long the gate took, ms (its own cost). */
  elapsedMs: number;
  attempts: number;
}

/** The names of the built-in checks, in the order they are evaluated. */
export const BUILT_IN_CHECKS = ['api-server', 'nodes-ready', 'addons-rolled-out', 'system-pods'] as const;

const CRASHING = new Set(['CrashLoopBackOff', 'ImagePullBackOff', 'ErrImagePull', 'CreateContainerConfigError', 'CreateContainerError']);

/** `v1.33.4-eks-abc` → `1.33`; undefined when it is not a Kubernetes version. */
export function minorOfGitVersion(gitVersion: string | undefined): string | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(gitVersion ?? '');
  return m ? `${Number(m[1])}.${Number(m[2])}` : undefined;
}

/** What the gate after a step expects of `spec` (the spec that step produced), per cloud pool (blue-green generations apart). */
export function expectationOf(spec: ClusterSpec): HealthExpectation {
  const pools: Record<string, string> = Object.create(null);
  const poolPatches: Record<string, string> = Object.create(null);
  for (const p of physicalPools(spec)) {
    pools[p.name] = p.kubernetesVersion ?? spec.kubernetesVersion;
    if (p.kubernetesPatch !== undefined) poolPatches[p.name] = p.kubernetesPatch;
  }
  return { controlPlane: spec.kubernetesVersion, pools, ...(spec.kubernetesPatch === undefined ? {} : { controlPlanePatch: spec.kubernetesPatch }), ...(Object.keys(poolPatches).length ? { poolPatches } : {}) };
}

/** Whether `gitVersion` (`v1.33.5`, `v1.33.5-gke.1080000`, `v1.33.5-sim`) is patch release `release`. */
export function runsPatch(gitVersion: string | undefined, release: string): boolean {
  const v = (gitVersion ?? '').replace(/^v/, '');
  return v === release || (v.startsWith(release) && /^[-+]/.test(v.slice(release.length)));
}

function list(items: string[], max = 5): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

/** Evaluates the built-in checks on one snapshot. */
export function evaluateHealth(signals: ClusterHealthSignals, expected: HealthExpectation): GateCheckResult[] {
  const results: GateCheckResult[] = [];
  const api = signals.apiServer;
  const apiMinor = minorOfGitVersion(api.gitVersion);
  if (!api.reachable) results.push({ check: 'api-server', ok: false, message: `API server unreachable: ${api.error ?? 'no answer'}` });
  else if (apiMinor !== expected.controlPlane) results.push({ check: 'api-server', ok: false, message: `API server reports ${api.gitVersion ?? 'no version'}, expected ${expected.controlPlane}` });
  else if (expected.controlPlanePatch !== undefined && !runsPatch(api.gitVersion, expected.controlPlanePatch)) {
    results.push({ check: 'api-server', ok: false, message: `API server reports ${api.gitVersion ?? 'no version'}, expected patch ${expected.controlPlanePatch}` });
  }
  else results.push({ check: 'api-server', ok: true, message: `API server at ${api.gitVersion}` });

  if (!api.reachable) {
    for (const check of BUILT_IN_CHECKS.slice(1)) results.push({ check, ok: false, message: 'not read: the API server is unreachable' });
    return results;
  }
  const notReady = signals.nodes.filter((n) => !n.ready).map((n) => n.name);
  const patchOf = (pool: string | undefined) => (pool === undefined ? undefined : expected.poolPatches?.[pool]);
  const wrongVersion = signals.nodes
    .filter((n) => n.ready && n.pool !== undefined && expected.pools[n.pool] !== undefined && (minorOfGitVersion(n.kubeletVersion) !== expected.pools[n.pool] || (patchOf(n.pool) !== undefined && !runsPatch(n.kubeletVersion, patchOf(n.pool)!))))
    .map((n) => `${n.name} (${n.kubeletVersion}, expected ${patchOf(n.pool) ?? expected.pools[n.pool!]})`);
  const newer = signals.nodes.filter((n) => n.ready && (n.pool === undefined || expected.pools[n.pool] === undefined) && compareMinor(minorOfGitVersion(n.kubeletVersion), expected.controlPlane) > 0).map((n) => n.name);
  const nodeProblems = [
    ...(notReady.length ? [`not Ready: ${list(notReady)}`] : []),
    ...(wrongVersion.length ? [`at the wrong version: ${list(wrongVersion)}`] : []),
    ...(newer.length ? [`newer than the control plane: ${list(newer)}`] : []),
  ];
  results.push(nodeProblems.length ? { check: 'nodes-ready', ok: false, message: `nodes ${nodeProblems.join('; ')}` } : { check: 'nodes-ready', ok: true, message: `${signals.nodes.length} node(s) Ready at the expected versions` });

  const notRolled = signals.workloads.filter((w) => w.updated < w.desired || w.ready < w.desired).map((w) => `${w.kind} ${w.namespace}/${w.name} (${w.ready}/${w.desired} ready, ${w.updated} updated)`);
  results.push(notRolled.length ? { check: 'addons-rolled-out', ok: false, message: `not rolled out: ${list(notRolled)}` } : { check: 'addons-rolled-out', ok: true, message: `${signals.workloads.length} workload(s) rolled out` });

  const crashing = signals.systemPods.filter((p) => p.waitingReason !== undefined && CRASHING.has(p.waitingReason)).map((p) => `${p.namespace}/${p.name} (${p.waitingReason}, ${p.restarts} restarts)`);
  results.push(crashing.length ? { check: 'system-pods', ok: false, message: `crash-looping: ${list(crashing)}` } : { check: 'system-pods', ok: true, message: `${signals.systemPods.length} system pod(s) running` });
  return results;
}

function compareMinor(a: string | undefined, b: string): number {
  if (a === undefined) return 0;
  const [am, an] = a.split('.').map(Number);
  const [bm, bn] = b.split('.').map(Number);
  return am! - bm! || an! - bn!;
}

/** Whether a Prometheus value satisfies `check`. */
export function evaluatePrometheus(check: PrometheusCheck, value: number | undefined): GateCheckResult {
  const check_ = `prometheus:${check.name}`;
  if (value === undefined || Number.isNaN(value)) return { check: check_, ok: false, message: `${check.query} returned no sample` };
  if (check.max !== undefined && value > check.max) return { check: check_, ok: false, message: `${check.query} = ${value}, above the threshold ${check.max}` };
  if (check.min !== undefined && value < check.min) return { check: check_, ok: false, message: `${check.query} = ${value}, below the threshold ${check.min}` };
  return { check: check_, ok: true, message: `${check.query} = ${value}` };
}

/** The check names a gate runs for `settings` (for plans: what will be checked). */
export function gateCheckNames(settings: UpgradeSettings | undefined): string[] {
  return [...BUILT_IN_CHECKS, ...(settings?.checks?.prometheus ?? []).map((c) => `prometheus:${c.name}`), ...(settings?.checks?.jobs ?? []).map((j) => `job:${j.name}`)];
}

/** Clock and sleep of a gate, injectable. */
export interface GateClock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * Polls `probe` every `intervalMs` until every built-in and Prometheus check passes, then runs the
 * Jobs once; gives up at the timeout with the last results. A probe error counts as a failed
 * read of the API server and is retried like any other failure.
 */
export async function runHealthGate(
  probe: ClusterProbe,
  expected: HealthExpectation,
  settings: UpgradeSettings | undefined,
  opts: { clock: GateClock; intervalMs?: number; signal?: AbortSignal },
): Promise<GateOutcome> {
  const { clock } = opts;
  const start = clock.now();
  const timeoutMs = (settings?.gateTimeoutSeconds ?? DEFAULT_GATE_TIMEOUT_SECONDS) * 1000;
  const interval = opts.intervalMs ?? 2000;
  let attempts = 0;
  for (;;) {
    attempts += 1;
    let results: GateCheckResult[];
    try {
      results = evaluateHealth(await probe.signals(), expected);
      for (const check of settings?.checks?.prometheus ?? []) {
        let value: number | undefined;
        try {
          value = await probe.prometheus(check.query);
        } catch (err) {
          results.push({ check: `prometheus:${check.name}`, ok: false, message: `query failed: ${err instanceof Error ? err.message : String(err)}` });
          continue;
        }
        results.push(evaluatePrometheus(check, value));
      }
    } catch (err) {
      results = [{ check: 'api-server', ok: false, message: `API server unreachable: ${err instanceof Error ? err.message : String(err)}` }];
    }
    if (results.every((r) => r.ok)) {
      for (const job of settings?.checks?.jobs ?? []) {
        const run = await probe.runJob(job, opts.signal).catch((err: unknown) => ({ succeeded: false, message: err instanceof Error ? err.message : String(err) }));
        results.push({ check: `job:${job.name}`, ok: run.succeeded, message: run.message });
      }
      return { passed: results.every((r) => r.ok), results, elapsedMs: clock.now() - start, attempts };
    }
    if (opts.signal?.aborted || clock.now() - start + interval > timeoutMs) return { passed: false, results, elapsedMs: clock.now() - start, attempts };
    await clock.sleep(interval, opts.signal);
  }
}

/** One line naming every failing check of a gate: `system-pods: crash-looping: …; nodes-ready: …`. */
export function gateFailureText(outcome: GateOutcome): string {
  return outcome.results.filter((r) => !r.ok).map((r) => `${r.check}: ${r.message}`).join('; ');
}
