/**
 * An operation can end `needs_approval`: a reconcile that would delete or replace resources
 * stopped without changing anything, waiting for `--approve`. It is neither `succeeded` nor
 * `failed`. Reconciles recorded as succeeded with a `needsApproval` result before this migration
 * get the status they should have had.
 * Frozen in time: never import application code here.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table operations drop constraint if exists operations_status_check`.execute(db);
  await sql`alter table operations add constraint operations_status_check check (status in ('queued', 'running', 'succeeded', 'needs_approval', 'failed', 'cancelled'))`.execute(db);
  await sql`update operations set status = 'needs_approval' where kind = 'reconcile' and status = 'succeeded' and (result->>'needsApproval')::boolean is true`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`update operations set status = 'succeeded' where status = 'needs_approval'`.execute(db);
  await sql`alter table operations drop constraint if exists operations_status_check`.execute(db);
  await sql`alter table operations add constraint operations_status_check check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled'))`.execute(db);
}
