/**
 * The spec `clusters update` and `clusters plan` ask for: the cluster's template version
 * re-resolved with its stored overrides and this request's `--set`, by the one re-resolution rule
 * (`platform/spec-reresolution.ts`: running Kubernetes versions kept, version changes refused
 * with a hint naming `clusters upgrade`), checked by the same managed-cloud rules as a create
 * (`platform/cloud-spec-rules.ts`), and what it changes field by field.
 */
import type { ClusterSpec } from '../../platform/cluster-spec.ts';
import { assertCloudSpec } from '../../platform/cloud-spec-rules.ts';
import { DomainError } from '../../platform/errors.ts';
import { setFlagsToOverrides } from '../../platform/set-flag.ts';
import { diffSpecs, type SpecChange } from '../../platform/spec-diff.ts';
import { reresolveSpec } from '../../platform/spec-reresolution.ts';
import type { ClusterRow, DbOrTx } from '../db/schema.ts';
import { findTemplate } from '../templates/template-store.ts';
import { targetRef } from './create-cluster.ts';

export interface DesiredSpec {
  spec: ClusterSpec;
  /** The stored overrides with `set` applied, to record with the operation. */
  overrides: Record<string, string>;
  /** What the request changes, field by field, with the values before and after. */
  changes: SpecChange[];
}

/** The spec `row` would have with `set` (`path=value` flags) applied to the same template version. */
export async function desiredSpec(db: DbOrTx, row: ClusterRow, set: string[]): Promise<DesiredSpec> {
  if (!row.template) throw new DomainError('PRECONDITION_FAILED', `cluster "${row.name}" was not created from a template`);
  const template = await findTemplate(db, row.template);
  const target = await db.selectFrom('targets').selectAll().where('id', '=', row.target_id).executeTakeFirstOrThrow();
  const requested = setFlagsToOverrides(set);
  const current = row.spec as ClusterSpec;
  const spec = { ...reresolveSpec(template.definition, { name: row.name, spec: current, overrides: row.overrides, target: targetRef(target) }, { set: requested }), template: template.ref };
  assertCloudSpec(spec);
  return { spec, overrides: { ...row.overrides, ...requested }, changes: diffSpecs(current, spec) };
}
