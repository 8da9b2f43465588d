/**
 * ExternalDNS needs at least one DNS zone on the target. With none, the EKS program rendered
 * `Resource: []` into the IAM policy, which IAM rejects: a statement must name at least one
 * resource (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html),
 * and on GKE / AKS the identity got no zone at all while the chart ran with no domain filter.
 * The spec is refused before any resource exists, naming the field and the fix.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { installMocks, runProgram } from './mock-harness.ts';
import { identity, standardSpec } from './fixtures.ts';
import { eksProgram } from '../../stacks/eks/index.ts';
import { gkeProgram } from '../../stacks/gke/index.ts';
import { aksProgram } from '../../stacks/aks/index.ts';
import { assertAddonsSupported } from '../../platform/addon-catalog.ts';
import { DomainError } from '../../platform/errors.ts';

const mocks = installMocks();
const ADMIN = { platformAdminRoleArn: 'arn:aws:iam::123456789012:role/admin' };
const programs = {
  aws: (s: ReturnType<typeof standardSpec>) => eksProgram(s, identity, ADMIN),
  gcp: (s: ReturnType<typeof standardSpec>) => gkeProgram(s, identity),
  azure: (s: ReturnType<typeof standardSpec>) => aksProgram(s, identity, { adminGroupObjectIds: ['g'], dnsResourceGroup: 'dns-rg' }),
};

describe('external-dns with no DNS zones on the target', () => {
  beforeEach(() => mocks.reset());

  for (const cloud of ['aws', 'gcp', 'azure'] as const) {
    it(`${cloud}: refused with a VALIDATION error naming target.dnsZones, before any resource`, () => {
      const spec = standardSpec(cloud);
      spec.target.dnsZones = [];
      let err: unknown;
      try {
        programs[cloud](spec);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DomainError);
      expect((err as DomainError).code).toBe('VALIDATION');
      expect((err as DomainError).issues).toEqual([
        { path: 'target.dnsZones', message: expect.stringMatching(/external-dns needs at least one DNS zone.*disable external-dns/) },
      ]);
      expect(mocks.resources).toHaveLength(0);
    });
  }

  it('accepts the spec when external-dns is off', async () => {
    const spec = standardSpec('aws');
    spec.target.dnsZones = [];
    spec.addons['external-dns'] = { enabled: false, values: {} };
    expect(() => assertAddonsSupported(spec)).not.toThrow();
    await runProgram(eksProgram(spec, identity, ADMIN), mocks);
    for (const p of mocks.ofType('aws:iam/policy:Policy')) {
      for (const st of JSON.parse(p.inputs.policy).Statement) expect([st.Resource].flat().length, p.name).toBeGreaterThan(0);
    }
  });
});
