/**
 * A loop in each worker process that marks due approval requests expired once a minute, so the
 * `dev.kaas.approval.expired` event goes out even when nobody reads the request. Reads and
 * decisions expire due requests too (expire-requests.ts); several sweepers may share a database
 * (each row is updated once: the update re-checks `status = 'pending'`).
 */
import type { Services } from '../context.ts';
import { expireDueRequests } from './expire-requests.ts';

/** Starts the sweep; returns its stop function. */
export function startApprovalExpirySweep(services: Services, intervalMs = 60_000): () => Promise<void> {
  const timer = setInterval(() => {
    void expireDueRequests(services.db).catch((err: unknown) => services.logger.warn({ err: String(err) }, 'approval expiry sweep failed; the next one tries again'));
  }, intervalMs);
  timer.unref();
  return async () => clearInterval(timer);
}
