/**
 * Where a template version came from: 'shipped' (a templates/*.yaml file published at start-up) or
 * 'api' (published through templates.publish). Start-up publishes a shipped file only over a
 * shipped version, so a restart never supersedes an admin's version. Rows written before this
 * migration by the platform itself (created_by 'platform') were shipped files.
 * Frozen in time: never import application code here.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('templates')
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('api').check(sql`source in ('shipped', 'api')`))
    .execute();
  await db.updateTable('templates').set({ source: 'shipped' }).where('created_by', '=', 'platform').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('templates').dropColumn('source').execute();
}
