/**
 * Templates in the database: versioned and immutable once published. Publishing a changed
 * definition adds version max+1; publishing an identical one is a no-op returning the existing
 * version. The YAML files in templates/ seed the catalogue at start-up: a shipped file is published
 * only when its template has no version yet or its latest version also came from the shipped file,
 * so a restart never supersedes a version an admin published through the API.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { DomainError } from '../../platform/errors.ts';
import { canonicalTemplateJson, parseTemplate, type TemplateDefinition } from '../../platform/templates.ts';
import type { Db, DbOrTx, TemplateRow, TemplateSource } from '../db/schema.ts';
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

/** What publishing did: a new version, the unchanged latest one, or (start-up only) kept an admin's version. */
export interface PublishOutcome {
  template: StoredTemplate;
  created: boolean;
  /** Start-up only: the latest version was published through the API, so the shipped file was not published. */
  keptApiVersion?: boolean;
}

/**
 * Publishes a definition; returns the stored version and whether it is new. With `source: 'shipped'`
 * (start-up), a template whose latest version was published through the API is left as it is.
 */
export async function publishTemplate(db: Db, definition: TemplateDefinition, actor: string, source: TemplateSource = 'api'): Promise<PublishOutcome> {
  return db.transaction().execute(async (tx) => {
    // serialise publishers of the same name
    await sql`select pg_advisory_xact_lock(hashtext(${'template:' + definition.name}))`.execute(tx);
    const latest = await tx.selectFrom('templates').selectAll().where('name', '=', definition.name).orderBy('version', 'desc').limit(1).executeTakeFirst();
    if (source === 'shipped' && latest && latest.source !== 'shipped') return { template: rowToStoredTemplate(latest), created: false, keptApiVersion: true };
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
        source,
        // a definition published with `deprecated: why` is deprecated from the start
        ...(definition.deprecated ? { deprecated_at: new Date(), deprecation_message: definition.deprecated } : {}),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return { template: rowToStoredTemplate(row), created: true };
  });
}

/**
 * Seeds the catalogue from every `*.yaml` in `dir` (the templates shipped with the platform): a file
 * is published unless its template's latest version came from the API. Returns what each file did.
 */
export async function publishTemplateDirectory(db: Db, dir: string): Promise<PublishOutcome[]> {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml') || f.endsWith('.yml')).sort();
  const out: PublishOutcome[] = [];
  for (const file of files) {
    const definition = parseTemplate(fs.readFileSync(path.join(dir, file), 'utf8'), `templates/${file}`);
    out.push(await publishTemplate(db, definition, 'platform', 'shipped'));
  }
  return out;
}

/**
 * The one line saying what `templates.publish` did, including what became of the file's `version:`
 * field: versions are assigned by the platform (latest + 1), so a differing value is ignored, and
 * said so.
 */
export function publishMessage(fileVersion: number, outcome: { template: StoredTemplate; created: boolean }): string {
  const ref = outcome.template.ref;
  if (!outcome.created) return `unchanged: ${ref} (same content as the latest version)`;
  const ignored = fileVersion !== outcome.template.version ? ` (the file's version: ${fileVersion} is ignored; versions are assigned by the platform)` : '';
  return `published ${ref}${ignored}`;
}
