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
