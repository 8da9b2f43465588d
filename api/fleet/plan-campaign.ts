/**
 * `fleet.plan` (and the first half of `fleet.start`): which cluster goes in which wave and which
 * are skipped, with reasons. Nothing is stored. Upgrade plans read only the fleet inventory (one
 * query); rollout plans also re-resolve each candidate against the new template version.
 */
import { campaignCapacity, type CampaignCapacity } from '../../platform/fleet-capacity.ts';
import { planPatchCampaign, planRolloutCampaign, planUpgradeCampaign, type CampaignWaves, type FleetCandidate } from '../../platform/fleet-campaign.ts';
import { compareMinorVersions } from '../../platform/kubernetes-version.ts';
import type { MaintenanceWindow } from '../../platform/maintenance-window.ts';
import { hopsBetween } from '../../platform/upgrade-plan.ts';
import { currentVersionRules } from '../versions/version-rules.ts';
import type { DbOrTx } from '../db/schema.ts';
import type { LiveCapacity } from './campaign-capacity.ts';
import type { CampaignPlanInput } from './campaign-input.ts';
import { loadFleet } from './fleet-inventory.ts';
import { clustersOfTemplate, resolveForRollout, rolloutTemplate } from './rollout-resolution.ts';

/** One cluster of a plan, as shown to the operator. */
export interface PlannedCluster {
  id: string;
  name: string;
  team: string;
  version: string;
  template: string | null;
  maintenanceWindow: MaintenanceWindow | null;
  /** Upgrade campaigns: the control-plane minors the cluster passes through, ending at the target (empty when not moving). */
  hops: string[];
}

/** The plan of a campaign. */
export interface CampaignPlan {
  kind: CampaignPlanInput['kind'];
  /** `1.34` for upgrades, `name@version` for template rollouts. */
  target: string;
  waves: { name: string; clusters: PlannedCluster[] }[];
  skipped: (PlannedCluster & { reason: string })[];
  /** Clusters that will be moved (the sum over waves). */
  total: number;
  /** `maxParallel` against the live workers' slots, with a note when fewer will run at once. */
  capacity: CampaignCapacity;
}

function view(c: FleetCandidate, targetVersion?: string): PlannedCluster {
  const hops = targetVersion !== undefined && compareMinorVersions(c.version, targetVersion) < 0 ? hopsBetween(c.version, targetVersion) : [];
  return { id: c.id, name: c.name, team: c.team, version: c.version, template: c.template ?? null, maintenanceWindow: c.maintenanceWindow ?? null, hops };
}

function largestTeamInWave(waves: CampaignPlan['waves']): number {
  let largest = 0;
  for (const w of waves) {
    const byTeam = new Map<string, number>();
    for (const c of w.clusters) byTeam.set(c.team, (byTeam.get(c.team) ?? 0) + 1);
    largest = Math.max(largest, ...byTeam.values());
  }
  return largest;
}

/**
 * Plans `input` over the live fleet (only the clusters in `only` when given: a channel's proposal;
 * with `release`, an upgrade campaign to that patch release of the target minor).
 * Throws VALIDATION for bad wave lists, NOT_FOUND for an unknown template version.
 */
export async function planCampaign(db: DbOrTx, input: CampaignPlanInput, live: LiveCapacity, only?: ReadonlySet<string>, release?: string): Promise<CampaignPlan> {
  const fleet = (await loadFleet(db)).filter((c) => only === undefined || only.has(c.id));
  let planned: CampaignWaves;
  let target: string;
  if (input.kind === 'upgrade' && release !== undefined) {
    // a patch campaign (a `patch` channel's proposal): the minor stays, the release is the target
    planned = planPatchCampaign(fleet, input.selector, input.waves, release);
    target = release;
  } else if (input.kind === 'upgrade') {
    const { selector, waves, maxParallel, failureThreshold, targetVersion } = input;
    planned = planUpgradeCampaign(fleet, { selector, waves, maxParallel, failureThreshold, targetVersion }, currentVersionRules());
    target = targetVersion;
  } else {
    const template = await rolloutTemplate(db, input.template, input.toVersion);
    const problems = new Map<string, string>();
    for (const { row, target: t } of await clustersOfTemplate(db, input.template)) {
      const from = Number(row.template?.split('@')[1]);
      if (!(from < input.toVersion)) continue;
      const resolved = resolveForRollout(template, row, t);
      if ('error' in resolved) problems.set(row.id, resolved.error);
    }
    planned = planRolloutCampaign(fleet, input.selector, input.waves, input, problems);
    target = template.ref;
  }
  const byId = new Map(fleet.map((c) => [c.id, c]));
  const upgradeTo = input.kind === 'upgrade' ? input.targetVersion : undefined;
  const waves = planned.waves.map((w) => ({ name: w.name, clusters: w.clusterIds.map((id) => view(byId.get(id)!, upgradeTo)) }));
  return {
    kind: input.kind,
    target,
    waves,
    skipped: planned.skipped.map((s) => ({ ...view(byId.get(s.id)!), reason: s.reason })),
    total: waves.reduce((n, w) => n + w.clusters.length, 0),
    capacity: campaignCapacity(input.maxParallel, live, largestTeamInWave(waves)),
  };
}
