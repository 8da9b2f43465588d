/**
 * The dispatcher: turns new platform_events into deliveries for the subscriptions that match
 * them (type pattern, and team: a team's subscription hears only its team's events; a
 * platform-wide one hears all), and sends each delivery's first job in the same transaction.
 *
 * It reads events by `seq` past a cursor (table webhook_dispatch, locked, so one dispatcher at a
 * time). Sequence values are taken when a transaction inserts, not when it commits, so a lower
 * `seq` may commit after a higher one: the cursor stops at a gap until the gap is older than
 * GAP_SECONDS (then it is a rolled-back transaction's value and is passed over).
 */
import { sql } from 'kysely';
import { subscribedTo } from '../../platform/event-types.ts';
import type { Db } from '../db/schema.ts';
import { newId } from '../ids.ts';
import type { PgBoss } from 'pg-boss';
import { enqueueDelivery } from './webhook-queue.ts';

const BATCH = 500;
/** How long a gap in `seq` may be an uncommitted transaction before the cursor passes it. */
export const GAP_SECONDS = 10;

/** Dispatches the events committed since the cursor; returns how many deliveries it created. */
export async function dispatchEvents(db: Db, boss: PgBoss, now = new Date()): Promise<number> {
  return db.transaction().execute(async (tx) => {
    const cursor = await tx.selectFrom('webhook_dispatch').select('last_seq').where('id', '=', 'dispatch').forUpdate().skipLocked().executeTakeFirst();
    if (!cursor) return 0; // another dispatcher holds it
    const events = await tx.selectFrom('platform_events').select(['seq', 'id', 'type', 'team_id', 'time']).where('seq', '>', cursor.last_seq).orderBy('seq').limit(BATCH).execute();
    if (events.length === 0) return 0;
    const subscriptions = await tx.selectFrom('webhook_subscriptions').select(['id', 'event_types', 'team_id', 'created_at']).execute();
    let last = BigInt(cursor.last_seq);
    let created = 0;
    for (const event of events) {
      const seq = BigInt(event.seq);
      // a gap: an earlier transaction may still commit its event; wait for it unless the gap is old
      if (seq !== last + 1n && now.getTime() - event.time.getTime() < GAP_SECONDS * 1000) break;
      last = seq;
      for (const sub of subscriptions) {
        if (sub.created_at.getTime() > event.time.getTime()) continue;
        if (sub.team_id !== null && sub.team_id !== event.team_id) continue;
        if (!subscribedTo(sub.event_types, event.type)) continue;
        const id = newId('d');
        const inserted = await tx.insertInto('webhook_deliveries').values({ id, subscription_id: sub.id, event_id: event.id, status: 'pending', next_attempt_at: now }).onConflict((oc) => oc.doNothing()).returning('id').executeTakeFirst();
        if (!inserted) continue;
        await enqueueDelivery(boss, tx, id);
        created++;
      }
    }
    await tx.updateTable('webhook_dispatch').set({ last_seq: sql`${last.toString()}::bigint` }).where('id', '=', 'dispatch').execute();
    return created;
  });
}
