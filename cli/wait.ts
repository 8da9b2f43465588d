/**
 * `--wait` and `--follow`: watch an operation with live progress lines on stderr, stop watching on
 * Ctrl-C (the operation continues on the server), and set the exit code from the outcome. An
 * outage (database or API unavailable) is waited out with a notice, not reported as a failure.
 */
import type { Api } from './client.ts';
import { CliError } from './errors.ts';
import { EXIT } from './exit-codes.ts';
import type { Operation } from './api-types.ts';
import { formatEventLine, formatStatusLine, isLiveEvent } from './render/progress.ts';
import type { Runtime } from './runtime.ts';
import { watchOperation, type WatchResult, type WatchTarget } from './watch.ts';

/** Runs `fn` with a signal that Ctrl-C aborts (only while `fn` runs), and `timeoutMs` when given. */
export async function withInterrupt<T>(fn: (signal: AbortSignal) => Promise<T>, timeoutMs?: number): Promise<T> {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => controller.abort(new WatchTimeout(timeoutMs)), timeoutMs);
  try {
    return await fn(controller.signal);
  } finally {
    process.off('SIGINT', onSigint);
    clearTimeout(timer);
  }
}

/** The abort reason when `--timeout` ran out. */
export class WatchTimeout extends Error {
  readonly ms: number;
  constructor(ms: number) {
    super(`timed out after ${ms} ms`);
    this.ms = ms;
  }
}

/** The next step after a failed operation: a retry for a cluster operation, running it again for a plan or a drift check. */
function nextStep(op: Pick<Operation, 'id' | 'kind'>, target: WatchTarget): string {
  const teamFlag = target.team ? ` --team ${target.team}` : '';
  const again = op.kind === 'preview' ? `kaas clusters plan ${target.name} …${teamFlag} again` : op.kind === 'refresh' ? `kaas clusters drift ${target.name}${teamFlag} again` : `kaas clusters retry ${target.name}${teamFlag}`;
  return `fix the cause above, then ${again} (full engine log: kaas clusters events ${target.name} --operation ${op.id}${teamFlag})`;
}

/** Tells the user how the watch ended, and sets the exit code for a failed or interrupted one. */
export function reportOutcome(rt: Runtime, target: WatchTarget, result: WatchResult, timedOut = false): void {
  const op = result.operation;
  const teamFlag = target.team ? ` --team ${target.team}` : '';
  if (result.interrupted && timedOut) {
    rt.note(`stopped watching: timed out after ${rt.waitTimeout?.text ?? 'the --timeout'}; operation ${op.id} (${op.kind}) is ${op.status.replace('_', ' ')} and continues on the server`);
    rt.note(`follow it with: kaas clusters events ${target.name} --operation ${op.id} --follow${teamFlag}`);
    rt.exitCode = EXIT.TIMEOUT;
  } else if (result.interrupted) {
    rt.note(`stopped watching: operation ${op.id} (${op.kind}) is ${op.status.replace('_', ' ')} and continues on the server`);
    rt.note(`follow it again with: kaas clusters events ${target.name} --operation ${op.id} --follow${teamFlag}`);
    rt.exitCode = EXIT.INTERRUPTED;
  } else if (op.status === 'failed' || op.status === 'cancelled') {
    rt.note(`error: operation ${op.id} (${op.kind}) ${op.status}${op.error ? `: ${op.error}` : ''}`);
    rt.note(`hint: ${nextStep(op, target)}`);
    rt.note(`request id: ${op.requestId}`);
    rt.exitCode = EXIT.OPERATION_FAILED;
  } else if (op.status === 'needs_approval') {
    // the command that asked for it says what would change and how to approve it
    rt.note(`operation ${op.id} (${op.kind}) needs approval: nothing was changed`);
  } else {
    rt.note(`operation ${op.id} (${op.kind}) ${op.status}`);
  }
}

/**
 * Progress lines for a watched operation: its events (the engine's full failure text is left for
 * `kaas clusters events`), and a status line only when the status changes: what step it is at is
 * what the events say, so a status line repeating the step would print it twice, and late.
 */
export function progressPrinter(note: (line: string) => void): { onEvent(event: Parameters<typeof formatEventLine>[0], op: Operation): void; onStatus(op: Operation): void } {
  let status: string | undefined;
  return {
    onEvent: (event, op) => {
      if (!isLiveEvent(event)) return;
      const line = formatEventLine(event, { kind: op.kind });
      if (line !== undefined) note(line);
    },
    onStatus: (op) => {
      if (op.status === status) return;
      status = op.status;
      note(formatStatusLine({ ...op, step: null }));
    },
  };
}

/** Watches an operation to its end, printing progress on stderr. */
export async function waitForOperation(rt: Runtime, api: Api, target: WatchTarget): Promise<WatchResult> {
  const printer = progressPrinter((line) => rt.note(line));
  let timedOut = false;
  const result = await withInterrupt((signal) => {
    signal.addEventListener('abort', () => (timedOut = signal.reason instanceof WatchTimeout), { once: true });
    return watchOperation(api, target, {
      signal,
      onEvent: printer.onEvent,
      onStatus: printer.onStatus,
      onNotice: (line) => rt.note(line),
    });
  }, rt.waitTimeout?.ms).catch((err: unknown) => {
    // the timeout ran out before the operation could be read at all (an outage): same exit code
    if (!(err instanceof WatchTimeout) && !timedOut) throw err;
    const ms = err instanceof WatchTimeout ? err.ms : (rt.waitTimeout?.ms ?? 0);
    const id = target.operationId ? ` ${target.operationId}` : '';
    throw new CliError('TIMEOUT', `stopped watching: timed out after ${rt.waitTimeout?.text ?? `${ms}ms`}; operation${id} continues on the server`, EXIT.TIMEOUT, {
      hint: `follow it with: kaas clusters events ${target.name}${id ? ` --operation${id}` : ''} --follow${target.team ? ` --team ${target.team}` : ''}`,
    });
  });
  reportOutcome(rt, target, result, timedOut);
  return result;
}
