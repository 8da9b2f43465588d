/**
 * The create preview's resource list (platform/create-resources.ts) is the sim program's own:
 * stacks/sim/program.ts is run under Pulumi mocks and every resource it registers must be in the
 * list, in the same order, with nothing extra.
 */
import { describe, expect, it } from 'vitest';
import type { ClusterSpec } from '../../platform/cluster-spec.ts';
import { createResources } from '../../platform/create-resources.ts';
import { simProgram } from '../../stacks/sim/program.ts';
import { identity, standardSpec } from './fixtures.ts';
import { installMocks, runProgram } from './mock-harness.ts';

const mocks = installMocks();

function simSpec(addonsOn: boolean): ClusterSpec {
  const spec = standardSpec('aws');
  const addons = Object.fromEntries(Object.entries(spec.addons).map(([k, v]) => [k, { ...v, enabled: addonsOn && k !== 'calico' }]));
  return { ...spec, target: { name: 'sim-local', cloud: 'sim', region: 'local', account: 'sim', dnsZones: [] }, addons } as ClusterSpec;
}

describe('create preview resources', () => {
  for (const addonsOn of [true, false]) {
    it(`lists exactly what the sim program registers (addons ${addonsOn ? 'on' : 'off'})`, async () => {
      mocks.reset();
      const spec = simSpec(addonsOn);
      await runProgram(simProgram(spec, identity, { cloudDir: '/nonexistent' }), mocks);
      const planned = createResources(spec);
      expect(planned.exact).toBe(true);
      const registered = mocks.resources.filter((r) => r.type !== 'pulumi:pulumi:Stack').map((r) => `${r.type} ${r.name}`);
      expect(planned.resources.map((r) => `${r.type} ${r.name}`).sort()).toEqual(registered.sort());
      expect(registered.length).toBe(2 + spec.nodePools.length + Object.values(spec.addons).filter((a) => a.enabled).length);
    });
  }

  it('describes a managed cloud by its components, marked as not exact', () => {
    const planned = createResources(standardSpec('aws'));
    expect(planned.exact).toBe(false);
    expect(planned.resources.map((r) => r.name)).toEqual(['aws-std', 'system', 'batch', 'calico', 'external-dns', 'ingress', 'fluentd', 'prometheus']);
  });
});
