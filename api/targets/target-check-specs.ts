/**
 * The specs `targets check` judges the API endpoint of: the named template (with `--set`
 * overrides) resolved on the target, or, by default, the latest version of every non-deprecated
 * template for the target's cloud with its parameter defaults, which is what a team gets when it
 * asks for a cluster without overrides.
 */
import { DomainError } from '../../platform/errors.ts';
import { setFlagsToOverrides } from '../../platform/set-flag.ts';
import { resolveTemplate } from '../../platform/templates.ts';
import { targetRef } from '../clusters/create-cluster.ts';
import type { DbOrTx, TargetRow } from '../db/schema.ts';
import { findTemplate, rowToStoredTemplate, type StoredTemplate } from '../templates/template-store.ts';
import type { CheckedSpec } from './target-check.ts';

function resolved(template: StoredTemplate, target: TargetRow, set: string[]): CheckedSpec {
  const spec = resolveTemplate(template.definition, { name: 'targets-check', team: 'targets-check', target: targetRef(target), overrides: setFlagsToOverrides(set) });
  return { label: `template ${template.ref}${set.length ? ` with ${set.join(' ')}` : ''}`, spec };
}

/** The specs to check on `target`: `template` with `set`, else every current template of its cloud. */
export async function targetCheckSpecs(db: DbOrTx, target: TargetRow, opts: { template?: string | undefined; set: string[] }): Promise<CheckedSpec[]> {
  if (opts.template !== undefined) {
    const template = await findTemplate(db, opts.template);
    if (template.definition.cloud !== target.cloud) {
      throw new DomainError('VALIDATION', `template: ${template.ref} is for ${template.definition.cloud} but target "${target.name}" is a ${target.cloud} target`, {
        hint: `list the ${target.cloud} templates with \`kaas templates list\``,
        issues: [{ path: 'template', message: `must be a ${target.cloud} template` }],
      });
    }
    return [resolved(template, target, opts.set)];
  }
  if (opts.set.length > 0) throw new DomainError('VALIDATION', 'set: --set needs --template', { issues: [{ path: 'set', message: 'name the template the overrides apply to' }] });
  const rows = await db.selectFrom('templates').selectAll().where('deprecated_at', 'is', null).orderBy('name').orderBy('version', 'desc').execute();
  const latest = new Map<string, StoredTemplate>();
  for (const row of rows) {
    const t = rowToStoredTemplate(row);
    if (t.definition.cloud === target.cloud && !latest.has(t.name)) latest.set(t.name, t);
  }
  return [...latest.values()].map((t) => resolved(t, target, []));
}
