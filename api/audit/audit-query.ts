/** Reading the audit log: filters, newest first, keyset paging by the row id. */
import { sql } from 'kysely';
import { DomainError } from '../../platform/errors.ts';
import type { DbOrTx } from '../db/schema.ts';
import { auditRowToEntry, type AuditEntryView } from './audit-view.ts';

export interface AuditFilter {
  team?: string | undefined;
  actor?: string | undefined;
  /** Matches actions starting with this, e.g. `clusters.` or `tokens.revoke`. */
  action?: string | undefined;
  result?: AuditEntryView['result'] | undefined;
  since?: Date | undefined;
  until?: Date | undefined;
  /** The `nextCursor` of the previous page: rows with smaller ids follow. */
  cursor?: string | undefined;
  limit: number;
}

/** `%`, `_` and `\` are literal in a prefix. */
function likePrefix(prefix: string): string {
  return prefix.replace(/[\\%_]/g, (c) => `\\${c}`) + '%';
}

/** One page of audit rows matching `filter`. */
export async function listAudit(db: DbOrTx, filter: AuditFilter): Promise<{ items: AuditEntryView[]; nextCursor: string | null }> {
  let query = db.selectFrom('audit').leftJoin('teams', 'teams.id', 'audit.team_id').selectAll('audit').select('teams.name as team_name');
  if (filter.team !== undefined) {
    const team = await db.selectFrom('teams').select('id').where('name', '=', filter.team).executeTakeFirst();
    if (!team) throw new DomainError('NOT_FOUND', `team "${filter.team}" does not exist`, { hint: 'list teams with `kaas teams list`' });
    query = query.where('audit.team_id', '=', team.id);
  }
  if (filter.actor !== undefined) query = query.where('audit.actor', '=', filter.actor);
  if (filter.action !== undefined) query = query.where('audit.action', 'like', likePrefix(filter.action));
  if (filter.result !== undefined) query = query.where('audit.result', '=', filter.result);
  if (filter.since !== undefined) query = query.where('audit.at', '>=', filter.since);
  if (filter.until !== undefined) query = query.where('audit.at', '<', filter.until);
  if (filter.cursor !== undefined) query = query.where('audit.id', '<', sql<string>`${filter.cursor}::bigint`);
  const rows = await query.orderBy('audit.id', 'desc').limit(filter.limit + 1).execute();
  const page = rows.slice(0, filter.limit);
  const last = page[page.length - 1];
  return { items: page.map((r) => auditRowToEntry(r, r.team_name)), nextCursor: rows.length > filter.limit && last ? String(last.id) : null };
}
