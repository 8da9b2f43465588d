/** Helpers for fleet tests: waiting on campaign state. */
import type { Db } from '../../api/db/schema.ts';

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
