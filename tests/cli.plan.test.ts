/** `kaas clusters plan` as people read it: the spec changes with their values, then the resource steps. */
import { describe, expect, it } from 'vitest';
import { planText } from '../cli/render/clusters.ts';

const operation = { id: 'o1', status: 'succeeded', error: null } as never;

describe('plan text', () => {
  it('shows each changed spec field with its value before and after', () => {
    const text = planText({
      cluster: 'web',
      operation,
      interrupted: false,
      changes: { update: 1 },
      steps: [{ op: 'update', resource: 'pool-general', resourceType: 'a:b:SimNodePool', diffs: ['properties.desiredSize'] }],
      specChanges: [
        { path: 'kubernetesVersion', from: '1.34', to: '1.33' },
        { path: 'nodePools.general.desiredSize', from: 3, to: 4 },
        { path: 'tags.owner', from: undefined, to: 'ops' },
      ],
    });
    expect(text).toMatch(/^ {2}kubernetesVersion: 1\.34 → 1\.33$/m);
    expect(text).toMatch(/^ {2}nodePools\.general\.desiredSize: 3 → 4$/m);
    expect(text).toMatch(/^ {2}tags\.owner: \(absent\) → ops$/m);
    expect(text.indexOf('desiredSize: 3 → 4')).toBeLessThan(text.indexOf('pool-general'));
  });

  it('says so when the spec does not change', () => {
    const text = planText({ cluster: 'web', operation, interrupted: false, changes: {}, steps: [], specChanges: [] });
    expect(text).toMatch(/^spec: no change$/m);
  });
});
