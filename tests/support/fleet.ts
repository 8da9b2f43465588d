/** Helpers for fleet tests: waiting on campaign state, storing fleet members. */
import { targetRef } from '../../api/clusters/create-cluster.ts';
import type { Db } from '../../api/db/schema.ts';
import { newId, stackNameFor } from '../../api/ids.ts';
import { findTemplate } from '../../api/templates/template-store.ts';
import { resolveTemplate } from '../../platform/templates.ts';

/** Polls `read` until `done(value)` holds; returns the value. */
export async function waitUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string, timeoutMs = 180_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(value).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until every listed operation has finished. */
export async function waitForOperations(db: Db, ids: string[], timeoutMs = 180_000): Promise<void> {
  await waitUntil(
    () => db.selectFrom('operations').select(['id', 'status']).where('id', 'in', ids).execute(),
    (ops) => ops.every((o) => o.status !== 'queued' && o.status !== 'running'),
    `${ids.length} operations`,
    timeoutMs,
  );
}

/**
 * Stores a cluster row resolved from the real sim-dev@1 template on the sim-local target, without
 * running any operation (status `ready` unless told): a fleet member for planners and campaigns.
 */
export async function insertSimCluster(db: Db, opts: { team: string; name: string; version: string; status?: string; labels?: Record<string, string>; overrides?: Record<string, string> }): Promise<string> {
  const team = await db.selectFrom('teams').select('id').where('name', '=', opts.team).executeTakeFirstOrThrow();
  const template = await findTemplate(db, 'sim-dev@1');
  const target = await db.selectFrom('targets').selectAll().where('name', '=', 'sim-local').executeTakeFirstOrThrow();
  const overrides = { kubernetesVersion: opts.version, ...opts.overrides };
  const spec = resolveTemplate(template.definition, { name: opts.name, team: opts.team, target: targetRef(target), overrides });
  const id = newId('c');
  await db
    .insertInto('clusters')
    .values({ id, team_id: team.id, name: opts.name, target_id: target.id, template: 'sim-dev@1', spec: JSON.stringify(spec), overrides: JSON.stringify(overrides), kubernetes_version: opts.version, node_count: 2, status: opts.status ?? 'ready', failed_operation: null, stack_name: stackNameFor(id), labels: JSON.stringify(opts.labels ?? {}) })
    .execute();
  return id;
}
