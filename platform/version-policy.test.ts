import { describe, expect, it } from 'vitest';
import { isDomainError } from './errors.ts';
import {
  assertSupportedVersion,
  availableVersions,
  DEFAULT_VERSION_POLICY,
  DEFAULT_VERSION_RULES,
  defaultVersionOn,
  isSupportedVersion,
  loadVersionPolicy,
  supportPhase,
  versionRulesOn,
  versionWarning,
} from './version-policy.ts';

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (isDomainError(err)) return err.issues.map((i) => `${i.path}: ${i.message}`);
    throw err;
  }
  throw new Error('expected a DomainError');
}

const TODAY = '2026-12-02';

describe('version calendar data', () => {
  it('records its source (URL) and asOf date per cloud, and is at most a month old on 2026-12-02', () => {
    for (const cloud of ['aws', 'gcp', 'azure'] as const) {
      const p = DEFAULT_VERSION_POLICY[cloud];
      expect(p.source).toMatch(/^https:\/\//);
      expect(p.skewSource).toMatch(/^https:\/\//);
      expect(p.asOf >= '2026-11-01').toBe(true);
    }
  });

  it('the default policy is valid data and round-trips through JSON', () => {
    expect(loadVersionPolicy(JSON.parse(JSON.stringify(DEFAULT_VERSION_POLICY)))).toEqual(DEFAULT_VERSION_POLICY);
  });

  // https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html (release calendar):
  // 1.31 standard ended 2025-11-26, extended ended 2026-11-26; 1.32 extended until 2027-03-23;
  // 1.34 standard until 2026-12-02; 1.35 released 2026-01-27.
  it('EKS phases on 2026-12-02 follow the AWS calendar (end dates inclusive)', () => {
    expect(supportPhase(DEFAULT_VERSION_POLICY, 'aws', '1.31', TODAY)).toBe('end-of-support');
    expect(supportPhase(DEFAULT_VERSION_POLICY, 'aws', '1.32', TODAY)).toBe('extended');
    expect(supportPhase(DEFAULT_VERSION_POLICY, 'aws', '1.33', TODAY)).toBe('extended');
    expect(supportPhase(DEFAULT_VERSION_POLICY, 'aws', '1.34', TODAY)).toBe('standard');
    expect(supportPhase(DEFAULT_VERSION_POLICY, 'aws', '1.34', '2026-12-03')).toBe('extended');
    expect(supportPhase(DEFAULT_VERSION_POLICY, 'aws', '1.35', TODAY)).toBe('standard');
    expect(supportPhase(DEFAULT_VERSION_POLICY, 'aws', '1.35', '2026-01-01')).toBe('unreleased');
    expect(supportPhase(DEFAULT_VERSION_POLICY, 'aws', '1.20', TODAY)).toBe('end-of-support');
    expect(supportPhase(DEFAULT_VERSION_POLICY, 'aws', '1.99', TODAY)).toBe('unreleased');
  });

  // https://learn.microsoft.com/en-us/azure/aks/supported-kubernetes-versions (release calendar and
  // LTS table; "Mar 2026" means 2026-03-31): 1.34 EOL Nov 2026, LTS EOL Nov 2027; 1.31 LTS EOL Nov 2026.
  it('AKS phases: past community EOL a minor is only available with Long-Term Support (extended)', () => {
    expect(supportPhase(DEFAULT_VERSION_POLICY, 'azure', '1.34', '2026-11-30')).toBe('standard');
    expect(supportPhase(DEFAULT_VERSION_POLICY, 'azure', '1.34', TODAY)).toBe('extended');
    expect(supportPhase(DEFAULT_VERSION_POLICY, 'azure', '1.31', TODAY)).toBe('end-of-support');
    expect(supportPhase(DEFAULT_VERSION_POLICY, 'azure', '1.35', TODAY)).toBe('standard');
  });

  it('new clusters may use every minor that is released and not past end of support', () => {
    expect(availableVersions(DEFAULT_VERSION_POLICY, 'aws', TODAY)).toEqual(['1.32', '1.33', '1.34', '1.35', '1.36', '1.37']);
    expect(availableVersions(DEFAULT_VERSION_POLICY, 'aws', '2027-03-24')).not.toContain('1.32');
    expect(availableVersions(DEFAULT_VERSION_POLICY, 'azure', TODAY)).not.toContain('1.31');
    expect(versionRulesOn(DEFAULT_VERSION_POLICY, TODAY).aws.supported).toEqual(availableVersions(DEFAULT_VERSION_POLICY, 'aws', TODAY));
  });

  it('the default version of every managed cloud is in standard support today', () => {
    for (const cloud of ['aws', 'gcp', 'azure'] as const) {
      expect(supportPhase(DEFAULT_VERSION_POLICY, cloud, defaultVersionOn(DEFAULT_VERSION_POLICY, cloud, TODAY), TODAY)).toBe('standard');
    }
  });

  it('a default that has left standard support falls back to the newest minor in standard support', () => {
    const doc = structuredClone(DEFAULT_VERSION_POLICY);
    doc.aws.default = '1.32';
    expect(defaultVersionOn(loadVersionPolicy(doc), 'aws', TODAY)).toBe('1.37');
  });

  it('warns for extended support (extra cost) and past end of support, not for standard', () => {
    expect(versionWarning(DEFAULT_VERSION_POLICY, 'aws', '1.34', TODAY)).toBeUndefined();
    expect(versionWarning(DEFAULT_VERSION_POLICY, 'aws', '1.33', TODAY)).toMatchObject({
      phase: 'extended',
      message: expect.stringMatching(/extended support.*2026-07-29.*2027-07-29.*extra cost/),
    });
    expect(versionWarning(DEFAULT_VERSION_POLICY, 'aws', '1.31', TODAY)).toMatchObject({ phase: 'end-of-support', message: expect.stringContaining('past end of support') });
  });
});

describe('node-pool skew per cloud', () => {
  // EKS: upstream version skew policy, kubelet up to 3 minors older since 1.28
  // (https://kubernetes.io/releases/version-skew-policy/#kubelet).
  // AKS: learn.microsoft.com/en-us/azure/aks/supported-kubernetes-versions (Aug 2026): "Starting with
  // Kubernetes 1.28, the control plane can be up to three minor versions ahead of node pools".
  // GKE: https://cloud.google.com/kubernetes-engine/versioning: nodes up to two minors older.
  it('follows each cloud’s documentation and cites it', () => {
    expect(DEFAULT_VERSION_POLICY.aws.maxNodeSkew).toBe(3);
    expect(DEFAULT_VERSION_POLICY.azure.maxNodeSkew).toBe(3);
    expect(DEFAULT_VERSION_POLICY.gcp.maxNodeSkew).toBe(2);
    expect(DEFAULT_VERSION_POLICY.azure.skewSource).toContain('learn.microsoft.com');
    expect(DEFAULT_VERSION_POLICY.aws.skewSource).toContain('kubernetes.io');
  });
});

describe('loadVersionPolicy', () => {
  it('a replacement document changes the rules without code changes', () => {
    const doc = structuredClone(DEFAULT_VERSION_POLICY);
    doc.aws.minors = [
      { version: '1.34', released: '2025-10-02', endOfStandardSupport: '2026-12-02' },
      { version: '1.35', released: '2026-01-27', endOfStandardSupport: '2027-03-27' },
    ];
    doc.aws.default = '1.35';
    const policy = loadVersionPolicy(doc);
    expect(isSupportedVersion(policy, 'aws', '1.34', TODAY)).toBe(true);
    expect(isSupportedVersion(policy, 'aws', '1.34', '2026-12-03')).toBe(false);
    expect(isSupportedVersion(policy, 'aws', '1.33', TODAY)).toBe(false);
  });

  it.each([
    ['missing cloud', (d: any) => delete d.gcp, 'gcp'],
    ['unknown cloud', (d: any) => (d.openstack = d.aws), 'unknown field(s) "openstack"'],
    ['bad version', (d: any) => (d.aws.minors[1].version = 'v1.32'), 'aws.minors.1.version: must be MAJOR.MINOR'],
    ['unsorted', (d: any) => d.aws.minors.reverse(), 'aws.minors: must be unique and sorted'],
    ['duplicate', (d: any) => (d.aws.minors[1].version = d.aws.minors[0].version), 'aws.minors: must be unique and sorted'],
    ['bad date', (d: any) => (d.aws.minors[0].released = '23 Jan 2025'), 'aws.minors.0.released: must be a date YYYY-MM-DD'],
    ['end before release', (d: any) => (d.gcp.minors[0].endOfStandardSupport = '2000-01-01'), 'gcp.minors.0.endOfStandardSupport: must not be before released'],
    ['extended before standard', (d: any) => (d.gcp.minors[0].endOfExtendedSupport = '2000-01-01'), 'gcp.minors.0.endOfExtendedSupport: must not be before endOfStandardSupport'],
    ['default not listed', (d: any) => (d.azure.default = '1.20'), 'azure.default: must be one of minors'],
    ['missing source', (d: any) => delete d.aws.source, 'aws.source'],
    ['bad asOf', (d: any) => (d.aws.asOf = 'yesterday'), 'aws.asOf: must be a date YYYY-MM-DD'],
    ['negative skew', (d: any) => (d.sim.maxNodeSkew = -1), 'sim.maxNodeSkew'],
    ['empty list', (d: any) => (d.sim.minors = []), 'sim.minors: must list at least one'],
    ['extra key', (d: any) => (d.sim.extra = 1), 'unknown field(s) "extra"'],
  ])('rejects a document with %s, naming the field', (_name, mutate, expected) => {
    const doc = structuredClone(DEFAULT_VERSION_POLICY);
    mutate(doc);
    expect(issuesOf(() => loadVersionPolicy(doc)).join('\n')).toContain(expected);
  });

  it('assertSupportedVersion names the versions new clusters may use', () => {
    expect(() => assertSupportedVersion(DEFAULT_VERSION_RULES, 'aws', '1.35')).not.toThrow();
    expect(() => assertSupportedVersion(versionRulesOn(DEFAULT_VERSION_POLICY, TODAY), 'aws', '1.31')).toThrow(
      expect.objectContaining({ code: 'UNSUPPORTED', hint: 'use one of 1.32, 1.33, 1.34, 1.35, 1.36, 1.37' }),
    );
  });
});
