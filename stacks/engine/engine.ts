/**
 * The engine adapter: the one place that drives the Pulumi Automation API. Each cluster stack gets
 * its own workspace directory (concurrent create/select on a shared one corrupts it,
 * pulumi/pulumi#8186), inline programs, a configurable state backend and secrets provider, engine
 * events streamed to a callback, and recovery from stale locks and pending operations left by a
 * dead process.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  CommandError,
  ConcurrentUpdateError,
  LocalWorkspace,
  PulumiCommand,
  StackAlreadyExistsError,
  type ConfigValue,
  type EngineEvent,
  type OutputMap,
  type PulumiFn,
  type Stack,
} from '@pulumi/pulumi/automation/index.js';
import { nodeModulesDir } from './pulumi-cli.ts';
import { urnName } from './urn.ts';
import { changedPaths, toProgressEvent, type ProgressEvent } from './progress.ts';
import { describeLock, isProcessRunning, pendingOperations } from './recovery.ts';
import { lockStoreFor, type StackLock, type StateLockStore } from './state-lock-store.ts';
import { lockVerdict, type LockOwnerAuthority } from './state-lock.ts';
import { EngineError, toEngineError } from './engine-error.ts';
import { isStackNotFound, openWithoutSelect, RunRecord } from './lean-stack.ts';

export const PROJECT_NAME = 'kaas';
const STACK_NAME = /^[a-z0-9][a-z0-9-]{0,99}$/;

export interface EngineOptions {
  /** Platform home; workspaces live under `<home>/workspaces`, Pulumi's own files under `<home>/pulumi`. */
  home: string;
  /** State backend: `file://…`, `s3://…`, `gs://…` or `azblob://…`. */
  backendUrl: string;
  /** `passphrase` (default) or a KMS URL (`awskms://…`, `gcpkms://…`, `azurekeyvault://…`). */
  secretsProvider: string;
  /** Passphrase for the `passphrase` secrets provider. */
  passphrase?: string;
  /**
   * Directory holding the `pulumi` CLI (`findPulumiBinDir` of the caller's settings); undefined
   * means it is not installed, and every run fails with `cli-missing`.
   */
  pulumiBinDir: string | undefined;
  /** The host's PATH, appended to the CLI's and Node's directories for the engine and providers. */
  hostPath?: string;
  /** Extra environment for the engine and providers (cloud credentials come from here or the process). */
  env?: Record<string, string>;
  /**
   * How long a run waits for a live stack lock to be released before failing `locked`, and how
   * often it looks again (default: no wait).
   */
  lockWait?: { maxMs: number; pollMs?: number };
}

/** One stack and the program that declares it. */
export interface StackTarget {
  stackName: string;
  program: PulumiFn;
  config?: Record<string, ConfigValue>;
  /**
   * The stack must already be in the backend (the cluster was applied before). It is selected,
   * never created: a missing stack is an EngineError `state-missing`, not a fresh empty stack
   * whose destroy "removes nothing" and whose refresh "finds no drift".
   */
  expectState?: boolean;
}

export interface RunOptions {
  onEvent?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
  /** The platform's records of who owns a lock taken on another host (state-lock.ts). */
  lockOwners?: LockOwnerAuthority;
}

/** Stack outputs, with secrets flagged (callers must not log those). */
export type StackOutputs = Record<string, { value: unknown; secret: boolean }>;

export interface ChangeSummary {
  changes: Record<string, number>;
}

/** One resource of a stack's state. */
export interface StackResource {
  urn: string;
  type: string;
  parent?: string;
}

/** One resource whose cloud state differs from the recorded state. */
export interface DriftItem {
  resource: string;
  resourceType: string;
  op: string;
  fields: string[];
}

export class Engine {
  readonly options: EngineOptions;
  #command: Promise<PulumiCommand> | undefined;
  #locks: StateLockStore | undefined;

  constructor(options: EngineOptions) {
    this.options = options;
    // a file backend's directory must exist before the CLI can use it
    if (options.backendUrl.startsWith('file://')) fs.mkdirSync(fileURLToPath(options.backendUrl.split('?')[0]!), { recursive: true });
    this.#locks = lockStoreFor(options.backendUrl, options.env);
  }

  /** The stack's locks in the backend ([] for a backend whose locks the platform does not read). */
  async stackLocks(stackName: string): Promise<StackLock[]> {
    if (!STACK_NAME.test(stackName)) throw new EngineError('invalid', `invalid stack name "${stackName}"`);
    return (await this.#locks?.list(PROJECT_NAME, stackName)) ?? [];
  }

  /** The stacks of this project that have a lock now. */
  async lockedStacks(): Promise<string[]> {
    return (await this.#locks?.lockedStacks(PROJECT_NAME)) ?? [];
  }

  /** Removes one lock of the stack (the audited admin clear decides whether it may). */
  async clearStackLock(stackName: string, lockId: string): Promise<void> {
    if (!STACK_NAME.test(stackName)) throw new EngineError('invalid', `invalid stack name "${stackName}"`);
    if (!this.#locks) throw new EngineError('invalid', `the platform cannot read the locks of this backend (${this.options.backendUrl.split('?')[0]}); use \`pulumi cancel\``);
    await this.#locks.remove(PROJECT_NAME, stackName, lockId);
  }

  /**
   * Creates or updates the stack's resources. With `refresh`, reads the cloud first, so resources
   * edited out of band are put back to the declared spec (reconcile).
   */
  async up(target: StackTarget, run: RunOptions = {}, opts: { refresh?: boolean } = {}): Promise<ChangeSummary & { outputs: StackOutputs }> {
    const record = new RunRecord();
    const stack = await this.#open(target, run, record);
    await this.#withPendingRecovery(target, stack, run, () =>
      stack.up({ onEvent: this.#sink(run, record), refresh: opts.refresh ?? false, ...(run.signal ? { signal: run.signal } : {}) }),
    );
    // outputs and counts from the run's events (secret values masked), not from more CLI calls;
    // should the events ever lack the outputs, ask the CLI rather than record none (an applied
    // cluster is known by its recorded outputs)
    const outputs = record.sawOutputs ? record.outputs : await this.#cli(target, () => stack.workspace.stackOutputs(stack.name));
    return { changes: record.changes, outputs: mapOutputs(outputs) };
  }

  /** Shows what `up` would change (reading the cloud first with `refresh`), changing nothing. */
  async preview(target: StackTarget, run: RunOptions = {}, opts: { refresh?: boolean } = {}): Promise<ChangeSummary & { steps: ProgressEvent[] }> {
    const stack = await this.#open(target, run, new RunRecord());
    const steps: ProgressEvent[] = [];
    const result = await this.#withPendingRecovery(target, stack, run, () =>
      stack.preview({ onEvent: this.#sink(run, undefined, steps), refresh: opts.refresh ?? false, ...(run.signal ? { signal: run.signal } : {}) }),
    );
    return { changes: { ...result.changeSummary } as Record<string, number>, steps: steps.filter((s) => s.kind === 'step-started') };
  }

  /**
   * Compares recorded state with the cloud. `previewOnly` reports drift without adopting it;
   * otherwise the state is updated to what the cloud has.
   */
  async refresh(target: StackTarget, opts: { previewOnly: boolean }, run: RunOptions = {}): Promise<ChangeSummary & { drift: DriftItem[] }> {
    const record = new RunRecord();
    const stack = await this.#open(target, run, record);
    const drift: DriftItem[] = [];
    const onEvent = (event: EngineEvent) => {
      const meta = event.resOutputsEvent?.metadata;
      if (meta && meta.op !== 'same' && !meta.type.startsWith('pulumi:')) {
        const fields = meta.diffs?.length ? meta.diffs : changedPaths((meta.old as StateWithOutputs)?.outputs, (meta.new as StateWithOutputs)?.outputs);
        drift.push({ resource: urnName(meta.urn), resourceType: meta.type, op: meta.op, fields });
      }
      this.#sink(run, record)(event);
    };
    const signal = run.signal ? { signal: run.signal } : {};
    const changes = await this.#withPendingRecovery(target, stack, run, async () =>
      opts.previewOnly ? (await stack.previewRefresh({ onEvent, ...signal })).changeSummary : (await stack.refresh({ onEvent, ...signal }), record.changes),
    );
    return { changes: { ...changes } as Record<string, number>, drift };
  }

  /**
   * Deletes every resource of the stack; with `remove`, the stack and its workspace too. With
   * `targets` (URNs), deletes only those and what depends on them (ordered teardown stages).
   */
  async destroy(target: StackTarget, opts: { remove: boolean; targets?: string[] }, run: RunOptions = {}): Promise<ChangeSummary> {
    const record = new RunRecord();
    const stack = await this.#open(target, run, record);
    const targeted = opts.targets ? { target: opts.targets, targetDependents: true } : {};
    await this.#withPendingRecovery(target, stack, run, () =>
      stack.destroy({ onEvent: this.#sink(run, record), ...targeted, ...(run.signal ? { signal: run.signal } : {}) }),
    );
    if (opts.remove) await this.remove(target.stackName);
    return { changes: record.changes };
  }

  /** The resources recorded in the stack's state (none for a stack that does not exist yet). */
  async resources(target: StackTarget): Promise<StackResource[]> {
    const stack = await this.#open(target, {}, new RunRecord(), true);
    const deployment = (await this.#cli(target, () => stack.exportStack())).deployment as { resources?: { urn: string; type: string; parent?: string }[] };
    return (deployment.resources ?? []).map((r) => ({ urn: r.urn, type: r.type, ...(r.parent ? { parent: r.parent } : {}) }));
  }

  /** The stack's current outputs, secret values included ({} for a stack not in the backend). */
  async outputs(target: StackTarget): Promise<StackOutputs> {
    const workspace = await this.#workspace(target.stackName, target.program);
    try {
      return mapOutputs(await workspace.stackOutputs(target.stackName));
    } catch (err) {
      if (isStackNotFound(err) && !target.expectState) return {};
      throw this.#cliError(target, err);
    }
  }

  /** Cancels the stack's running update (used after a graceful abort did not finish). */
  async cancel(target: StackTarget): Promise<void> {
    const stack = await this.#open(target, {}, new RunRecord(), true);
    await this.#cli(target, () => stack.cancel());
  }

  /** Removes the stack from the backend and deletes its workspace directory. */
  async remove(stackName: string): Promise<void> {
    const workspace = await this.#workspace(stackName, async () => ({}));
    try {
      await workspace.removeStack(stackName, { force: true });
    } catch (err) {
      if (!isStackNotFound(err)) throw toEngineError(err);
    }
    fs.rmSync(this.#workDir(stackName), { recursive: true, force: true });
  }

  /** Whether the stack exists in the backend. */
  async stackExists(stackName: string): Promise<boolean> {
    const hadWorkDir = fs.existsSync(this.#workDir(stackName));
    try {
      const workspace = await this.#workspace(stackName, async () => ({}));
      return (await workspace.listStacks()).some((s) => s.name === stackName);
    } finally {
      if (!hadWorkDir) fs.rmSync(this.#workDir(stackName), { recursive: true, force: true });
    }
  }

  #workDir(stackName: string): string {
    return path.join(this.options.home, 'workspaces', stackName);
  }

  #pulumiCommand(): Promise<PulumiCommand> {
    this.#command ??= (async () => {
      const binDir = this.options.pulumiBinDir;
      if (!binDir) {
        throw new EngineError('cli-missing', 'the pulumi CLI for this SDK is not installed', 'run `npm run setup:pulumi` (it builds or downloads the matching CLI)');
      }
      return PulumiCommand.get({ root: path.dirname(binDir) });
    })();
    return this.#command;
  }

  async #workspace(stackName: string, program: PulumiFn) {
    if (!STACK_NAME.test(stackName)) throw new EngineError('invalid', `invalid stack name "${stackName}"`);
    const workDir = this.#workDir(stackName);
    fs.mkdirSync(workDir, { recursive: true });
    const pulumiCommand = await this.#pulumiCommand();
    const binDir = path.dirname(pulumiCommand.command);
    const pulumiHome = path.join(this.options.home, 'pulumi');
    fs.mkdirSync(pulumiHome, { recursive: true });
    return LocalWorkspace.create({
      workDir,
      pulumiHome,
      pulumiCommand,
      program,
      secretsProvider: this.options.secretsProvider,
      projectSettings: { name: PROJECT_NAME, runtime: 'nodejs', backend: { url: this.options.backendUrl } },
      envVars: {
        PULUMI_SKIP_UPDATE_CHECK: 'true',
        PULUMI_BACKEND_URL: this.options.backendUrl,
        // the dynamic-provider launcher resolves @pulumi/pulumi from the workspace directory
        NODE_PATH: nodeModulesDir(),
        PATH: `${binDir}${path.delimiter}${path.dirname(process.execPath)}${path.delimiter}${this.options.hostPath ?? ''}`,
        ...(this.options.passphrase !== undefined ? { PULUMI_CONFIG_PASSPHRASE: this.options.passphrase } : {}),
        ...this.options.env,
      },
    });
  }

  /**
   * The stack object for one operation, with only the CLI processes it needs: a stack never
   * applied is created (`stack init`, refused harmlessly when a failed create left it); an applied
   * one is not selected at all, the operation's own command finds it or fails `state-missing`.
   * Stale locks are removed and live ones waited for first (`#settleLocks`); `lockedOk` for the
   * calls that take no lock (reads, cancel): stale locks are still removed, live ones left.
   */
  async #open(target: StackTarget, run: RunOptions, record: RunRecord, lockedOk = false): Promise<Stack> {
    const workspace = await this.#workspace(target.stackName, target.program);
    const recovered = await this.#settleLocks(target.stackName, run, lockedOk);
    if (!target.expectState) await this.#createIfNew(target.stackName, workspace);
    const stack = await openWithoutSelect(target.stackName, workspace, record);
    if (target.config && Object.keys(target.config).length > 0) await this.#cli(target, () => stack.setAllConfig(target.config!));
    if (recovered) await this.#cli(target, () => this.#clearPending(stack, run));
    return stack;
  }

  async #createIfNew(stackName: string, workspace: LocalWorkspace): Promise<void> {
    try {
      await workspace.createStack(stackName);
    } catch (err) {
      // a locked stack exists too: the operation itself meets the lock and reports who holds it
      if (!(err instanceof StackAlreadyExistsError) && !(err instanceof ConcurrentUpdateError)) throw toEngineError(err);
    }
  }

  /** Runs a CLI call on the target's stack, mapping a missing applied stack to `state-missing`. */
  async #cli<T>(target: StackTarget, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      throw this.#cliError(target, err);
    }
  }

  #cliError(target: StackTarget, err: unknown): EngineError {
    if (!target.expectState || !(err instanceof CommandError) || !isStackNotFound(err)) return toEngineError(err);
    return new EngineError(
      'state-missing',
      `the state of stack ${target.stackName} is not in this worker's Pulumi backend (${this.options.backendUrl}); the cluster was applied before, so its cloud resources may still exist`,
      "run the worker with the fleet's KAAS_PULUMI_BACKEND and secrets (for the default file backend, the same KAAS_HOME), then retry",
      err,
    );
  }

  /**
   * Removes the stack's stale locks (`lockVerdict`) and waits, up to `lockWait`, for live ones to
   * be released, saying who holds them; then fails `locked` with who holds it. Returns whether a
   * stale lock was removed (its run may have left pending operations).
   */
  async #settleLocks(stackName: string, run: RunOptions, lockedOk: boolean): Promise<boolean> {
    const maxMs = this.options.lockWait?.maxMs ?? 0;
    const pollMs = this.options.lockWait?.pollMs ?? 2000;
    const started = Date.now();
    let removed = false;
    let announced = false;
    for (;;) {
      const locks = await this.stackLocks(stackName).catch((err: unknown) => {
        throw new EngineError('failed', `reading the stack's locks in ${this.options.backendUrl.split('?')[0]} failed: ${(err as Error).message}`, 'check the backend URL and its credentials (for s3://, the standard AWS variables)', err);
      });
      const live: string[] = [];
      for (const lock of locks) {
        const owner = lock.hostname === os.hostname() ? undefined : await run.lockOwners?.ownerOf(lock, stackName);
        const verdict = lockVerdict(lock, { hostname: os.hostname(), isProcessRunning }, owner);
        if (verdict.stale) {
          run.onEvent?.({ kind: 'diagnostic', severity: 'warning', message: `recovering: removed the lock of a dead pulumi process (${describeLock(lock)}): ${verdict.reason}` });
          await this.#locks!.remove(PROJECT_NAME, stackName, lock.id);
          removed = true;
        } else {
          live.push(`${describeLock(lock)}: ${verdict.reason}`);
        }
      }
      if (live.length === 0 || lockedOk) return removed;
      const waited = Date.now() - started;
      if (waited >= maxMs || run.signal?.aborted) {
        throw new EngineError(
          maxMs > 0 ? 'lock-held' : 'locked',
          `stack ${stackName} is locked by another operation (${live.join('; ')})${maxMs > 0 ? `; waited ${Math.round(waited / 1000)} s, the bound (KAAS_STATE_LOCK_WAIT_SECONDS)` : ''}`,
          'wait for it to finish; a lock is only broken when its owner is gone (this host: its process; another host: the platform\'s records), or by a platform admin with `kaas locks clear`',
        );
      }
      if (!announced) {
        run.onEvent?.({ kind: 'diagnostic', severity: 'warning', message: `waiting for the stack lock held by ${live.join('; ')}; waiting up to ${Math.round(maxMs / 1000)} s` });
        announced = true;
      }
      await sleep(Math.min(pollMs, Math.max(0, maxMs - waited)), undefined, run.signal ? { signal: run.signal } : {}).catch(() => undefined);
    }
  }

  /** Resolves pending operations left by a crash: refresh, dropping pending creates. */
  async #clearPending(stack: Stack, run: RunOptions): Promise<void> {
    const pending = pendingOperations(await stack.exportStack());
    if (pending.length === 0) return;
    run.onEvent?.({ kind: 'diagnostic', severity: 'warning', message: `recovering: refreshing ${pending.length} operation(s) interrupted by a crash` });
    await stack.refresh({ clearPendingCreates: true, onEvent: this.#sink(run) });
  }

  async #withPendingRecovery<T>(target: StackTarget, stack: Stack, run: RunOptions, operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (err) {
      if (err instanceof ConcurrentUpdateError) {
        const live = await this.stackLocks(stack.name).catch(() => []);
        throw new EngineError('locked', `stack ${stack.name} is locked by another operation${live.length ? ` (${live.map(describeLock).join(', ')})` : ''}`, 'wait for it to finish; a lock is only broken when its owner is gone', err);
      }
      if (/pending operations/i.test(String((err as Error).message))) {
        await this.#clearPending(stack, run);
        return this.#cli(target, operation);
      }
      throw this.#cliError(target, err);
    }
  }

  #sink(run: RunOptions, record?: RunRecord, collect?: ProgressEvent[]): (event: EngineEvent) => void {
    return (event) => {
      record?.observe(event);
      const progress = toProgressEvent(event);
      if (!progress) return;
      collect?.push(progress);
      run.onEvent?.(progress);
    };
  }
}

type StateWithOutputs = { outputs?: Record<string, unknown> } | undefined;

function mapOutputs(outputs: OutputMap): StackOutputs {
  return Object.fromEntries(Object.entries(outputs).map(([key, o]) => [key, { value: o.value, secret: o.secret }]));
}
