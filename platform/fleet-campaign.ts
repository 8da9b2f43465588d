/**
 * Which clusters a fleet campaign may move, on top of `planWaves`: an upgrade campaign moves a
 * cluster behind the target through every minor in between (its upgrade plan chains the hops,
 * see upgrade-plan.ts), only when its cloud supports the target and every intermediate minor,
 * and only a cluster whose lifecycle allows the operation (a busy cluster is kept: the runner
 * waits for its running operation). A template-rollout campaign moves the clusters built
 * from an older version of one template; those whose overrides no longer resolve are skipped.
 */
import { canStart, isBusy, type ClusterStatus, type OperationKind } from './cluster-lifecycle.ts';
import { selectClusters, type FleetCluster, type FleetSelector } from './fleet-selector.ts';
import { planWaves, splitWaves, type Campaign, type Wave, type WavePlan, type WaveStrategy } from './fleet-waves.ts';
import { parsePatchRelease } from './kubernetes-patch.ts';
import { unsupportedHopsReason } from './upgrade-plan.ts';
import type { VersionRules } from './version-policy.ts';

/** A fleet cluster with the lifecycle facts planning needs. */
export interface FleetCandidate extends FleetCluster {
  status: string;
  /** The operation that left it `failed`, if it is. */
  failedOperation?: string | undefined;
}

/** Waves and skipped clusters of a campaign. */
export interface CampaignWaves {
  waves: Wave[];
  skipped: WavePlan['skipped'];
}

/** Why the lifecycle of `c` keeps it out of a campaign running `kind`, if it does. */
export function lifecycleSkipReason(c: FleetCandidate, kind: OperationKind): string | undefined {
  const status = c.status as ClusterStatus;
  if (isBusy(status)) return undefined;
  const state = c.failedOperation ? { status, failure: { operation: c.failedOperation as OperationKind, reason: '' } } : status;
  if (canStart(state, kind)) return undefined;
  return `cluster is ${status}${c.failedOperation ? ` (its ${c.failedOperation} failed)` : ''}; fix it first`;
}

/** Why an upgrade campaign to `target` cannot move `c`, an older cluster (already-at and newer are planWaves' own). */
export function upgradeSkipReason(c: FleetCandidate, target: string, policy: VersionRules): string | undefined {
  const unreachable = unsupportedHopsReason(c.cloud, c.version, target, policy);
  if (unreachable) return `at ${c.version}: ${unreachable}`;
  if (!policy[c.cloud].supported.includes(target)) return `${target} is not supported on ${c.cloud} (supported: ${policy[c.cloud].supported.join(', ')})`;
  return lifecycleSkipReason(c, 'upgrade');
}

/** Plans an upgrade campaign: `planWaves`, leaving out the clusters it cannot move (with the reason). */
export function planUpgradeCampaign(candidates: readonly FleetCandidate[], campaign: Campaign, policy: VersionRules): CampaignWaves {
  const { waves, skipped } = planWaves(candidates, campaign, (c) => upgradeSkipReason(c, campaign.targetVersion, policy));
  return { waves, skipped };
}

/**
 * Plans a patch campaign to `release` (a `patch` channel's proposal): the selected clusters at
 * the release's minor, split into waves; a cluster at another minor is skipped (a patch never
 * changes the minor). EKS clusters stay in: their campaign step counts them done, since EKS
 * applies patches itself (platform/kubernetes-patch.ts).
 */
export function planPatchCampaign(candidates: readonly FleetCandidate[], selector: FleetSelector, strategy: WaveStrategy, release: string): CampaignWaves {
  const minor = parsePatchRelease(release)?.minor;
  const skipped: WavePlan['skipped'] = [];
  const todo: FleetCandidate[] = [];
  for (const c of selectClusters(selector, candidates)) {
    const reason = c.version !== minor ? `at ${c.version}: ${release} is a patch of another minor; a patch never changes the minor` : lifecycleSkipReason(c, 'upgrade');
    if (reason !== undefined) skipped.push({ id: c.id, reason });
    else todo.push(c);
  }
  return { waves: splitWaves(strategy, todo, candidates, skipped), skipped };
}

/** What a template rollout moves: `template` (a name) to version `toVersion`. */
export interface RolloutTarget {
  template: string;
  toVersion: number;
  /** Only clusters built from exactly this version. */
  fromVersion?: number | undefined;
}

/** The template version a cluster was built from, when it was built from `name`. */
export function templateVersionOf(c: FleetCluster, name: string): number | undefined {
  const [n, v] = (c.template ?? '').split('@');
  return n === name && v !== undefined ? Number(v) : undefined;
}

/**
 * Plans a template rollout: the selected clusters built from an older version of the template
 * (or exactly `fromVersion`), split into waves; `problems` names clusters whose overrides do not
 * resolve against the new version, which are skipped with that reason.
 */
export function planRolloutCampaign(
  candidates: readonly FleetCandidate[],
  selector: FleetSelector,
  strategy: WaveStrategy,
  rollout: RolloutTarget,
  problems: ReadonlyMap<string, string>,
): CampaignWaves {
  const skipped: WavePlan['skipped'] = [];
  const todo: FleetCandidate[] = [];
  for (const c of selectClusters({ ...selector, template: rollout.template }, candidates)) {
    const version = templateVersionOf(c, rollout.template)!;
    const reason =
      rollout.fromVersion !== undefined && version !== rollout.fromVersion
        ? `built from ${c.template}, not ${rollout.template}@${rollout.fromVersion}`
        : version >= rollout.toVersion
          ? `already built from ${c.template}`
          : (problems.get(c.id) ?? lifecycleSkipReason(c, 'update'));
    if (reason !== undefined) skipped.push({ id: c.id, reason });
    else todo.push(c);
  }
  return { waves: splitWaves(strategy, todo, candidates, skipped), skipped };
}
