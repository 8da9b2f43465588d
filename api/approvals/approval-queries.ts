/** Reading approval requests, scoped to what the caller may see (their team's; every one for platform admins). */
import { DomainError } from '../../platform/errors.ts';
import type { Actor } from '../auth/tokens.ts';
import type { ApprovalRequestRow, ApprovalStatus, DbOrTx } from '../db/schema.ts';
import { approvalRowToApproval, type ApprovalRequest } from './approval-view.ts';
import { expireDueRequests } from './expire-requests.ts';

/** The request `id` if the actor may see it (NOT_FOUND otherwise, also for another team's). */
export async function findApproval(db: DbOrTx, actor: Actor, id: string, opts: { forUpdate?: boolean } = {}): Promise<ApprovalRequestRow> {
  const query = db.selectFrom('approval_requests').selectAll().where('id', '=', id);
  const row = await (opts.forUpdate ? query.forUpdate() : query).executeTakeFirst();
  if (!row || (actor.role !== 'platform-admin' && row.team_id !== actor.teamId)) {
    throw new DomainError('NOT_FOUND', `approval request "${id}" does not exist`, { hint: 'list open requests with `kaas approvals list`' });
  }
  return row;
}

/** Rows to API objects, with cluster/campaign and team names. */
export async function toApprovals(db: DbOrTx, rows: ApprovalRequestRow[]): Promise<ApprovalRequest[]> {
  if (rows.length === 0) return [];
  const clusterIds = rows.flatMap((r) => (r.cluster_id ? [r.cluster_id] : []));
  const campaignIds = rows.flatMap((r) => (r.campaign_id ? [r.campaign_id] : []));
  const teamIds = rows.flatMap((r) => (r.team_id ? [r.team_id] : []));
  const clusters = new Map(clusterIds.length ? (await db.selectFrom('clusters').select(['id', 'name']).where('id', 'in', clusterIds).execute()).map((c) => [c.id, c.name]) : []);
  const campaigns = new Map(campaignIds.length ? (await db.selectFrom('campaigns').select(['id', 'name']).where('id', 'in', campaignIds).execute()).map((c) => [c.id, c.name]) : []);
  const teams = new Map(teamIds.length ? (await db.selectFrom('teams').select(['id', 'name']).where('id', 'in', teamIds).execute()).map((t) => [t.id, t.name]) : []);
  return rows.map((r) =>
    approvalRowToApproval(r, { target: r.cluster_id ? `cluster ${clusters.get(r.cluster_id) ?? r.cluster_id}` : `campaign ${campaigns.get(r.campaign_id!) ?? r.campaign_id}`, team: r.team_id ? (teams.get(r.team_id) ?? null) : null }),
  );
}

/** The caller's requests, newest first (pending ones by default), after marking the due ones expired. */
export async function listApprovals(db: DbOrTx, actor: Actor, opts: { status?: ApprovalStatus | undefined; limit: number; teamId?: string | undefined }): Promise<ApprovalRequest[]> {
  await expireDueRequests(db);
  let query = db.selectFrom('approval_requests').selectAll();
  if (actor.role !== 'platform-admin') query = query.where('team_id', '=', actor.teamId);
  if (opts.teamId !== undefined) query = query.where('team_id', '=', opts.teamId);
  if (opts.status) query = query.where('status', '=', opts.status);
  return toApprovals(db, await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(opts.limit).execute());
}
