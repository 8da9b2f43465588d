/**
 * Pulumi state in an S3-compatible object store: moto's S3 server started by the test, the
 * backend URL set the way Pulumi's DIY backend opens it (gocloud.dev's s3blob URL opener:
 * `s3://<bucket>[/<prefix>]?endpoint=…&s3ForcePathStyle=true&region=…`, see
 * gocloud.dev@v0.46.1 blob/s3blob/s3blob.go and aws/aws.go `V2ConfigFromURLParams`, as vendored by
 * pulumi/pulumi pkg/backend/diy/backend.go@v3.260.0, which prefixes the bucket with the URL's path).
 * Credentials come from the standard AWS variables. A sim cluster goes through create, update,
 * drift and delete with its state (and its locks) only in the bucket, and a stale lock left in the
 * bucket by a dead `pulumi` process is recovered there as it is for `file://`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../stacks/engine/engine.ts';
import { EngineError } from '../stacks/engine/engine-error.ts';
import type { ProgressEvent } from '../stacks/engine/progress.ts';
import { findPulumiBinDir } from '../stacks/engine/pulumi-cli.ts';
import { simProgram } from '../stacks/sim/program.ts';
import { pulumiCliMissing, simDocuments } from './support/engine.ts';
import { motoMissing, startMoto, type MotoServer } from './support/moto.ts';
import { simSpec } from './support/specs.ts';

const BUCKET = 'kaas-state';
const PREFIX = 'fleet-a';
const AWS_ENV = { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'eu-west-1' as const };

describe.skipIf(pulumiCliMissing || motoMissing)('Pulumi state in an S3 object store (moto)', () => {
  let moto: MotoServer;
  let s3: S3Client;
  let home: string;
  let cloudDir: string;
  let engine: Engine;
  let backendUrl: string;
  const stackName = 'c-s3-test';
  const clusterId = 'c0s3test';
  const target = (spec = simSpec()) => ({ stackName, program: simProgram(spec, { clusterId }, { cloudDir }) });
  const keys = async () => ((await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).map((o) => o.Key!);

  beforeAll(async () => {
    moto = await startMoto();
    s3 = new S3Client({ endpoint: moto.endpoint, forcePathStyle: true, region: AWS_ENV.AWS_REGION, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: AWS_ENV.AWS_REGION } }));
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-s3-'));
    cloudDir = path.join(home, 'sim-cloud');
    backendUrl = `s3://${BUCKET}/${PREFIX}?endpoint=${encodeURIComponent(moto.endpoint)}&s3ForcePathStyle=true&region=${AWS_ENV.AWS_REGION}`;
    engine = new Engine({ home, backendUrl, secretsProvider: 'passphrase', passphrase: 'test-passphrase', pulumiBinDir: findPulumiBinDir(process.env), hostPath: process.env.PATH ?? '', env: AWS_ENV });
  }, 60_000);
  afterAll(async () => {
    s3?.destroy();
    await moto?.stop();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('creates the cluster with its state in the bucket, under the URL path, and nothing on local disk', async () => {
    const result = await engine.up(target());
    expect(result.changes.create).toBe(7);
    expect(await keys()).toContain(`${PREFIX}/.pulumi/stacks/kaas/${stackName}.json`);
    // no state file beside the workspace: the bucket is the only copy
    expect(fs.readdirSync(home, { recursive: true, encoding: 'utf8' }).filter((f) => f.includes(`stacks${path.sep}kaas`))).toEqual([]);
    // the lock was taken and released in the bucket
    expect((await keys()).filter((k) => k.includes('/locks/'))).toEqual([]);
  });

  it('updates one node pool', async () => {
    const spec = simSpec();
    spec.nodePools[1]!.desiredSize = 4;
    const result = await engine.up(target(spec));
    expect(result.changes.update).toBe(1);
  });

  it('recovers a stale lock a dead pulumi process left in the bucket', async () => {
    const dead = deadPid();
    const lockKey = `${PREFIX}/.pulumi/locks/organization/kaas/${stackName}/0b0e5a1c-dead-4bad-8a11-000000000001.json`;
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: lockKey, Body: JSON.stringify({ pid: dead, username: 'kaas', hostname: os.hostname(), timestamp: new Date().toISOString() }) }));
    const events: ProgressEvent[] = [];
    const spec = simSpec();
    spec.nodePools[1]!.desiredSize = 4;
    const result = await engine.up(target(spec), { onEvent: (e) => events.push(e) });
    expect(result.changes.update ?? 0).toBe(0);
    expect(events.some((e) => e.kind === 'diagnostic' && /recovering: removed the lock/.test(e.message ?? '') && e.message!.includes(`pid ${dead}`))).toBe(true);
    expect(await keys()).not.toContain(lockKey);
  });

  it('never removes a lock whose process is alive, and names it', async () => {
    const lockKey = `${PREFIX}/.pulumi/locks/organization/kaas/${stackName}/0b0e5a1c-live-4bad-8a11-000000000002.json`;
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: lockKey, Body: JSON.stringify({ pid: process.pid, username: 'kaas', hostname: os.hostname(), timestamp: new Date().toISOString() }) }));
    const err = await engine.up(target()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).kind).toBe('locked');
    expect((err as EngineError).message).toContain(`pid ${process.pid}`);
    expect(await keys()).toContain(lockKey);
    await engine.clearStackLock(stackName, lockKey.split('/').pop()!.replace(/\.json$/, ''));
    expect(await keys()).not.toContain(lockKey);
  });

  it('reports drift from the bucket state and deletes the cluster', async () => {
    const { file, doc } = simDocuments(cloudDir).find((d) => d.doc.id === `nodepool-${clusterId}-system`)!;
    fs.writeFileSync(file, JSON.stringify({ ...doc, properties: { ...doc.properties, desiredSize: 9 } }));
    const spec = simSpec();
    spec.nodePools[1]!.desiredSize = 4;
    const drift = await engine.refresh(target(spec), { previewOnly: true });
    expect(drift.drift.map((d) => d.resource)).toEqual(['pool-system']);
    await engine.destroy(target(spec), { remove: true });
    expect(simDocuments(cloudDir)).toEqual([]);
    expect((await keys()).filter((k) => k.includes(`/stacks/kaas/${stackName}.json`) && !k.includes('.bak'))).toEqual([]);
  });
});

/** A pid that is not running: a child that has exited and been reaped. */
function deadPid(): number {
  for (let pid = 4_000_000; pid > 300_000; pid -= 7919) {
    try {
      process.kill(pid, 0);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ESRCH') return pid;
    }
  }
  throw new Error('no free pid found');
}
