/**
 * The one way platform code says that something happened (issue 13, "events out"): a row in
 * `platform_events`, written with the same database handle (and so the same transaction) as the
 * change it reports. Webhook deliveries read from that table; nothing here knows about them.
 *
 * Types are CloudEvents 1.0 `type`s under `dev.kaas.` (https://github.com/cloudevents/spec/blob/v1.0.2/cloudevents/spec.md#type):
 * `dev.kaas.operation.<status>`, `dev.kaas.campaign.<status>`, `dev.kaas.drift.detected`,
 * `dev.kaas.approval.requested|approved|rejected|expired`, `dev.kaas.cluster.ttl-warning`,
 * `dev.kaas.cluster.expired`, `dev.kaas.proposal.created|started|dismissed` (auto-upgrade channels).
 * `PLATFORM_EVENT_TYPES` (platform/event-types.ts) lists every one; publishing any other is a
 * programming error.
 */
import { isPlatformEventType, PLATFORM_EVENT_TYPES, type PlatformEventType } from '../../platform/event-types.ts';
import { newId } from '../ids.ts';

export { PLATFORM_EVENT_TYPES, type PlatformEventType };
import type { DbOrTx } from '../db/schema.ts';

/** What happened, about what, for which team. */
export interface PlatformEvent {
  type: PlatformEventType;
  /** What the event is about, e.g. `clusters/payments/web`, `campaigns/f0123456789ab`. */
  subject: string;
  /** The team whose thing it is (subscriptions scoped to a team see only its events); null: platform-wide. */
  teamId: string | null;
  data: Record<string, unknown>;
}

export const EVENT_TYPE_PREFIX = 'dev.kaas.';

/** Records one event; call it inside the transaction of the change it reports. Returns its id. */
export async function publishEvent(db: DbOrTx, event: PlatformEvent): Promise<string> {
  if (!isPlatformEventType(event.type)) throw new Error(`event type ${String(event.type)} is not in PLATFORM_EVENT_TYPES (platform/event-types.ts); add it there first`);
  const id = newId('e');
  await db
    .insertInto('platform_events')
    .values({ id, type: event.type, subject: event.subject, team_id: event.teamId, data: JSON.stringify(event.data) })
    .execute();
  return id;
}
