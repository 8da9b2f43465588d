/**
 * Deprecating templates: one version (`name@version`) or every version (`name`). A deprecated
 * version stays readable and the clusters made from it keep it; only new clusters are refused.
 * Deprecating again replaces the message but keeps the first deprecation time.
 */
import { sql } from 'kysely';
import { DomainError } from '../../platform/errors.ts';
import type { DbOrTx, TemplateRow } from '../db/schema.ts';
import { parseTemplateRef } from './template-store.ts';

/** Marks the versions `ref` names as deprecated with `message`; returns them, oldest first. */
export async function deprecateTemplate(db: DbOrTx, ref: string, message: string): Promise<TemplateRow[]> {
  const { name, version } = parseTemplateRef(ref);
  let query = db
    .updateTable('templates')
    .set({ deprecated_at: sql`coalesce(deprecated_at, now())`, deprecation_message: message })
    .where('name', '=', name);
  if (version !== undefined) query = query.where('version', '=', version);
  const rows = await query.returningAll().execute();
  if (rows.length === 0) throw new DomainError('NOT_FOUND', `template ${ref} does not exist`, { hint: 'list templates with `kaas templates list --all`' });
  return rows.sort((a, b) => a.version - b.version);
}
