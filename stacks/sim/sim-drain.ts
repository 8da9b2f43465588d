/**
 * The sim cloud's `PoolDrainer`: cordon is a top-level `cordoned` field of the pool's document
 * (outside `properties`, so the engine sees no drift), a drain records `drainedAt`; a drain is
 * blocked by PDBs injected in `<cloudDir>/faults.json` as `drain: [{clusterId?, pool?,
 * blockingPdbs}]`, read on every call.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BlockingPdb } from '../../platform/cluster-probe.ts';
import { clusterTagKey } from '../../platform/cluster-tag.ts';
import type { DrainOutcome, PoolDrainer } from '../../platform/pool-drainer.ts';

/** The drainer's part of `faults.json`. */
export interface SimDrainFault {
  clusterId?: string;
  /** The cloud pool name (default: every pool). */
  pool?: string;
  blockingPdbs: BlockingPdb[];
}

/** The drainer of sim cluster `clusterId` in the sim cloud at `cloudDir`. */
export function simPoolDrainer(cloudDir: string, clusterId: string): PoolDrainer {
  const dir = path.join(cloudDir, 'resources', 'nodepool');
  const docFile = (pool: string) => {
    const file = path.join(dir, `nodepool-${clusterId}-${pool}.json`);
    const doc = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
    if (!doc || doc.tags?.[clusterTagKey('sim')] !== clusterId) throw new Error(`sim: no node pool ${pool} in cluster ${clusterId}`);
    return { file, doc };
  };
  const write = (file: string, doc: unknown) => {
    const tmp = `${file}.${process.pid}.drain.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(doc, null, 2) + '\n');
    fs.renameSync(tmp, file);
  };
  const faults = (): SimDrainFault[] => {
    try {
      return (JSON.parse(fs.readFileSync(path.join(cloudDir, 'faults.json'), 'utf8')).drain ?? []) as SimDrainFault[];
    } catch {
      return [];
    }
  };
  return {
    async cordon(pool) {
      const { file, doc } = docFile(pool);
      write(file, { ...doc, cordoned: true });
    },
    async uncordon(pool) {
      const { file, doc } = docFile(pool);
      const { drainedAt: _d, ...rest } = doc;
      write(file, { ...rest, cordoned: false });
    },
    async drain(pool): Promise<DrainOutcome> {
      const { file, doc } = docFile(pool);
      const blockedBy = faults().filter((f) => (f.clusterId === undefined || f.clusterId === clusterId) && (f.pool === undefined || f.pool === pool)).flatMap((f) => f.blockingPdbs);
      if (blockedBy.length > 0) return { drained: false, evicted: 0, blockedBy, errors: [] };
      write(file, { ...doc, cordoned: true, drainedAt: new Date().toISOString() });
      return { drained: true, evicted: Number(doc.properties?.desiredSize ?? 0), blockedBy: [], errors: [] };
    },
  };
}
