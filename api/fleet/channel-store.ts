/**
 * The channel settings of teams and templates, and their maintenance exclusions (platform admins).
 * A setting names an existing team or template; `pinned` is stored like any other channel so a
 * team can opt out of its template's channel.
 */
import { DomainError } from '../../platform/errors.ts';
import { parseExclusionPeriod, type ChannelScope } from '../../platform/maintenance-exclusion.ts';
import type { UpgradeChannel } from '../../platform/upgrade-channel.ts';
import type { DbOrTx, MaintenanceExclusionRow, UpgradeChannelRow } from '../db/schema.ts';
import { newId } from '../ids.ts';

export interface ChannelSettingInput extends ChannelScope {
  channel: UpgradeChannel;
  autoStart: boolean;
  startDelayMinutes: number;
}

/** NOT_FOUND unless the team, or some version of the template, exists. */
async function assertScopeExists(db: DbOrTx, s: ChannelScope): Promise<void> {
  const found =
    s.scope === 'team'
      ? await db.selectFrom('teams').select('id').where('name', '=', s.name).executeTakeFirst()
      : await db.selectFrom('templates').select('name').where('name', '=', s.name).executeTakeFirst();
  if (!found) throw new DomainError('NOT_FOUND', `${s.scope} "${s.name}" does not exist`, { hint: s.scope === 'team' ? 'list teams with `kaas teams list`' : 'list templates with `kaas templates list`' });
}

/** Sets the channel a team or template follows (replacing its setting). */
export async function setChannel(db: DbOrTx, input: ChannelSettingInput, by: string): Promise<UpgradeChannelRow> {
  await assertScopeExists(db, input);
  const values = { channel: input.channel, auto_start: input.autoStart, start_delay_minutes: input.startDelayMinutes, updated_by: by, updated_at: new Date() };
  return db
    .insertInto('upgrade_channels')
    .values({ scope: input.scope, scope_name: input.name, ...values })
    .onConflict((oc) => oc.columns(['scope', 'scope_name']).doUpdateSet(values))
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Removes a setting (its clusters then follow the template's channel, or none). */
export async function clearChannel(db: DbOrTx, s: ChannelScope): Promise<boolean> {
  const r = await db.deleteFrom('upgrade_channels').where('scope', '=', s.scope).where('scope_name', '=', s.name).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function addExclusion(db: DbOrTx, s: ChannelScope, period: unknown, by: string): Promise<MaintenanceExclusionRow> {
  await assertScopeExists(db, s);
  const p = parseExclusionPeriod(period);
  return db
    .insertInto('maintenance_exclusions')
    .values({ id: newId('r'), scope: s.scope, scope_name: s.name, kind: p.kind, starts_at: p.startsAt, ends_at: p.endsAt, reason: p.reason, created_by: by })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function removeExclusion(db: DbOrTx, id: string): Promise<MaintenanceExclusionRow> {
  const row = await db.deleteFrom('maintenance_exclusions').where('id', '=', id).returningAll().executeTakeFirst();
  if (!row) throw new DomainError('NOT_FOUND', `maintenance exclusion "${id}" does not exist`, { hint: 'list them with `kaas fleet exclusions list`' });
  return row;
}

/** Exclusions not yet over at `now` whose scope is one of `scopes` (every one when omitted). */
export async function exclusionsFor(db: DbOrTx, now: Date, scopes?: readonly ChannelScope[]): Promise<MaintenanceExclusionRow[]> {
  if (scopes !== undefined && scopes.length === 0) return [];
  let q = db.selectFrom('maintenance_exclusions').selectAll().where('ends_at', '>', now);
  if (scopes) q = q.where((eb) => eb.or(scopes.map((s) => eb.and([eb('scope', '=', s.scope), eb('scope_name', '=', s.name)]))));
  return q.orderBy('starts_at').execute();
}
