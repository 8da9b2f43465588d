/** Audit rows: one per mutation, whatever its outcome. */
import type { DbOrTx } from './db/schema.ts';

export interface AuditEntry {
  actor: string;
  teamId: string | null;
  action: string;
  target: string | null;
  result: 'ok' | 'denied' | 'failed';
  requestId: string;
  detail: Record<string, unknown> | null;
}

/** PostgreSQL text and jsonb cannot hold U+0000, which a refused input may contain. */
function storable(text: string): string {
  return text.replaceAll('\u0000', '\uFFFD');
}

export async function writeAudit(db: DbOrTx, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit')
    .values({
      actor: entry.actor,
      team_id: entry.teamId,
      action: entry.action,
      target: entry.target === null ? null : storable(entry.target),
      result: entry.result,
      request_id: entry.requestId,
      detail: entry.detail === null ? null : JSON.stringify(entry.detail, (_key, value: unknown) => (typeof value === 'string' ? storable(value) : value)),
    })
    .execute();
}
