/**
 * Errors from the engine adapter, classified so the worker can decide what to retry: a `locked`
 * stack (another live operation) or a `failed` cloud call may be retried; `cancelled`,
 * `cli-missing`, `invalid`, `state-missing` (an applied stack absent from the backend) and
 * `lock-held` (a live lock outlasted the bounded wait for it) are terminal.
 */
import { CommandError } from '@pulumi/pulumi/automation/index.js';

export type EngineErrorKind = 'locked' | 'lock-held' | 'cancelled' | 'failed' | 'cli-missing' | 'invalid' | 'state-missing';

export class EngineError extends Error {
  readonly kind: EngineErrorKind;
  readonly hint: string | undefined;

  constructor(kind: EngineErrorKind, message: string, hint?: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'EngineError';
    this.kind = kind;
    this.hint = hint;
  }
}

/** The useful lines of a CLI failure: its `error:` diagnostics, else the tail of stderr. */
export function summarizeCliFailure(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  const errors = lines.filter((l) => /^error:/i.test(l) || /error: /.test(l));
  const chosen = (errors.length > 0 ? errors : lines.slice(-3)).map((l) => l.replace(/^error:\s*/i, ''));
  return [...new Set(chosen)].join('; ').slice(0, 2000);
}

/** Wraps anything thrown by the Automation API as an EngineError. */
export function toEngineError(err: unknown): EngineError {
  if (err instanceof EngineError) return err;
  if (err instanceof CommandError) {
    const text = String(err.message);
    if (/canceled|cancelled|signal: killed|context canceled/i.test(text) && /abort|cancel/i.test(text)) {
      return new EngineError('cancelled', 'the operation was cancelled', undefined, err);
    }
    return new EngineError('failed', summarizeCliFailure(text) || 'the pulumi engine failed', undefined, err);
  }
  if ((err as Error)?.name === 'AbortError') return new EngineError('cancelled', 'the operation was cancelled', undefined, err);
  return new EngineError('failed', (err as Error)?.message ?? String(err), undefined, err);
}
