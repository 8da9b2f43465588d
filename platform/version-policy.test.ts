import { describe, expect, it } from 'vitest';
import { isDomainError } from './errors.ts';
import { assertSupportedVersion, DEFAULT_VERSION_POLICY, isSupportedVersion, loadVersionPolicy } from './version-policy.ts';

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (isDomainError(err)) return err.issues.map((i) => `${i.path}: ${i.message}`);
    throw err;
  }
  throw new Error('expected a DomainError');
}

describe('version policy', () => {
  it('the default policy is valid data and round-trips through JSON', () => {
    expect(loadVersionPolicy(JSON.parse(JSON.stringify(DEFAULT_VERSION_POLICY)))).toEqual(DEFAULT_VERSION_POLICY);
  });

  it('a replacement document changes the rules without code changes', () => {
    const doc = structuredClone(DEFAULT_VERSION_POLICY);
    doc.aws = { supported: ['1.34', '1.35'], default: '1.35', maxNodeSkew: 1 };
    const policy = loadVersionPolicy(doc);
    expect(isSupportedVersion(policy, 'aws', '1.35')).toBe(true);
    expect(isSupportedVersion(policy, 'aws', '1.33')).toBe(false);
  });

  it.each([
    ['missing cloud', (d: any) => delete d.gcp, 'gcp'],
    ['unknown cloud', (d: any) => (d.openstack = d.aws), 'unknown field(s) "openstack"'],
    ['bad version', (d: any) => (d.aws.supported = ['1.31', 'v1.32']), 'aws.supported.1: must be MAJOR.MINOR'],
    ['unsorted', (d: any) => (d.aws.supported = ['1.32', '1.31']), 'aws.supported: must be unique and sorted'],
    ['duplicate', (d: any) => (d.aws.supported = ['1.31', '1.31']), 'aws.supported: must be unique and sorted'],
    ['default not supported', (d: any) => (d.azure.default = '1.20'), 'azure.default: must be one of supported'],
    ['negative skew', (d: any) => (d.sim.maxNodeSkew = -1), 'sim.maxNodeSkew'],
    ['empty list', (d: any) => (d.sim.supported = []), 'sim.supported: must list at least one'],
    ['extra key', (d: any) => (d.sim.extra = 1), 'unknown field(s) "extra"'],
  ])('rejects a document with %s', (_name, mutate, expected) => {
    const doc = structuredClone(DEFAULT_VERSION_POLICY);
    mutate(doc);
    expect(issuesOf(() => loadVersionPolicy(doc)).join('\n')).toContain(expected);
  });

  it('assertSupportedVersion names the supported versions', () => {
    expect(() => assertSupportedVersion(DEFAULT_VERSION_POLICY, 'aws', '1.33')).not.toThrow();
    expect(() => assertSupportedVersion(DEFAULT_VERSION_POLICY, 'aws', '1.29')).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED', hint: 'use one of 1.31, 1.32, 1.33, 1.34' }),
    );
  });
});
