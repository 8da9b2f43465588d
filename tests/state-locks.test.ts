/**
 * Stack locks with PostgreSQL as the authority. A Pulumi DIY lock names only the pid and host of
 * the `pulumi` process that took it (pulumi/pulumi pkg/backend/diy/lock.go@v3.260.0); the
 * platform records which worker (host, pid) runs each attempt and its heartbeat, and answers
 * whether the owner of a lock taken on another host is alive. Real PostgreSQL and `runOperation`
 * with a fake engine for the records; the real engine (file backend) for the wait and the clear.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { runOperation } from '../api/worker/run-operation.ts';
import { ATTEMPT_ALIVE_SECONDS } from '../api/worker/state-lock-owner.ts';
import { Engine } from '../stacks/engine/engine.ts';
import { EngineError } from '../stacks/engine/engine-error.ts';
import type { ProgressEvent } from '../stacks/engine/progress.ts';
import type { LockOwner, LockOwnerAuthority } from '../stacks/engine/state-lock.ts';
import { simProgram } from '../stacks/sim/program.ts';
import { engineHome, pulumiCliMissing, type EngineHome } from './support/engine.ts';
import { FakeEngine } from './support/fake-engine.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';
import { simSpec } from './support/specs.ts';

const OTHER_HOST = 'worker-b.kaas.internal';

describe('the platform knows who owns a stack lock', () => {
  let p: TestPlatform;
  let alice: Actor;
  const settings = { retries: 0, backoffMs: 1 };
  const signal = () => new AbortController().signal;

  beforeAll(async () => {
    p = await testPlatform();
    alice = await p.actor('alice', 'member', await p.team('payments'));
  });
  afterAll(async () => {
    await p.close();
  });

  it('records the worker of each attempt, and answers dead, alive or unknown for a lock from another host', async () => {
    const { operation } = await p.caller(alice).clusters.create({ name: 'web', template: 'sim-dev' });
    const cluster = await p.services.db.selectFrom('clusters').select(['stack_name']).where('name', '=', 'web').executeTakeFirstOrThrow();
    const lock = { id: 'l1', location: 'test', pid: 4242, hostname: OTHER_HOST };
    const answers: Record<string, LockOwner> = {};
    const db = p.services.db;
    const engine = new FakeEngine();
    engine.onNext('up', async (call) => {
      const owners = call.run?.lockOwners as LockOwnerAuthority;
      expect(owners).toBeDefined();
      // this attempt is recorded with this worker's host and pid while it runs
      const self = await db.selectFrom('operation_attempts').selectAll().where('operation_id', '=', operation.id).execute();
      expect(self).toEqual([expect.objectContaining({ attempt: 1, host: os.hostname(), pid: process.pid, ended_at: null })]);
      answers.none = await owners.ownerOf(lock, cluster.stack_name);
      // an earlier attempt of this operation ran on the other host and still heartbeats
      await db.insertInto('operation_attempts').values({ operation_id: operation.id, attempt: 0, host: OTHER_HOST, pid: 777 }).execute();
      answers.fresh = await owners.ownerOf(lock, cluster.stack_name);
      await db.updateTable('operation_attempts').set({ heartbeat_at: sql`now() - make_interval(secs => ${ATTEMPT_ALIVE_SECONDS + 5})` }).where('attempt', '=', 0).execute();
      answers.silent = await owners.ownerOf(lock, cluster.stack_name);
      await db.updateTable('operation_attempts').set({ heartbeat_at: sql`now()`, ended_at: sql`now()` }).where('attempt', '=', 0).execute();
      answers.ended = await owners.ownerOf(lock, cluster.stack_name);
      answers.otherStack = await owners.ownerOf(lock, 'kaas-c0nothere');
    });
    expect(await runOperation(p.services, operation.id, settings, signal(), engine)).toBe('done');
    expect(answers.none).toMatchObject({ state: 'unknown' });
    expect(answers.fresh).toMatchObject({ state: 'alive' });
    expect(answers.fresh!.detail).toContain(`operation ${operation.id} attempt 0, worker pid 777 on ${OTHER_HOST}`);
    expect(answers.silent).toMatchObject({ state: 'dead' });
    expect(answers.silent!.detail).toContain(`no heartbeat for over ${ATTEMPT_ALIVE_SECONDS} s`);
    expect(answers.ended).toMatchObject({ state: 'dead' });
    expect(answers.otherStack).toMatchObject({ state: 'unknown' });
    // the attempt's end is recorded: its locks have no live owner any more
    const done = await db.selectFrom('operation_attempts').selectAll().where('operation_id', '=', operation.id).where('attempt', '=', 1).executeTakeFirstOrThrow();
    expect(done.ended_at).not.toBeNull();
  });
});

describe.skipIf(pulumiCliMissing)('a stack lock from another host meets the records', () => {
  let h: EngineHome;
  const stackName = 'c-locks-test';
  const target = () => ({ stackName, program: simProgram(simSpec(), { clusterId: 'c0locks' }, { cloudDir: h.cloudDir }) });
  const authority = (state: LockOwner['state']): LockOwnerAuthority => ({ ownerOf: async () => ({ state, detail: `test says ${state}` }) });
  const engine = (maxMs: number) => new Engine({ ...h.engine.options, lockWait: { maxMs, pollMs: 50 } });
  let lockFile: string;
  const plantLock = () => {
    fs.mkdirSync(path.dirname(lockFile), { recursive: true });
    fs.writeFileSync(lockFile, JSON.stringify({ pid: 4242, username: 'kaas', hostname: OTHER_HOST, timestamp: '2026-12-02T04:00:00Z' }));
  };

  beforeAll(() => {
    h = engineHome();
    lockFile = path.join(fileURLToPath(h.backendUrl), '.pulumi', 'locks', 'organization', 'kaas', stackName, 'f00d0000-0000-4000-8000-00000000b0b0.json');
  });
  afterAll(() => h.cleanup());

  it('clears it when its owner is dead in the records', async () => {
    plantLock();
    const events: ProgressEvent[] = [];
    const result = await engine(600_000).up(target(), { onEvent: (e) => events.push(e), lockOwners: authority('dead') });
    expect(result.changes.create).toBeGreaterThan(0);
    expect(fs.existsSync(lockFile)).toBe(false);
    expect(events.find((e) => e.kind === 'diagnostic' && /recovering: removed the lock/.test(e.message ?? ''))?.message).toContain('test says dead');
  });

  it('waits for a live one, saying who holds it and for how long it waits, and goes on once it is released', async () => {
    plantLock();
    const events: ProgressEvent[] = [];
    const result = await engine(600_000).up(target(), {
      lockOwners: authority('alive'),
      onEvent: (e) => {
        events.push(e);
        if (e.kind === 'diagnostic' && /^waiting for the stack lock/.test(e.message ?? '')) fs.rmSync(lockFile); // the holder finishes
      },
    });
    expect(result.changes.create ?? 0).toBe(0);
    const waiting = events.find((e) => e.kind === 'diagnostic' && /^waiting for the stack lock/.test(e.message ?? ''))!;
    expect(waiting.message).toContain(`pid 4242 on ${OTHER_HOST}`);
    expect(waiting.message).toContain('test says alive');
    expect(waiting.message).toContain('waiting up to 600 s');
  });

  it('fails with the holder named once the bound is spent, leaving the lock, and never clears an unknown owner', async () => {
    for (const state of ['alive', 'unknown'] as const) {
      plantLock();
      const err = await engine(1).up(target(), { lockOwners: authority(state) }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EngineError);
      expect((err as EngineError).kind).toBe('lock-held');
      expect((err as EngineError).message).toContain(`pid 4242 on ${OTHER_HOST}`);
      expect((err as EngineError).message).toContain('KAAS_STATE_LOCK_WAIT_SECONDS');
      expect((err as EngineError).hint).toContain('kaas locks clear');
      expect(fs.existsSync(lockFile)).toBe(true);
    }
    // without any records (no authority) a lock from another host is never cleared either
    const err = await engine(0).up(target()).catch((e: unknown) => e);
    expect((err as EngineError).kind).toBe('locked');
    expect(fs.existsSync(lockFile)).toBe(true);
    fs.rmSync(lockFile);
  });

  it('an object store whose locks cannot be read fails the run as a retryable engine failure naming the backend', async () => {
    const unreachable = new Engine({ ...h.engine.options, backendUrl: 's3://kaas-state?endpoint=http://127.0.0.1:1&s3ForcePathStyle=true&region=eu-west-1', env: { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' } });
    const err = await unreachable.up(target()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).kind).toBe('failed');
    expect((err as EngineError).message).toContain("reading the stack's locks in s3://kaas-state failed");
  });
});
