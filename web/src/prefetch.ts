/**
 * Requests started before the page that needs them has mounted: the console asks for the first
 * clusters page while it still reads the session, instead of one round trip after it. A page
 * takes its answer once, only while fresh; a failed prefetch (e.g. not signed in yet: 401)
 * just means the page asks again itself.
 */
const FRESH_MS = 5_000;
const pending = new Map<string, { at: number; answer: Promise<unknown> }>();

/** Starts `load` now and keeps its answer for the first `take(key)`. */
export function prefetch(key: string, load: () => Promise<unknown>): void {
  pending.set(key, { at: Date.now(), answer: load().catch(() => undefined) });
}

/** The prefetched answer for `key` (once), or undefined when there is none, it is stale, or it failed. */
export async function takePrefetched<T>(key: string): Promise<T | undefined> {
  const entry = pending.get(key);
  pending.delete(key);
  if (!entry || Date.now() - entry.at > FRESH_MS) return undefined;
  return (await entry.answer) as T | undefined;
}
