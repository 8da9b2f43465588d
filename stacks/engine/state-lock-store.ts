/**
 * The stack locks of a Pulumi DIY (object-store) backend, read and removed the way the backend
 * keeps them: one JSON object per lock at `.pulumi/locks/<org>/<project>/<stack>/<lockID>.json`
 * (`{ pid, username, hostname, timestamp }` of the `pulumi` process that took it; no expiry), see
 * pulumi/pulumi pkg/backend/diy/lock.go@v3.260.0. One interface, a store per URL scheme: the
 * file system for `file://`, S3 (any S3-compatible server) for `s3://`. Other schemes return no
 * store: their locks are left to Pulumi (and `pulumi cancel`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';

/** One lock of a stack, as the backend wrote it. */
export interface StackLock {
  /** The lock's id (the object's name without `.json`). */
  id: string;
  /** Where it is, for messages: a path or an `s3://bucket/key` address. */
  location: string;
  pid: number;
  username?: string;
  hostname: string;
  timestamp?: string;
}

/** The locks of a backend. */
export interface StateLockStore {
  /** The locks of `project`/`stack` (organization `organization`, as the DIY backend names it). */
  list(project: string, stack: string): Promise<StackLock[]>;
  /** Removes one lock (a no-op when it is already gone). */
  remove(project: string, stack: string, id: string): Promise<void>;
  /** The names of the stacks of `project` that have at least one lock object. */
  lockedStacks(project: string): Promise<string[]>;
}

const LOCK_ID = /^[A-Za-z0-9-]{1,64}$/;

/** The lock directory of a stack relative to the backend root (`fsutil.QnamePath` of `organization/<project>/<stack>`). */
export function stackLockDir(project: string, stack: string): string {
  return `.pulumi/locks/organization/${project}/${stack}`;
}

/** Parses one lock object; undefined for one being written (not JSON yet) or not a lock. */
export function parseLock(id: string, location: string, text: string): StackLock | undefined {
  try {
    const doc = JSON.parse(text) as { pid?: unknown; username?: unknown; hostname?: unknown; timestamp?: unknown };
    if (typeof doc !== 'object' || doc === null) return undefined;
    return {
      id,
      location,
      pid: Number(doc.pid),
      hostname: String(doc.hostname ?? ''),
      ...(typeof doc.username === 'string' && doc.username ? { username: doc.username } : {}),
      ...(typeof doc.timestamp === 'string' && doc.timestamp ? { timestamp: doc.timestamp } : {}),
    };
  } catch {
    return undefined;
  }
}

/** The store for `backendUrl`, or undefined for a scheme whose locks the platform does not read. */
export function lockStoreFor(backendUrl: string, env: Record<string, string | undefined> = {}): StateLockStore | undefined {
  if (backendUrl.startsWith('file://')) return new FileLockStore(fileURLToPath(backendUrl.split('?')[0]!));
  if (backendUrl.startsWith('s3://')) return new S3LockStore(backendUrl, env);
  return undefined;
}

/** Locks of a `file://` backend (gocloud's fileblob keeps a `<name>.attrs` sidecar beside each object). */
export class FileLockStore implements StateLockStore {
  readonly #root: string;

  constructor(root: string) {
    this.#root = root;
  }

  async list(project: string, stack: string): Promise<StackLock[]> {
    const dir = path.join(this.#root, stackLockDir(project, stack));
    let names: string[];
    try {
      names = fs.readdirSync(dir).filter((n) => n.endsWith('.json'));
    } catch {
      return [];
    }
    const locks: StackLock[] = [];
    for (const name of names) {
      const file = path.join(dir, name);
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch {
        continue; // released meanwhile
      }
      const lock = parseLock(name.slice(0, -'.json'.length), file, text);
      if (lock) locks.push(lock);
    }
    return locks;
  }

  async lockedStacks(project: string): Promise<string[]> {
    const dir = path.join(this.#root, path.dirname(stackLockDir(project, 'x')));
    try {
      return fs.readdirSync(dir).filter((stack) => fs.readdirSync(path.join(dir, stack)).some((n) => n.endsWith('.json')));
    } catch {
      return [];
    }
  }

  async remove(project: string, stack: string, id: string): Promise<void> {
    if (!LOCK_ID.test(id)) throw new Error(`invalid lock id "${id}"`);
    const file = path.join(this.#root, stackLockDir(project, stack), `${id}.json`);
    fs.rmSync(file, { force: true });
    fs.rmSync(`${file}.attrs`, { force: true });
  }
}

/**
 * Locks of an `s3://bucket[/prefix]?…` backend. The URL's query is read as gocloud.dev's s3blob
 * opener reads it (gocloud.dev@v0.46.1 aws/aws.go `V2ConfigFromURLParams`, blob/s3blob/s3blob.go):
 * `region`, `endpoint`, `use_path_style`/`s3ForcePathStyle`, `disable_https`, `profile`;
 * credentials and anything not in the URL (AWS_REGION, AWS_ENDPOINT_URL_S3, …) come from the
 * standard AWS environment, as for the `pulumi` CLI.
 */
export class S3LockStore implements StateLockStore {
  readonly #bucket: string;
  readonly #prefix: string;
  readonly #client: S3Client;

  constructor(backendUrl: string, env: Record<string, string | undefined> = {}) {
    const url = new URL(backendUrl);
    this.#bucket = url.hostname;
    const sub = decodeURIComponent(url.pathname).replace(/^\/+/, '');
    this.#prefix = sub ? (sub.endsWith('/') ? sub : `${sub}/`) : '';
    const q = url.searchParams;
    const truthy = (v: string | null) => v !== null && /^(true|1)$/i.test(v);
    let endpoint = q.get('endpoint') ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL ?? undefined;
    if (endpoint && !/^https?:\/\//.test(endpoint)) endpoint = `${truthy(q.get('disable_https')) ? 'http' : 'https'}://${endpoint}`;
    // unset: the SDK's own resolution (AWS_REGION, the shared config), as for the pulumi CLI
    const region = q.get('region') ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
    const credentials = env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY, ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}) } : undefined;
    this.#client = new S3Client({
      ...(region ? { region } : {}),
      ...(endpoint ? { endpoint } : {}),
      forcePathStyle: truthy(q.get('use_path_style')) || truthy(q.get('s3ForcePathStyle')),
      ...(credentials ? { credentials } : {}),
      ...(q.get('profile') ? { profile: q.get('profile')! } : {}),
      // as Pulumi does for S3-compatible servers (it adds request_checksum_calculation=when_required)
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  #dir(project: string, stack: string): string {
    return `${this.#prefix}${stackLockDir(project, stack)}/`;
  }

  async list(project: string, stack: string): Promise<StackLock[]> {
    const prefix = this.#dir(project, stack);
    const listed = await this.#client.send(new ListObjectsV2Command({ Bucket: this.#bucket, Prefix: prefix }));
    const locks: StackLock[] = [];
    for (const object of listed.Contents ?? []) {
      const key = object.Key!;
      const name = key.slice(prefix.length);
      if (name.includes('/') || !name.endsWith('.json')) continue;
      let text: string;
      try {
        const got = await this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }));
        text = (await got.Body?.transformToString()) ?? '';
      } catch (err) {
        if ((err as { name?: string }).name === 'NoSuchKey') continue; // released meanwhile
        throw err;
      }
      const lock = parseLock(name.slice(0, -'.json'.length), `s3://${this.#bucket}/${key}`, text);
      if (lock) locks.push(lock);
    }
    return locks;
  }

  async lockedStacks(project: string): Promise<string[]> {
    const prefix = `${this.#prefix}${path.posix.dirname(stackLockDir(project, 'x'))}/`;
    const stacks = new Set<string>();
    let token: string | undefined;
    do {
      const page = await this.#client.send(new ListObjectsV2Command({ Bucket: this.#bucket, Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
      for (const object of page.Contents ?? []) {
        const [stack, name] = object.Key!.slice(prefix.length).split('/');
        if (stack && name?.endsWith('.json')) stacks.add(stack);
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return [...stacks];
  }

  async remove(project: string, stack: string, id: string): Promise<void> {
    if (!LOCK_ID.test(id)) throw new Error(`invalid lock id "${id}"`);
    await this.#client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: `${this.#dir(project, stack)}${id}.json` }));
  }
}
