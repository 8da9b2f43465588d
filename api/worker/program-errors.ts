/**
 * A DomainError thrown inside an inline Pulumi program (an invalid spec, an unsupported addon) is
 * deterministic, but Pulumi reports it as a CLI failure and loses the error. The worker wraps each
 * program to keep it, and rethrows the engine's failure with it as the cause, so the retry table
 * (retry-policy.ts) sees it.
 */
import { DomainError } from '../../platform/errors.ts';
import { EngineError } from '../../stacks/engine/engine-error.ts';
import type { StackTarget } from '../../stacks/engine/engine.ts';
import type { StackEngine } from './handlers/contract.ts';

/** Where a program's own DomainError is kept: Pulumi reports an inline program's throw as a CLI failure and loses it. */
const PROGRAM_ERRORS = new WeakMap<StackTarget, { error?: DomainError }>();

/** `target` with its program wrapped so a DomainError thrown inside it is kept for the retry decision. */
export function guardProgram(target: StackTarget): StackTarget {
  const box: { error?: DomainError } = {};
  const guarded: StackTarget = {
    ...target,
    program: async () => {
      try {
        return await target.program();
      } catch (err) {
        if (err instanceof DomainError) box.error = err;
        throw err;
      }
    },
  };
  PROGRAM_ERRORS.set(guarded, box);
  return guarded;
}

/** `engine`, whose failures carry the DomainError the program raised (if any) as their cause. */
export function programErrors(engine: StackEngine): StackEngine {
  const call = async <T>(target: StackTarget, run: () => Promise<T>): Promise<T> => {
    const box = PROGRAM_ERRORS.get(target);
    if (box) delete box.error;
    try {
      return await run();
    } catch (err) {
      if (box?.error) throw new EngineError('invalid', `the program refused: ${box.error.message}`, box.error.hint, box.error);
      throw err;
    }
  };
  return {
    up: (target, run, opts) => call(target, () => engine.up(target, run, opts)),
    preview: (target, run, opts) => call(target, () => engine.preview(target, run, opts)),
    refresh: (target, opts, run) => call(target, () => engine.refresh(target, opts, run)),
    destroy: (target, opts, run) => call(target, () => engine.destroy(target, opts, run)),
    resources: (target) => call(target, () => engine.resources(target)),
    remove: (stackName) => engine.remove(stackName),
  };
}

/** Engine lines that say only that something failed, never why. */
const GENERIC = /^(?:(?:update|preview|refresh|destroy|deployment)\s+failed|an error occurred|resource monitor shut down.*|one or more errors occurred)\.?$/i;

/** A Pulumi step line: `~  pulumi-nodejs:dynamic/kaas-sim:SimNodePool pool-general updating (0s) [diff: ~properties] error: …`. */
const STEP_LINE = /^[+~\-<>=*]*\s*(?<type>[\w./-]+:[\w./:-]+)\s+(?<name>[^\s*]+)\s+(?<rest>.*)$/;

/** The diagnostic a failed run reports for one resource: `error: sim: …`, after a step line or alone. */
function errorText(segment: string): string | undefined {
  const at = segment.search(/(?:^|\s)error:\s/i);
  if (at < 0) return undefined;
  return segment.slice(at).replace(/^\s*error:\s*/i, '').trim();
}

/**
 * The one line an operation's failure is recorded with (the operation's `error`, the cluster's
 * status reason, what `kaas` prints): the first real cause the engine reported, prefixed with the
 * resource it failed on, e.g. `pool-general: sim: machine quota exhausted`. Pulumi's failure text
 * repeats the cause once per step line, adds the stack's `update failed` and its own summary
 * (`+  pulumi-nodejs:dynamic/kaas-sim:SimNodePool pool-general creating (0s) error: sim: …;
 * update failed; update failed`); the full text stays in the operation's events.
 */
export function failureCause(err: unknown): string {
  const domain = domainErrorIn(err);
  if (domain && !(err instanceof EngineError)) return oneLine(domain.hint ? `${domain.message} (${domain.hint})` : domain.message, OWN_TEXT_MAX);
  if (err instanceof EngineError && err.kind !== 'failed') return oneLine(err.hint ? `${err.message} (${err.hint})` : err.message, OWN_TEXT_MAX);
  const message = err instanceof Error ? err.message : String(err);
  if (!(err instanceof EngineError) && !/(?:^|\s)error:\s/i.test(message)) return oneLine(message);
  // a handler's context before the engine's text (`step 3/6 (node pool batch 1.31 → 1.32) failed: …`) is kept
  const context = /^([^;:\n]*\bfailed): /.exec(message);
  const text = context ? message.slice(context[0].length) : message;
  let resource: string | undefined;
  let cause: string | undefined;
  let plain: string | undefined;
  for (const raw of text.split(/\n|;\s+/)) {
    const segment = raw.trim().replace(/\*\*/g, '');
    if (!segment) continue;
    const step = STEP_LINE.exec(segment);
    if (step?.groups && !step.groups.type!.startsWith('pulumi:pulumi:')) {
      resource ??= step.groups.name;
      const found = errorText(step.groups.rest!);
      if (found && !GENERIC.test(found)) cause ??= found;
      continue;
    }
    if (step?.groups) continue; // the stack's own line: `pulumi:pulumi:Stack … error: update failed`
    const found = errorText(segment);
    if (found === undefined) {
      if (!GENERIC.test(segment) && !segment.endsWith(':')) plain ??= segment;
    } else if (!GENERIC.test(found)) cause ??= found;
  }
  cause ??= plain;
  if (!cause) return oneLine(text);
  if (resource && !cause.startsWith(`${resource}:`)) cause = `${resource}: ${cause}`;
  return oneLine(context ? `${context[1]}: ${cause}` : cause);
}

function domainErrorIn(err: unknown): DomainError | undefined {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) if (e instanceof DomainError) return e;
  return undefined;
}

/**
 * Bounds of the one-line cause: text the platform wrote itself (a DomainError, such as a target
 * check listing each failure with its fix) is kept whole up to a generous bound; a cause cut from
 * the engine's output is kept short (its full text is in the events).
 */
const OWN_TEXT_MAX = 4000;
const ENGINE_TEXT_MAX = 400;

function oneLine(text: string, max = ENGINE_TEXT_MAX): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
