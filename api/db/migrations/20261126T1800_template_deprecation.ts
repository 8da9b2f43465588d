/**
 * Template deprecation message: why a template (version) is deprecated and what to use instead,
 * set by `templates.deprecate` next to the existing `deprecated_at`.
 * Frozen in time: never import application code here.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('templates').addColumn('deprecation_message', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('templates').dropColumn('deprecation_message').execute();
}
