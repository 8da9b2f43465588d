/**
 * Which failures of an operation's run are retried (with backoff, in the same attempt): the one
 * table. A locked stack (another live process holds it) and a failed cloud call may succeed
 * later; a cancelled run, a missing CLI, an invalid request and every error the platform or the
 * program raised deterministically (a `DomainError`: invalid spec, unsupported addon, a refused
 * precondition) fail the same way every time, so they are terminal.
 */
import { DomainError } from '../../platform/errors.ts';
import { EngineError } from '../../stacks/engine/engine-error.ts';

/** What kind of failure an error is, for the retry decision. */
export type FailureClass = 'locked' | 'lock-held' | 'transient' | 'cancelled' | 'environment' | 'deterministic' | 'unknown';

export const RETRY_POLICY: Record<FailureClass, { retry: boolean }> = {
  locked: { retry: true },
  // the engine already waited the configured bound for it (KAAS_STATE_LOCK_WAIT_SECONDS)
  'lock-held': { retry: false },
  transient: { retry: true },
  cancelled: { retry: false },
  environment: { retry: false },
  deterministic: { retry: false },
  // not from the engine nor the domain (a bug, a database error): failing is the honest answer
  unknown: { retry: false },
};

/** The DomainError somewhere in `err`'s cause chain (a program's error wrapped by the engine). */
export function domainCause(err: unknown): DomainError | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) {
    if (e instanceof DomainError) return e;
  }
  return undefined;
}

/** The class of a failure. */
export function classifyFailure(err: unknown): FailureClass {
  if (domainCause(err)) return 'deterministic';
  if (!(err instanceof EngineError)) return 'unknown';
  switch (err.kind) {
    case 'locked':
      return 'locked';
    case 'lock-held':
      return 'lock-held';
    case 'failed':
      return 'transient';
    case 'cancelled':
      return 'cancelled';
    case 'cli-missing':
    case 'state-missing':
      return 'environment';
    case 'invalid':
      return 'deterministic';
  }
}

/** Whether a run that failed with `err` is tried again. */
export function isRetryable(err: unknown): boolean {
  return RETRY_POLICY[classifyFailure(err)].retry;
}
