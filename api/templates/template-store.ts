/**
 * Templates in the database: versioned and immutable once published. Publishing a changed
 * definition adds version max+1; publishing an identical one is a no-op returning the existing
 * version. The YAML files in templates/ are published at start-up by the platform itself.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { DomainError } from '../../platform/errors.ts';
import { canonicalTemplateJson, parseTemplate, type TemplateDefinition } from '../../platform/templates.ts';
import type { Db, DbOrTx, TemplateRow } from '../db/schema.ts';
import { newId } from '../ids.ts';

export interface StoredTemplate {
  id: string;
  name: string;
  version: number;
  ref: string;
  definition: TemplateDefinition;
  deprecated: boolean;
  /** Why it is deprecated: the `templates.deprecate` message, else the definition's `deprecated`. */
  deprecationMessage: string | null;
}

export function rowToStoredTemplate(row: TemplateRow): StoredTemplate {
  const definition = row.definition as TemplateDefinition;
  const deprecated = row.deprecated_at !== null;
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    ref: `${row.name}@${row.version}`,
    definition,
    deprecated,
    deprecationMessage: deprecated ? (row.deprecation_message ?? definition.deprecated ?? null) : null,
  };
}

/** Splits `name` or `name@version`. */
export function parseTemplateRef(ref: string): { name: string; version: number | undefined } {
  const m = /^([a-z][a-z0-9-]{0,62})(?:@([1-9][0-9]{0,5}))?$/.exec(ref);
  if (!m) throw new DomainError('VALIDATION', `template: "${ref}" is not a template reference`, { hint: 'use NAME or NAME@VERSION, e.g. sim-dev or sim-dev@1', issues: [{ path: 'template', message: 'expected NAME or NAME@VERSION' }] });
  return { name: m[1]!, version: m[2] === undefined ? undefined : Number(m[2]) };
}

/** The template a reference names: an exact version, or the latest one. */
export async function findTemplate(db: DbOrTx, ref: string): Promise<StoredTemplate> {
  const { name, version } = parseTemplateRef(ref);
  let query = db.selectFrom('templates').selectAll().where('name', '=', name);
  query = version === undefined ? query.orderBy('version', 'desc').limit(1) : query.where('version', '=', version);
  const row = await query.executeTakeFirst();
  if (!row) throw new DomainError('NOT_FOUND', `template ${ref} does not exist`, { hint: 'list templates with `kaas templates list`' });
  return rowToStoredTemplate(row);
}

function contentHash(definition: TemplateDefinition): string {
  const { version: _ignored, ...content } = definition;
  return crypto.createHash('sha256').update(canonicalTemplateJson({ ...content, version: 0 })).digest('hex');
}

/** Publishes a definition; returns the stored version and whether it is new. */
export async function publishTemplate(db: Db, definition: TemplateDefinition, actor: string): Promise<{ template: StoredTemplate; created: boolean }> {
  return db.transaction().execute(async (tx) => {
    // serialise publishers of the same name
    await sql`select pg_advisory_xact_lock(hashtext(${'template:' + definition.name}))`.execute(tx);
    const latest = await tx.selectFrom('templates').selectAll().where('name', '=', definition.name).orderBy('version', 'desc').limit(1).executeTakeFirst();
    const hash = contentHash(definition);
    if (latest && latest.content_hash === hash) return { template: rowToStoredTemplate(latest), created: false };
    if (latest && latest.cloud !== definition.cloud) {
      throw new DomainError('CONFLICT', `template ${definition.name} is for ${latest.cloud}; a new version cannot switch it to ${definition.cloud}`, { hint: 'publish it under a new name' });
    }
    const version = latest ? latest.version + 1 : 1;
    const stored = { ...definition, version };
    const row = await tx
      .insertInto('templates')
      .values({
        id: newId('m'),
        name: definition.name,
        version,
        cloud: definition.cloud,
        definition: JSON.stringify(stored),
        content_hash: hash,
        created_by: actor,
        // a definition published with `deprecated: why` is deprecated from the start
        ...(definition.deprecated ? { deprecated_at: new Date(), deprecation_message: definition.deprecated } : {}),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { template: rowToStoredTemplate(row), created: true };
  });
}

/** Publishes every `*.yaml` in `dir` (the templates shipped with the platform). */
export async function publishTemplateDirectory(db: Db, dir: string): Promise<StoredTemplate[]> {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort();
  const out: StoredTemplate[] = [];
  for (const file of files) {
    const definition = parseTemplate(fs.readFileSync(path.join(dir, file), 'utf8'), `templates/${file}`);
    out.push((await publishTemplate(db, definition, 'platform')).template);
  }
  return out;
}
