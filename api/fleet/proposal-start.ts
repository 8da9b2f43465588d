/**
 * Starting and dismissing a channel's proposed campaign. Starting plans an `upgrade` campaign to
 * the proposal's minor (or patch release) over exactly its clusters (canary first, then the rest; clusters wait for
 * their own maintenance windows as in any campaign), unless a maintenance exclusion of the
 * proposal's scope or of one of its clusters' teams or templates blocks it now.
 *
 * A `patch` proposal keeps the minor: its campaign pins the patch release on every cluster
 * (platform/patch-plan.ts: the control plane, then a roll of its pools, each health-gated); EKS
 * clusters in it count as done, since EKS applies patch versions itself.
 */
import { DomainError } from '../../platform/errors.ts';
import { blockingExclusion, exclusionText, type ChannelScope, type MaintenanceExclusion } from '../../platform/maintenance-exclusion.ts';
import { templateName } from '../../platform/channel-proposal.ts';
import type { Actor } from '../auth/tokens.ts';
import type { Services } from '../context.ts';
import type { CampaignProposalRow, CampaignRow, Db, DbOrTx, MaintenanceExclusionRow, Tx } from '../db/schema.ts';
import { publishEvent } from '../events/publish-event.ts';
import { liveCapacity } from './campaign-capacity.ts';
import { exclusionsFor } from './channel-store.ts';
import { createCampaign } from './create-campaign.ts';

/** The proposal `ref` (id), locked; NOT_FOUND otherwise. */
export async function findProposal(db: DbOrTx, ref: string): Promise<CampaignProposalRow> {
  const row = await db.selectFrom('campaign_proposals').selectAll().where('id', '=', ref).forUpdate().executeTakeFirst();
  if (!row) throw new DomainError('NOT_FOUND', `proposal "${ref}" does not exist`, { hint: 'list proposals with `kaas fleet proposals list`' });
  return row;
}

export const toExclusion = (e: MaintenanceExclusionRow): MaintenanceExclusion => ({ scope: e.scope, name: e.scope_name, kind: e.kind, startsAt: e.starts_at, endsAt: e.ends_at, reason: e.reason });

/** The scopes whose exclusions apply to a proposal: its own, and its clusters' teams and templates. */
export async function proposalScopes(db: DbOrTx, p: Pick<CampaignProposalRow, 'scope' | 'scope_name' | 'cluster_ids'>): Promise<ChannelScope[]> {
  const scopes = new Map<string, ChannelScope>([[`${p.scope}/${p.scope_name}`, { scope: p.scope, name: p.scope_name }]]);
  if (p.cluster_ids.length > 0) {
    const rows = await db.selectFrom('clusters').innerJoin('teams', 'teams.id', 'clusters.team_id').select(['teams.name as team', 'clusters.template']).where('clusters.id', 'in', p.cluster_ids).execute();
    for (const r of rows) {
      scopes.set(`team/${r.team}`, { scope: 'team', name: r.team });
      if (r.template) scopes.set(`template/${templateName(r.template)}`, { scope: 'template', name: templateName(r.template) });
    }
  }
  return [...scopes.values()];
}

/** The exclusion blocking `p` at `now`, if any. */
export async function proposalBlocker(db: DbOrTx, p: CampaignProposalRow, now: Date): Promise<MaintenanceExclusion | undefined> {
  const exclusions = (await exclusionsFor(db, now, await proposalScopes(db, p))).map(toExclusion);
  return blockingExclusion(exclusions, now, p.minor_upgrade);
}

const campaignName = (p: CampaignProposalRow) => `auto-${p.target_release.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}-${p.id}`.slice(0, 63);

/** Starts proposal `p` (locked by the caller's transaction) as `actor` at `now`. */
export async function startProposalIn(services: Services, tx: Tx, p: CampaignProposalRow, actor: Actor, now: Date): Promise<{ proposal: CampaignProposalRow; campaign: CampaignRow }> {
  if (p.status !== 'proposed') {
    throw new DomainError('PRECONDITION_FAILED', `proposal ${p.id} is ${p.status}, not proposed`, { hint: 'only a proposed campaign can be started; `kaas fleet proposals list` shows them' });
  }
  const blocker = await proposalBlocker(tx, p, now);
  if (blocker) {
    throw new DomainError('PRECONDITION_FAILED', `proposal ${p.id} (${p.target_release}) is inside a maintenance exclusion: ${exclusionText(blocker)}`, {
      hint: `start it after ${blocker.endsAt.toISOString()}, or remove the exclusion with \`kaas fleet exclusions remove\``,
    });
  }
  const { campaign } = await createCampaign(
    tx,
    { kind: 'upgrade', name: campaignName(p), targetVersion: p.target_version, selector: {}, waves: { canary: p.cluster_ids.length > 1 ? 1 : 0, percentages: [100] }, maxParallel: 1, failureThreshold: 0, approvalBetweenWaves: false, soakSeconds: 0 },
    actor,
    await liveCapacity(services),
    new Set(p.cluster_ids),
    // a patch proposal's campaign pins its release; a minor one plans the hops to its minor
    p.minor_upgrade ? undefined : p.target_release,
  );
  const reason = `campaign ${campaign.name} started by ${actor.subject}`;
  const proposal = await tx
    .updateTable('campaign_proposals')
    .set({ status: 'started', status_reason: reason, campaign_id: campaign?.id ?? null, decided_by: actor.subject, updated_at: now })
    .where('id', '=', p.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await publishEvent(tx, { type: 'dev.kaas.proposal.started', subject: `proposals/${p.id}`, teamId: null, data: { proposal: p.id, release: p.target_release, campaign: campaign?.id ?? null, by: actor.subject } });
  return { proposal, campaign };
}

/** An admin starts proposal `ref` now. */
export async function startProposal(services: Services, ref: string, actor: Actor, now = new Date()) {
  return services.db.transaction().execute(async (tx) => startProposalIn(services, tx, await findProposal(tx, ref), actor, now));
}

/** An admin dismisses proposal `ref`: the channel never proposes that release for that scope again. */
export async function dismissProposal(db: Db, ref: string, actor: Actor, now = new Date()): Promise<CampaignProposalRow> {
  return db.transaction().execute(async (tx) => {
    const p = await findProposal(tx, ref);
    if (p.status !== 'proposed') throw new DomainError('PRECONDITION_FAILED', `proposal ${p.id} is ${p.status}, not proposed`, { hint: 'only a proposed campaign can be dismissed' });
    const row = await tx.updateTable('campaign_proposals').set({ status: 'dismissed', status_reason: `dismissed by ${actor.subject}`, decided_by: actor.subject, updated_at: now }).where('id', '=', p.id).returningAll().executeTakeFirstOrThrow();
    await publishEvent(tx, { type: 'dev.kaas.proposal.dismissed', subject: `proposals/${p.id}`, teamId: null, data: { proposal: p.id, release: p.target_release, by: actor.subject } });
    return row;
  });
}
