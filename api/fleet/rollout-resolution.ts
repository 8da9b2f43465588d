/**
 * Template rollouts against the database: the live clusters built from a template, and each one's
 * spec re-resolved against a newer version (or the reason it does not resolve).
 */
import type { ClusterSpec } from '../../platform/cluster-spec.ts';
import { DomainError, isDomainError } from '../../platform/errors.ts';
import { reresolveSpec } from '../../platform/spec-reresolution.ts';
import { targetRef } from '../clusters/create-cluster.ts';
import type { ClusterRow, DbOrTx, TargetRow } from '../db/schema.ts';
import { findTemplate, type StoredTemplate } from '../templates/template-store.ts';

/** A cluster's re-resolved spec for the new template version, or why it cannot be resolved. */
export type Resolution = { spec: ClusterSpec } | { error: string };

/** The published version `toVersion` of `name`; NOT_FOUND names the template version. */
export async function rolloutTemplate(db: DbOrTx, name: string, toVersion: number): Promise<StoredTemplate> {
  const template = await findTemplate(db, `${name}@${toVersion}`);
  if (template.deprecated) throw new DomainError('PRECONDITION_FAILED', `template ${template.ref} is deprecated; roll out a current version`);
  return template;
}

/** Live clusters built from any version of template `name`, with their targets. */
export async function clustersOfTemplate(db: DbOrTx, name: string): Promise<{ row: ClusterRow; target: TargetRow }[]> {
  const rows = await db.selectFrom('clusters').selectAll().where('deleted_at', 'is', null).where('template', 'like', `${name}@%`).orderBy('name').orderBy('id').execute();
  if (rows.length === 0) return [];
  const targets = await db.selectFrom('targets').selectAll().where('id', 'in', [...new Set(rows.map((r) => r.target_id))]).execute();
  const byId = new Map(targets.map((t) => [t.id, t]));
  return rows.map((row) => ({ row, target: byId.get(row.target_id)! }));
}

/**
 * Re-resolves `row`'s stored overrides against `template` by the one re-resolution rule (running
 * Kubernetes versions kept, as for `clusters update`); validation problems become the error.
 */
export function resolveForRollout(template: StoredTemplate, row: ClusterRow, target: TargetRow): Resolution {
  try {
    const spec = reresolveSpec(template.definition, { name: row.name, spec: row.spec as ClusterSpec, overrides: row.overrides, target: targetRef(target) });
    return { spec: { ...spec, template: template.ref } };
  } catch (err) {
    if (!isDomainError(err)) throw err;
    return { error: `overrides do not resolve against ${template.ref}: ${err.message}` };
  }
}
