/**
 * Who may manage which webhook subscriptions: platform admins register platform-wide ones or any
 * team's; team admins only their own team's (never platform-wide, never another team's); members none.
 * Another team's subscription is reported exactly like an unknown one.
 */
import { DomainError } from '../../platform/errors.ts';
import type { Actor } from '../auth/tokens.ts';
import type { DbOrTx, TeamRow } from '../db/schema.ts';
import { ownTeam } from '../teams/own-team.ts';

/** The scope of a new subscription: a team row, or null for platform-wide. */
export async function scopeForNewSubscription(db: DbOrTx, actor: Actor, opts: { team?: string | undefined; platformWide: boolean }): Promise<TeamRow | null> {
  assertMayManage(actor);
  if (actor.role === 'platform-admin') {
    if (opts.platformWide && opts.team) throw new DomainError('VALIDATION', 'a subscription is either platform-wide or one team\'s, not both', { hint: 'drop --team or --platform-wide' });
    if (opts.platformWide) return null;
    if (!opts.team) throw new DomainError('VALIDATION', 'team: a platform admin must name the team of the subscription, or make it platform-wide', { hint: 'pass --team TEAM or --platform-wide', issues: [{ path: 'team', message: 'required unless platformWide' }] });
    const team = await db.selectFrom('teams').selectAll().where('name', '=', opts.team).executeTakeFirst();
    if (!team) throw new DomainError('NOT_FOUND', `team "${opts.team}" does not exist`, { hint: 'list teams with `kaas teams list`' });
    return team;
  }
  if (opts.platformWide) throw new DomainError('FORBIDDEN', 'only platform admins can register platform-wide subscriptions', { hint: 'drop --platform-wide: your subscription hears your team\'s events' });
  return ownTeam(db, actor, opts.team);
}

/** Members cannot manage subscriptions. */
export function assertMayManage(actor: Actor): void {
  if (actor.role === 'member') throw new DomainError('FORBIDDEN', 'managing webhook subscriptions needs the team-admin role', { hint: 'ask an admin of your team' });
}

/** The team whose subscriptions `actor` sees: undefined = every one (platform admins). */
export function visibleTeam(actor: Actor): string | undefined {
  return actor.role === 'platform-admin' ? undefined : actor.teamId!;
}

/** The subscription `id` if `actor` may see it; NOT_FOUND otherwise (another team's included). */
export async function findSubscription(db: DbOrTx, actor: Actor, id: string): Promise<{ id: string; team_id: string | null }> {
  assertMayManage(actor);
  let query = db.selectFrom('webhook_subscriptions').select(['id', 'team_id']).where('id', '=', id);
  const team = visibleTeam(actor);
  if (team) query = query.where('team_id', '=', team);
  const row = await query.executeTakeFirst();
  if (!row) throw new DomainError('NOT_FOUND', `webhook subscription ${id} does not exist`, { hint: 'list subscriptions with `kaas webhooks list`' });
  return row;
}
