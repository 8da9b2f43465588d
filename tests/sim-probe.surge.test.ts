/**
 * The sim cloud's surge capacity (stacks/sim/sim-probe.ts): with a `surgeCapacity` fault (the extra
 * nodes the sim cloud can give a cluster now), preflight answers each rolled pool's surge demand
 * through the real clouds' arithmetic (platform/surge-quota.ts) — a blue-green pool needs its whole
 * new generation beside the old one, a surge pool its maxSurge.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NodePoolSpec } from '../platform/cluster-spec.ts';
import { surgeDemands } from '../platform/surge-quota.ts';
import { preflightBlockers } from '../platform/upgrade-preflight.ts';
import { simClusterProbe } from '../stacks/sim/sim-probe.ts';

const pool = (name: string, over: Partial<NodePoolSpec>): NodePoolSpec => ({ name, machineType: 'sim.small', minSize: 0, maxSize: 10, desiredSize: 3, labels: {}, taints: [], ...over });
const spec = { nodePools: [pool('general', { upgradeStrategy: 'blue-green' }), pool('batch', { surge: { maxSurge: 1 } })] };

describe('sim surge capacity', () => {
  it('a blue-green pool of 3 nodes is blocked by a capacity of 2; a maxSurge 1 pool is not', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-sim-surge-'));
    fs.writeFileSync(path.join(dir, 'faults.json'), JSON.stringify({ surgeCapacity: [{ clusterId: 'c1', nodes: 2 }, { clusterId: 'other', nodes: 100 }] }));
    const probe = simClusterProbe(dir, 'c1');
    const pools = ['general', 'batch'];
    const findings = await probe.preflight('1.34', pools, surgeDemands(spec, 'sim', pools));
    expect(findings.surge.map((s) => [s.pool, s.needed, s.available])).toEqual([['general', 3, 2], ['batch', 1, 2]]);
    expect(preflightBlockers(findings, { nextMinor: '1.34', pools }).map((b) => b.message)).toEqual([
      'node pool general needs 3 surge node(s) to roll, but only 2 can be added (sim cloud capacity: 2 of 2 nodes free (blue-green: a new generation of 3 node(s) beside the old one)); raise the quota or lower maxSurge',
    ]);
    // no capacity fault: unlimited, nothing reported
    fs.writeFileSync(path.join(dir, 'faults.json'), JSON.stringify({}));
    expect((await probe.preflight('1.34', pools, surgeDemands(spec, 'sim', pools))).surge).toEqual([]);
  });
});
