/** Polling helpers for tests that wait on the worker. */
import type { Db } from '../../api/db/schema.ts';

/** Waits until operation `id` is finished (succeeded, needs_approval, failed or cancelled); returns its row. */
export async function waitForOperation(db: Db, id: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const op = await db.selectFrom('operations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    if (op.status === 'succeeded' || op.status === 'needs_approval' || op.status === 'failed' || op.status === 'cancelled') return op;
    if (Date.now() > deadline) throw new Error(`operation ${id} still ${op.status} (step: ${op.step}) after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
