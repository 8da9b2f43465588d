/**
 * Model-based test of the cluster lifecycle. Random sequences of create, update, upgrade, drift
 * (refresh), reconcile, retry and delete, each with an injected failure or interruption, are run
 * against an independent reference model written out here, and invariants are checked after
 * every step: the status (and the failure) is what the model says; a failure and its operation
 * are kept until a successful retry or delete; at most one active operation; nothing starts on a
 * deleted cluster; versions never move backwards.
 *
 * fast-check is not installed in this repository, so sequences come from a seeded generator
 * (mulberry32); a failing run prints its seed and steps. Two runners share the generator and the
 * model: the pure one (300 sequences) drives `startError`/`stateAfter` directly; the DB-backed one
 * (fewer sequences, for time) drives the real API callers and the real `runOperation` on real
 * PostgreSQL with a fake StackEngine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { runOperation } from '../api/worker/run-operation.ts';
import { canStart, stateAfter, type ClusterState, type OperationKind } from '../platform/cluster-lifecycle.ts';
import { EngineError } from '../stacks/engine/engine-error.ts';
import { FakeEngine, type FakeMethod } from './support/fake-engine.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

type Command = 'create' | 'update' | 'upgrade' | 'drift' | 'reconcile' | 'retry' | 'delete';
type Fault = 'none' | 'fail' | 'interrupt';
interface Step {
  command: Command;
  fault: Fault;
}

const COMMANDS: Command[] = ['update', 'upgrade', 'drift', 'reconcile', 'retry', 'delete', 'create'];
const KIND: Record<Exclude<Command, 'retry'>, OperationKind> = { create: 'create', update: 'update', upgrade: 'upgrade', drift: 'refresh', reconcile: 'reconcile', delete: 'delete' };
const VERSIONS = ['1.31', '1.32', '1.33', '1.34'];

/** mulberry32: a small seeded PRNG, so every sequence can be replayed from its seed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A sequence: the first step creates the cluster; later ones are random (a later create is refused). */
function sequence(seed: number, length: number): Step[] {
  const random = prng(seed);
  const pick = <T,>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;
  const fault = (): Fault => pick<Fault>(['none', 'none', 'fail', 'interrupt']);
  return [{ command: 'create', fault: fault() }, ...Array.from({ length: length - 1 }, () => ({ command: pick(COMMANDS), fault: fault() }))];
}

// ---- the reference model, written out independently of platform/cluster-lifecycle.ts ----

interface ModelState {
  status: 'requested' | 'ready' | 'failed' | 'deleted';
  failure?: { operation: OperationKind; reason: string };
  version: string;
}

const EVERYTHING_BUT_CREATE: OperationKind[] = ['update', 'upgrade', 'refresh', 'reconcile', 'delete'];

/** What may start, by hand: requested → create/delete; ready → all but create; failed → by what failed. */
function modelAllows(state: ModelState, kind: OperationKind): boolean {
  switch (state.status) {
    case 'requested':
      return kind === 'create' || kind === 'delete';
    case 'ready':
      return EVERYTHING_BUT_CREATE.includes(kind);
    case 'deleted':
      return false;
    case 'failed':
      if (state.failure!.operation === 'create') return kind === 'create' || kind === 'delete';
      if (state.failure!.operation === 'delete') return kind === 'delete' || kind === 'refresh';
      return EVERYTHING_BUT_CREATE.includes(kind);
  }
}

const nextVersion = (v: string) => VERSIONS[VERSIONS.indexOf(v) + 1];

/** The operation a command starts, or undefined when the API refuses it before starting anything. */
function modelKind(state: ModelState, command: Command, first: boolean): OperationKind | undefined {
  if (command === 'retry') return state.status === 'failed' ? state.failure!.operation : undefined;
  const kind = KIND[command];
  // `clusters create` makes a new cluster: refused while one of that name lives (retry recreates), a
  // fresh cluster once the old one is deleted (its record stays, untouched)
  if (command === 'create') return first || state.status === 'deleted' ? 'create' : undefined;
  if (command === 'upgrade' && !nextVersion(state.version)) return undefined;
  return modelAllows(state, kind) ? kind : undefined;
}

/** The state after `kind` ended (an interruption resumes and succeeds). */
function modelAfter(state: ModelState, kind: OperationKind, fault: Fault, reason: string, upgradeTo?: string): ModelState {
  if (kind === 'create' && state.status === 'deleted') return modelAfter({ status: 'requested', version: '1.31' }, kind, fault, reason);
  if (kind === 'refresh') return state; // a drift check never changes the state
  if (fault === 'fail') return { ...state, status: 'failed', failure: { operation: kind, reason } };
  const version = kind === 'upgrade' && upgradeTo ? upgradeTo : state.version;
  return { status: kind === 'delete' ? 'deleted' : 'ready', version };
}

const describeSteps = (seed: number, steps: Step[]) => `seed ${seed}: ${steps.map((s) => `${s.command}${s.fault === 'none' ? '' : `!${s.fault}`}`).join(' → ')}`;

describe('lifecycle model: the pure rule', () => {
  it('agrees with the reference model on 300 random sequences', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const steps = sequence(seed, 12);
      let model: ModelState = { status: 'requested', version: '1.31' };
      let actual: ClusterState = { status: 'requested' };
      for (const [i, step] of steps.entries()) {
        const where = `${describeSteps(seed, steps)} (step ${i + 1})`;
        const kind = modelKind(model, step.command, i === 0);
        const asked = step.command === 'retry' ? actual.failure?.operation : KIND[step.command];
        if (step.command !== 'upgrade' || nextVersion(model.version)) {
          if (asked && step.command !== 'create') expect(canStart(actual, asked), where).toBe(kind !== undefined);
        }
        if (!kind) continue;
        const reason = `injected ${kind} failure at step ${i + 1}`;
        const outcome = step.fault === 'fail' ? 'failed' : 'succeeded';
        const previous = model;
        model = modelAfter(model, kind, step.fault, reason, nextVersion(model.version));
        if (kind === 'create' && actual.status === 'deleted') actual = { status: 'requested' }; // a new cluster of that name
        actual = stateAfter(kind, outcome, actual, reason);
        expect(actual, where).toEqual(model.failure ? { status: model.status, failure: model.failure } : { status: model.status });
        if (previous.status === 'failed' && model.status === 'failed') {
          // a failure is replaced only by a newer failure of a started operation, never by a drift check
          expect(model.failure!.operation === previous.failure!.operation || kind !== 'refresh', where).toBe(true);
        }
      }
    }
  });
});

describe('lifecycle model: the worker on PostgreSQL', () => {
  let p: TestPlatform;
  let alice: Actor;
  const SEQUENCES = 30;
  const LENGTH = 8;

  /** The control-plane minor the fake cloud reports: the model's upgrade target (set before each upgrade starts). */
  let fakeCloudVersion = '1.31';
  beforeAll(async () => {
    p = await testPlatform();
    // the fake engine changes no cloud, so the health gates read a fake cloud that follows the
    // model: healthy at the version the upgrade moves to, nothing blocking (gates are tested in
    // tests/upgrade.gates.test.ts against the sim cloud)
    p.services.clusterProbe = () => ({
      signals: async () => ({ apiServer: { reachable: true, gitVersion: `v${fakeCloudVersion}.0` }, nodes: [], workloads: [], systemPods: [] }),
      prometheus: async () => undefined,
      runJob: async () => ({ succeeded: true, message: 'fake' }),
      preflight: async () => ({ deprecatedApis: [], blockingPdbs: [], surge: [] }),
    });
    alice = await p.actor('alice', 'member', await p.team('payments', { maxClusters: 100, maxTotalNodes: 10_000 }));
  });
  afterAll(async () => {
    await p.close();
  });

  /** The first engine call of each operation kind: where a fault is injected. */
  const FIRST_CALL: Record<OperationKind, FakeMethod> = { create: 'up', update: 'up', upgrade: 'up', rollback: 'up', refresh: 'refresh', reconcile: 'preview', delete: 'resources' };

  it(`agrees with the reference model on ${SEQUENCES} random sequences of ${LENGTH} steps`, async () => {
    const { db } = p.services;
    for (let seed = 1001; seed < 1001 + SEQUENCES; seed++) {
      const steps = sequence(seed, LENGTH);
      const name = `m${seed}`;
      const engine = new FakeEngine();
      let model: ModelState = { status: 'requested', version: '1.31' };
      let lastVersion = '1.31';
      const deleted = new Map<string, number>(); // deleted cluster id → its operation count
      let size = 1;
      for (const [i, step] of steps.entries()) {
        const where = `${describeSteps(seed, steps)} (step ${i + 1})`;
        const kind = modelKind(model, step.command, i === 0);
        const reason = `injected ${kind} failure at step ${i + 1}`;
        const upgradeTo = nextVersion(model.version);
        const start = async () => {
          if (upgradeTo) fakeCloudVersion = upgradeTo;
          const c = p.caller(alice).clusters;
          switch (step.command) {
            case 'create':
              return (await c.create({ name, template: 'sim-dev', set: ['kubernetesVersion=1.31', 'nodePools.general.desiredSize=1'] })).operation;
            case 'update':
              return (await c.update({ name, set: [`nodePools.general.desiredSize=${(size % 3) + 1}`] })).operation;
            case 'upgrade':
              if (!upgradeTo) throw new Error('no newer version to upgrade to');
              return (await c.upgrade({ name, to: upgradeTo })).operation!;
            case 'drift':
              return (await c.drift({ name })).operation;
            case 'reconcile':
              return (await c.reconcile({ name })).operation;
            case 'retry':
              return (await c.retry({ name })).operation;
            case 'delete':
              return (await c.delete({ name, confirm: name })).operation!;
          }
        };
        // the first create always starts; later steps are refused exactly when the model refuses them
        if (!kind) {
          await expect(start(), where).rejects.toThrow();
        } else {
          if (step.fault === 'fail') engine.failNext(FIRST_CALL[kind], new EngineError('invalid', reason));
          const operation = await start();
          expect(operation!.kind, where).toBe(kind);
          if (step.fault === 'interrupt') {
            const shutdown = new AbortController();
            engine.onNext(FIRST_CALL[kind], () => {
              shutdown.abort();
              throw new EngineError('cancelled', 'the operation was cancelled');
            });
            expect(await runOperation(p.services, operation!.id, { retries: 0, backoffMs: 1 }, shutdown.signal, engine), where).toBe('interrupted');
          }
          expect(await runOperation(p.services, operation!.id, { retries: 0, backoffMs: 1 }, new AbortController().signal, engine), where).toBe('done');
          if (kind === 'update' && step.fault !== 'fail') size += 1;
          if (kind === 'create' && model.status === 'deleted') lastVersion = '1.31';
          model = modelAfter(model, kind, step.fault, reason, upgradeTo);
        }
        const row = await db.selectFrom('clusters').selectAll().where('name', '=', name).orderBy('created_at', 'desc').executeTakeFirst();
        const ops = row ? await db.selectFrom('operations').selectAll().where('cluster_id', '=', row.id).execute() : [];
        // status and failure are the model's
        expect({ status: row?.status ?? 'requested', failed: row?.failed_operation ?? null, reason: row?.status === 'failed' ? row.status_reason : null }, where).toEqual({
          status: model.status,
          failed: model.failure?.operation ?? null,
          // an upgrade names the step that failed around the reason
          reason: model.failure ? expect.stringContaining(model.failure.reason) : null,
        });
        // at most one active operation (none once the worker is done)
        expect(ops.filter((o) => o.status === 'queued' || o.status === 'running').length, where).toBe(0);
        // nothing starts on a deleted cluster
        if (row && model.status === 'deleted' && !deleted.has(row.id)) deleted.set(row.id, ops.length);
        for (const [id, count] of deleted) {
          expect((await db.selectFrom('operations').select('id').where('cluster_id', '=', id).execute()).length, where).toBe(count);
        }
        // versions never move backwards, and move only through a successful upgrade step
        if (row) {
          expect(VERSIONS.indexOf(row.kubernetes_version), where).toBeGreaterThanOrEqual(VERSIONS.indexOf(lastVersion));
          expect(row.kubernetes_version, where).toBe(model.version);
          lastVersion = row.kubernetes_version;
        }
      }
    }
  });
});
