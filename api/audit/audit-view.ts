/** What the API returns for an audit row: the team by name, times as ISO strings. */
import type { Selectable } from 'kysely';
import type { AuditTable } from '../db/schema.ts';

export interface AuditEntryView {
  id: string;
  at: string;
  actor: string;
  /** The team's name; null for platform-wide actions. */
  team: string | null;
  action: string;
  target: string | null;
  result: 'ok' | 'denied' | 'failed';
  requestId: string;
  /** For denied and failed mutations: the error code and message. */
  detail: unknown;
}

export function auditRowToEntry(row: Selectable<AuditTable>, teamName: string | null): AuditEntryView {
  return {
    id: String(row.id),
    at: row.at.toISOString(),
    actor: row.actor,
    team: teamName,
    action: row.action,
    target: row.target,
    result: row.result as AuditEntryView['result'],
    requestId: row.request_id,
    detail: row.detail,
  };
}
