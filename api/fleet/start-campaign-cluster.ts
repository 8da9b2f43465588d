/**
 * Starting the operation of one campaign cluster: an `upgrade` (input `{ toVersion, campaignId,
 * plan }`, the cluster's own chained plan through every minor up to the target; for a patch
 * campaign `{ toVersion, toRelease, campaignId, plan }`, platform/patch-plan.ts, where EKS clusters
 * count as done because EKS applies patches itself) or, for template
 * rollouts, an `update` with the spec re-resolved against the new template version (input
 * `{ spec, overrides, template, campaignId }`). A cluster outside its maintenance window waits; one
 * busy with another operation stays pending (an operation this campaign started before a crash
 * is adopted); one that cannot be moved fails with the reason.
 */
import { hibernatedClusterRefusal } from '../../platform/cloud-hibernation.ts';
import type { Cloud, ClusterSpec } from '../../platform/cluster-spec.ts';
import { DomainError } from '../../platform/errors.ts';
import { addonRequirementsFor } from '../../platform/addon-requirements.ts';
import { compareMinorVersions } from '../../platform/kubernetes-version.ts';
import { isInsideWindow, type MaintenanceWindow } from '../../platform/maintenance-window.ts';
import { EKS_PATCH_REASON } from '../../platform/kubernetes-patch.ts';
import { planPatchUpgrade, preflightPatchUpgrade } from '../../platform/patch-plan.ts';
import { planUpgrade, preflightUpgrade } from '../../platform/upgrade-plan.ts';
import { currentVersionRules } from '../versions/version-rules.ts';
import type { Actor } from '../auth/tokens.ts';
import { startOperation } from '../clusters/start-operation.ts';
import { failedUpgrade, resumeInput } from '../clusters/upgrade-cluster.ts';
import { parseUpgradeInput } from '../clusters/upgrade-input.ts';
import type { Services } from '../context.ts';
import type { CampaignClusterStatus, CampaignRow, ClusterRow } from '../db/schema.ts';
import { resolveForRollout, rolloutTemplate } from './rollout-resolution.ts';

/** What became of one attempt to start a cluster. */
export type StartOutcome = { status: 'upgrading'; operationId: string } | { status: Exclude<CampaignClusterStatus, 'upgrading' | 'skipped'>; reason: string };

/** The actor a campaign's operations run as: the admin who started it. */
export function campaignActor(campaign: CampaignRow): Actor {
  return { tokenId: `campaign:${campaign.id}`, subject: `${campaign.created_by} (fleet campaign ${campaign.name})`, role: 'platform-admin', teamId: null };
}

/** Whether the control plane and every node pool run at least `version`. */
function fullyAt(spec: ClusterSpec, version: string): boolean {
  return [spec.kubernetesVersion, ...spec.nodePools.map((p) => p.kubernetesVersion ?? spec.kubernetesVersion)].every((v) => compareMinorVersions(v, version) >= 0);
}

function windowText(w: MaintenanceWindow): string {
  return `${w.days.join(',')} ${w.startUtc} UTC for ${w.durationMinutes} min`;
}

/** The operation kind and input that move `row` for `campaign`, or the outcome when there is nothing to run. */
async function operationFor(services: Services, campaign: CampaignRow, row: ClusterRow): Promise<{ kind: 'upgrade' | 'update'; input: Record<string, unknown> } | StartOutcome> {
  const spec = row.spec as ClusterSpec;
  if (campaign.kind === 'upgrade') {
    const toVersion = campaign.target_version!;
    const release = campaign.target_release ?? undefined;
    // a failed upgrade to the same version (e.g. before a halt) continues from its failed step
    const failed = await failedUpgrade(services, row);
    const failedInput = failed ? parseUpgradeInput(failed.input) : undefined;
    if (failed && failedInput!.toVersion === toVersion && failedInput!.toRelease === release) return { kind: 'upgrade', input: { ...resumeInput(failed), campaignId: campaign.id } };
    if (release !== undefined) return patchOperation(spec, release, campaign);
    if (fullyAt(spec, toVersion)) return { status: 'succeeded', reason: `already at ${row.kubernetes_version}` };
    const rules = currentVersionRules();
    const requirements = addonRequirementsFor(spec.target.cloud);
    const issues = preflightUpgrade(spec, toVersion, rules, requirements);
    if (issues.length > 0) return { status: 'failed', reason: `cannot upgrade to ${toVersion}: ${issues.map((i) => i.message).join('; ')}` };
    return { kind: 'upgrade', input: { toVersion, campaignId: campaign.id, plan: planUpgrade(spec, toVersion, rules, requirements) } };
  }
  const template = await rolloutTemplate(services.db, campaign.template!, campaign.template_version!);
  const target = await services.db.selectFrom('targets').selectAll().where('id', '=', row.target_id).executeTakeFirstOrThrow();
  const resolved = resolveForRollout(template, row, target);
  if ('error' in resolved) return { status: 'failed', reason: resolved.error };
  return { kind: 'update', input: { spec: resolved.spec, overrides: row.overrides, template: template.ref, campaignId: campaign.id } };
}

/** The patch upgrade of `spec` to `release`, or why there is none to run (EKS, already there) or it cannot run. */
function patchOperation(spec: ClusterSpec, release: string, campaign: CampaignRow): { kind: 'upgrade'; input: Record<string, unknown> } | StartOutcome {
  if (spec.target.cloud === 'aws') return { status: 'succeeded', reason: `nothing to run: ${EKS_PATCH_REASON}` };
  const rules = currentVersionRules();
  const issues = preflightPatchUpgrade(spec, release, rules);
  if (issues.length > 0) {
    const done = issues.length === 1 && /nothing to upgrade$/.test(issues[0]!.message);
    return done ? { status: 'succeeded', reason: `already at ${release}` } : { status: 'failed', reason: `cannot upgrade to ${release}: ${issues.map((i) => i.message).join('; ')}` };
  }
  return { kind: 'upgrade', input: { toVersion: spec.kubernetesVersion, toRelease: release, campaignId: campaign.id, plan: planPatchUpgrade(spec, release, rules) } };
}

/** Why `row` must wait at time `now` (its maintenance window is closed), if it must. */
export function windowWait(row: ClusterRow, now: Date): string | undefined {
  const window = row.maintenance_window as MaintenanceWindow | null;
  return window && !isInsideWindow(window, now) ? `waiting for its maintenance window (${windowText(window)})` : undefined;
}

/** Starts (or defers) the operation of `row` in `campaign` at time `now`. */
export async function startCampaignCluster(services: Services, campaign: CampaignRow, row: ClusterRow, now: Date): Promise<StartOutcome> {
  if (row.deleted_at !== null) return { status: 'deleted', reason: 'the cluster was deleted during the campaign' };
  const wait = windowWait(row, now);
  if (wait !== undefined) return { status: 'waiting_window', reason: wait };
  // a hibernated cluster accepts no upgrade or update: blocked, the campaign goes on without it
  const { cloud } = await services.db.selectFrom('targets').select('cloud').where('id', '=', row.target_id).executeTakeFirstOrThrow();
  const hibernated = hibernatedClusterRefusal(cloud as Cloud, { name: row.name, hibernated: row.hibernated_sizes !== null }, campaign.kind === 'upgrade' ? 'upgrade' : 'update', {});
  if (hibernated) return { status: 'blocked', reason: `${hibernated.message}; ${hibernated.hint}` };
  let planned: Awaited<ReturnType<typeof operationFor>>;
  try {
    planned = await operationFor(services, campaign, row);
  } catch (err) {
    if (err instanceof DomainError) return { status: 'failed', reason: err.message };
    throw err;
  }
  if ('status' in planned) return planned;
  try {
    const op = await startOperation(services, row, planned.kind, campaignActor(campaign), `fleet-${campaign.id}`, planned.input);
    return { status: 'upgrading', operationId: op.id };
  } catch (err) {
    if (!(err instanceof DomainError)) throw err;
    if (err.code === 'NOT_FOUND') return { status: 'deleted', reason: 'the cluster was deleted during the campaign' };
    if (err.code !== 'CONFLICT') return { status: 'failed', reason: err.message };
    const active = await services.db.selectFrom('operations').select(['id', 'kind', 'input']).where('cluster_id', '=', row.id).where('status', 'in', ['queued', 'running']).executeTakeFirst();
    // an operation of this campaign whose start was not recorded (the runner stopped in between)
    if (active && active.input.campaignId === campaign.id) return { status: 'upgrading', operationId: active.id };
    return { status: 'pending', reason: active ? `waiting for its running ${active.kind} operation (${active.id}) to finish` : err.message };
  }
}
