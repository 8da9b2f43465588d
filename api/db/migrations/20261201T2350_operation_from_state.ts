/**
 * The cluster state an operation started from (`from_status`, and `from_failure` = the failed
 * operation and reason when it started from `failed`), so the worker's transition never guesses
 * it from a cluster row that already shows the running status. Rows written before this
 * migration get the best reconstruction there is: the cluster's status when it is idle, else
 * what the operation kind can only have started from.
 * Frozen in time: never import application code here.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('operations').addColumn('from_status', 'text').addColumn('from_failure', 'jsonb').execute();
  await sql`
    update operations o set
      from_status = case
        when c.status not in ('provisioning', 'updating', 'upgrading', 'drift_checking', 'deleting') and o.status in ('queued', 'running') then c.status
        when o.kind = 'create' then 'requested'
        else 'ready' end,
      from_failure = case
        when c.status = 'failed' and o.status in ('queued', 'running') and c.failed_operation is not null
          then jsonb_build_object('operation', c.failed_operation, 'reason', coalesce(c.status_reason, ''))
        else null end
    from clusters c where c.id = o.cluster_id`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('operations').dropColumn('from_failure').dropColumn('from_status').execute();
}
