/**
 * The `sim` cloud's resource provider: a Pulumi dynamic provider whose "cloud" is a directory.
 *
 * Every resource is one JSON document at `<cloudDir>/resources/<kind>/<id>.json`, tagged with the
 * cluster id. Ids are deterministic (kind + cluster id + name), and create adopts a document that
 * already exists with the same id — like a cloud API's idempotency token — so an `up` that was
 * killed after the document was written but before the state was saved converges without a
 * duplicate on the next run.
 *
 * Latency and failures are injected from `<cloudDir>/faults.json` (see `SimFaults`), read on every
 * operation so tests and operators can change them while the platform runs.
 *
 * This object is serialized by Pulumi with its closure and runs in the engine's dynamic-provider
 * process, so it captures nothing but plain functions (like `parseProcStat`) and Node built-ins
 * (default imports, which the serializer turns into `require` calls). `clusterTagKey` is such a plain
 * function: the document carries the same cluster tag key every real cloud program writes.
 */
import fs from 'node:fs';
import path from 'node:path';
import type * as pulumi from '@pulumi/pulumi';
import { clusterTagKey } from '../../platform/cluster-tag.ts';
import { parseProcStat } from '../common/proc-stat.ts';

/** The kinds of simulated resources. */
export type SimKind = 'cluster' | 'nodepool' | 'addon';

/** Inputs every sim resource takes. `properties` is the declared configuration. */
export interface SimInputs {
  cloudDir: string;
  kind: SimKind;
  clusterId: string;
  name: string;
  properties: Record<string, unknown>;
}

/** Outputs of every sim resource: its inputs plus what the "cloud" reports. */
export interface SimOutputs extends SimInputs {
  simulated: true;
  generation: number;
  status: string;
  endpoint?: string;
}

/** The fault-injection document, `<cloudDir>/faults.json`. */
export interface SimFaults {
  /** Milliseconds per operation; keys `kind.op`, `kind`, `*.op` or `*`, most specific wins. */
  latencyMs?: Record<string, number>;
  failures?: SimFailure[];
}

/** One injected failure. Omitted matchers match everything. */
export interface SimFailure {
  kind?: SimKind;
  op?: 'create' | 'read' | 'update' | 'delete';
  clusterId?: string;
  name?: string;
  /** How many more times it fires; absent means every time. */
  times?: number;
  /** `fail` (default) throws; `leak` makes delete report success but leave the document. */
  effect?: 'fail' | 'leak';
  message?: string;
}

type Op = 'create' | 'read' | 'update' | 'delete';

function simDocPath(cloudDir: string, kind: string, id: string): string {
  return path.join(cloudDir, 'resources', kind, `${id}.json`);
}

function simReadJson(file: string): any {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err: any) {
    if (err && err.code === 'ENOENT') return undefined;
    throw err;
  }
}

function simWriteJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value, null, 2) + '\n');
  fs.renameSync(tmp, file);
}

/**
 * Waits like a slow cloud API would, but gives up when the engine that launched this provider is
 * gone (its launcher got re-parented), so a killed `up` leaves no provider writing documents later.
 */
async function simSleep(ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    await new Promise((resolve) => setTimeout(resolve, Math.min(200, until - Date.now())));
    try {
      if (parseProcStat(fs.readFileSync(`/proc/${process.ppid}/stat`, 'utf8'))?.ppid === 1) process.exit(1);
    } catch {
      // no /proc (not Linux): sleep the whole time
    }
  }
}

/** Applies latency and injected failures for one operation; returns the effect that fired. */
async function simFault(cloudDir: string, kind: string, op: Op, clusterId: string, name: string): Promise<'leak' | undefined> {
  const faultsFile = path.join(cloudDir, 'faults.json');
  const faults = simReadJson(faultsFile) ?? {};
  const latency = faults.latencyMs ?? {};
  const ms = latency[`${kind}.${op}`] ?? latency[kind] ?? latency[`*.${op}`] ?? latency['*'] ?? 0;
  if (ms > 0) await simSleep(ms);
  const failures: any[] = faults.failures ?? [];
  const index = failures.findIndex(
    (f) =>
      (f.kind === undefined || f.kind === kind) &&
      (f.op === undefined || f.op === op) &&
      (f.clusterId === undefined || f.clusterId === clusterId) &&
      (f.name === undefined || f.name === name) &&
      (f.times === undefined || f.times > 0),
  );
  if (index < 0) return undefined;
  const failure = failures[index];
  if (failure.times !== undefined) {
    failure.times -= 1;
    simWriteJson(faultsFile, faults);
  }
  if (failure.effect === 'leak') return 'leak';
  throw new Error(failure.message ?? `sim: injected failure on ${op} of ${kind} ${name} (cluster ${clusterId})`);
}

function simOutputs(id: string, inputs: SimInputs, generation: number): SimOutputs {
  const outs: SimOutputs = { ...inputs, simulated: true, generation, status: 'ready' };
  if (inputs.kind === 'cluster') outs.endpoint = `https://${id}.sim.kaas.invalid`;
  return outs;
}

/**
 * Ends this provider process once the engine that launched it is gone (its launcher got
 * re-parented to init), so a killed `up` leaves no idle provider behind. Linux only.
 */
function simWatchEngine(): void {
  const timer = setInterval(() => {
    try {
      if (parseProcStat(fs.readFileSync(`/proc/${process.ppid}/stat`, 'utf8'))?.ppid === 1) process.exit(0);
    } catch {
      clearInterval(timer);
    }
  }, 1000);
  timer.unref();
}

/** The provider object handed to `pulumi.dynamic.Resource`. */
export const simProvider: pulumi.dynamic.ResourceProvider<SimInputs, SimOutputs> = {
  async configure() {
    simWatchEngine();
  },

  async diff(_id: string, olds: SimOutputs, news: SimInputs) {
    const replaces: string[] = (['cloudDir', 'kind', 'clusterId', 'name'] as const).filter((k) => olds[k] !== news[k]);
    // like EKS/GKE/AKS node groups, a simulated node pool cannot change machine type in place
    if (news.kind === 'nodepool' && olds.properties?.machineType !== news.properties?.machineType) replaces.push('properties');
    const changes = replaces.length > 0 || JSON.stringify(olds.properties) !== JSON.stringify(news.properties);
    return { changes, replaces, deleteBeforeReplace: true };
  },

  async create(inputs: SimInputs) {
    const id = `${inputs.kind}-${inputs.clusterId}-${inputs.name}`;
    await simFault(inputs.cloudDir, inputs.kind, 'create', inputs.clusterId, inputs.name);
    const file = simDocPath(inputs.cloudDir, inputs.kind, id);
    const existing = simReadJson(file);
    const now = new Date().toISOString();
    const generation = existing ? existing.generation + 1 : 1;
    simWriteJson(file, {
      id,
      kind: inputs.kind,
      name: inputs.name,
      tags: { [clusterTagKey('sim')]: inputs.clusterId, 'managed-by': 'kaas', simulated: 'true' },
      properties: inputs.properties,
      generation,
      createdAt: existing?.createdAt ?? now,
      updatedAt: now,
    });
    return { id, outs: simOutputs(id, inputs, generation) };
  },

  async read(id: string, props?: SimOutputs) {
    if (!props) return {};
    await simFault(props.cloudDir, props.kind, 'read', props.clusterId, props.name);
    const doc = simReadJson(simDocPath(props.cloudDir, props.kind, id));
    if (!doc) return {};
    const actual: SimInputs = { ...props, properties: doc.properties };
    return { id, props: simOutputs(id, actual, doc.generation), inputs: actual as SimOutputs };
  },

  async update(id: string, olds: SimOutputs, news: SimInputs) {
    await simFault(news.cloudDir, news.kind, 'update', news.clusterId, news.name);
    const file = simDocPath(news.cloudDir, news.kind, id);
    const existing = simReadJson(file);
    if (!existing) throw new Error(`sim: ${news.kind} ${news.name} (${id}) no longer exists in the simulated cloud`);
    const generation = (existing.generation ?? olds.generation) + 1;
    simWriteJson(file, { ...existing, properties: news.properties, generation, updatedAt: new Date().toISOString() });
    return { outs: simOutputs(id, news, generation) };
  },

  async delete(id: string, props: SimOutputs) {
    const effect = await simFault(props.cloudDir, props.kind, 'delete', props.clusterId, props.name);
    if (effect === 'leak') return;
    const file = simDocPath(props.cloudDir, props.kind, id);
    fs.rmSync(file, { force: true });
    try {
      fs.rmdirSync(path.dirname(file));
    } catch {
      // the kind's directory still holds other documents
    }
  },
};
