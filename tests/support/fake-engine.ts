/**
 * A fake `StackEngine` for worker tests: every call is recorded, succeeds at once, and can be
 * made to fail (or to run a hook, e.g. to abort or to simulate a takeover) per method.
 */
import { EngineError } from '../../stacks/engine/engine-error.ts';
import type { RunOptions, StackTarget } from '../../stacks/engine/engine.ts';

export type FakeMethod = 'up' | 'preview' | 'refresh' | 'destroy' | 'resources' | 'remove';

/** What one call does before it answers: throw, or run a hook (which may itself throw). */
export type FakeFault = { error: Error } | { hook: (call: FakeCall) => Promise<void> | void };

export interface FakeCall {
  method: FakeMethod;
  stackName: string;
  /** The `run` options the worker passed (signal, onEvent), when the method takes them. */
  run?: RunOptions;
  target?: StackTarget;
}

export class FakeEngine {
  readonly calls: FakeCall[] = [];
  /** Faults consumed in order, per method. */
  readonly faults: Partial<Record<FakeMethod, FakeFault[]>> = {};
  /** Drift the next refresh reports. */
  drift: { resource: string; resourceType: string; op: string; fields: string[] }[] = [];

  /** Makes the next call of `method` fail with `error` (a failed cloud call by default). */
  failNext(method: FakeMethod, error: Error = new EngineError('failed', `sim: injected ${method} failure`)): void {
    (this.faults[method] ??= []).push({ error });
  }

  /** Runs `hook` inside the next call of `method`, before it answers. */
  onNext(method: FakeMethod, hook: (call: FakeCall) => Promise<void> | void): void {
    (this.faults[method] ??= []).push({ hook });
  }

  async #call(call: FakeCall): Promise<void> {
    this.calls.push(call);
    const fault = this.faults[call.method]?.shift();
    if (!fault) return;
    if ('error' in fault) throw fault.error;
    await fault.hook(call);
  }

  async up(target: StackTarget, run: RunOptions = {}, _opts: { refresh?: boolean } = {}) {
    await this.#call({ method: 'up', stackName: target.stackName, run, target });
    return { changes: { same: 1 }, outputs: { endpoint: { value: `https://${target.stackName}.sim`, secret: false } } };
  }

  async preview(target: StackTarget, run: RunOptions = {}, _opts: { refresh?: boolean } = {}) {
    await this.#call({ method: 'preview', stackName: target.stackName, run, target });
    return { changes: { same: 1 }, steps: [] };
  }

  async refresh(target: StackTarget, _opts: { previewOnly: boolean }, run: RunOptions = {}) {
    await this.#call({ method: 'refresh', stackName: target.stackName, run, target });
    return { changes: {}, drift: this.drift };
  }

  async destroy(target: StackTarget, _opts: { remove: boolean; targets?: string[] }, run: RunOptions = {}) {
    await this.#call({ method: 'destroy', stackName: target.stackName, run, target });
    return { changes: { delete: 1 } };
  }

  async resources(target: StackTarget) {
    await this.#call({ method: 'resources', stackName: target.stackName, target });
    return [];
  }

  async remove(stackName: string) {
    await this.#call({ method: 'remove', stackName });
  }
}
