/**
 * Upgrade progress: the index of the plan step an upgrade operation has reached (the running or
 * failed step; the step count once it succeeded), so a failed upgrade resumes where it stopped.
 * Frozen in time: never import application code here.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('operations').addColumn('step_index', 'integer').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('operations').dropColumn('step_index').execute();
}
