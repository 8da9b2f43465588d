/**
 * Upgrade preflight: before each hop of a plan, what would make it fail or stall.
 *
 * - `deprecated-api`: an API the cluster's clients still request is removed in the minor the
 *   control plane moves to (the API server's `apiserver_requested_deprecated_apis` gauge, whose
 *   `removed_release` label names that minor —
 *   https://kubernetes.io/docs/reference/using-api/deprecation-guide/ and
 *   https://kubernetes.io/blog/2020/09/03/warnings/#deprecation-warnings; EKS upgrade insights,
 *   https://docs.aws.amazon.com/eks/latest/userguide/cluster-insights.html; GKE deprecation
 *   insights, https://cloud.google.com/kubernetes-engine/docs/deprecations/viewing-deprecation-insights).
 * - `pod-disruption-budget`: a PDB allowing no disruption now, when the hop drains a pool
 *   (an eviction it does not allow is refused, so the drain stalls —
 *   https://kubernetes.io/docs/concepts/scheduling-eviction/api-eviction/).
 * - `surge-capacity`: a pool the hop rolls cannot get its surge nodes (a blue-green pool: its whole
 *   new generation) from the cloud's quota now (platform/surge-quota.ts). A quota that could not
 *   be read is a warning (`preflightWarnings`), shown but never blocking.
 *
 * A blocked hop is not started; the operation stops `needs_approval` with every reason, and only
 * a forced run, approved by someone other than its requester, goes on (see
 * api/clusters/upgrade-cluster.ts and platform/approval-policy.ts).
 */
import type { PreflightFindings, PreflightWarning } from './cluster-probe.ts';
import { compareMinorVersions, isMinorVersion } from './kubernetes-version.ts';
import type { UpgradePlan } from './upgrade-plan.ts';

/** One reason a hop is blocked. */
export interface PreflightBlocker {
  check: 'deprecated-api' | 'pod-disruption-budget' | 'surge-capacity';
  message: string;
}

/** Where in a plan preflight runs: before `stepIndex`, for the control plane moving to `nextMinor` and the pools drained until the next hop. */
export interface PreflightPoint {
  stepIndex: number;
  nextMinor: string;
  pools: string[];
}

/**
 * The preflight points of `plan`: one per hop (the forced pool rolls before a control-plane step
 * belong to its hop) and one before the final pool rolls.
 */
export function preflightPoints(plan: UpgradePlan): PreflightPoint[] {
  const points: PreflightPoint[] = [];
  plan.steps.forEach((step, i) => {
    const prev = plan.steps[i - 1];
    const starts = i === 0 || (step.kind === 'node-pool' && prev?.kind !== 'node-pool') || (step.kind === 'control-plane' && prev?.kind !== 'node-pool');
    if (starts) points.push({ stepIndex: i, nextMinor: plan.to, pools: [] });
    const point = points.at(-1)!;
    if (step.kind === 'control-plane') point.nextMinor = step.to;
    if (step.kind === 'node-pool' && !point.pools.includes(step.pool)) point.pools.push(step.pool);
  });
  return points;
}

/** Every reason the hop of `point` is blocked by `findings`; empty when it may go. */
export function preflightBlockers(findings: PreflightFindings, point: Pick<PreflightPoint, 'nextMinor' | 'pools'>): PreflightBlocker[] {
  const blockers: PreflightBlocker[] = [];
  for (const api of findings.deprecatedApis) {
    const removed = api.removedRelease !== undefined && isMinorVersion(api.removedRelease) ? api.removedRelease : undefined;
    // a removal release after the next minor is a warning for later hops, not a blocker now
    if (removed !== undefined && compareMinorVersions(removed, point.nextMinor) > 0) continue;
    const gv = api.group ? `${api.group}/${api.version}` : api.version;
    blockers.push({
      check: 'deprecated-api',
      message: `${gv} ${api.resource} is still requested and ${removed ? `removed in ${removed}` : `flagged for ${point.nextMinor}`} (${api.source}); move its clients to the replacement API first`,
    });
  }
  if (point.pools.length > 0) {
    for (const pdb of findings.blockingPdbs) {
      blockers.push({ check: 'pod-disruption-budget', message: `PodDisruptionBudget ${pdb.namespace}/${pdb.name} allows ${pdb.disruptionsAllowed} disruption(s) now, so draining ${point.pools.join(', ')} would stall; scale the workload up or relax the budget` });
    }
    for (const s of findings.surge) {
      if (point.pools.includes(s.pool) && s.available < s.needed) {
        blockers.push({ check: 'surge-capacity', message: `node pool ${s.pool} needs ${s.needed} surge node(s) to roll, but only ${s.available} can be added (${s.quota ?? 'quota or capacity'}); raise the quota or lower maxSurge` });
      }
    }
  }
  return blockers;
}

/** The checks preflight could not read for `point` (warnings, never blocking); surge warnings only when the hop rolls pools. */
export function preflightWarnings(findings: PreflightFindings, point: Pick<PreflightPoint, 'pools'>): PreflightWarning[] {
  return (findings.warnings ?? []).filter((w) => w.check !== 'surge-capacity' || point.pools.length > 0);
}
