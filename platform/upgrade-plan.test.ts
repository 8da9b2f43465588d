import { describe, expect, it } from 'vitest';
import { validSpec } from '../tests/fixtures/cluster-spec.ts';
import type { ClusterSpec } from './cluster-spec.ts';
import { isDomainError } from './errors.ts';
import { addonVersionFor, planUpgrade, type AddonVersionRequirement } from './upgrade-plan.ts';
import { DEFAULT_VERSION_RULES } from './version-policy.ts';

const policy = DEFAULT_VERSION_RULES;
const calicoReqs: AddonVersionRequirement[] = [
  { addon: 'calico', version: '3.28.0', minKubernetes: '1.28', maxKubernetes: '1.31' },
  { addon: 'calico', version: '3.29.1', minKubernetes: '1.29', maxKubernetes: '1.32' },
  { addon: 'calico', version: '3.30.0', minKubernetes: '1.31', maxKubernetes: '1.34' },
];

function spec(version: string, poolVersions: (string | undefined)[] = [undefined]): ClusterSpec {
  const base = validSpec({ kubernetesVersion: version });
  base.nodePools = poolVersions.map((v, i) => ({ ...base.nodePools[0]!, name: `pool-${i}`, ...(v ? { kubernetesVersion: v } : {}) }));
  return base;
}

/** Steps as short strings, easy to compare in order. */
function render(s: ClusterSpec, to: string, reqs: AddonVersionRequirement[] = []): string[] {
  return planUpgrade(s, to, policy, reqs).steps.map((step) =>
    step.kind === 'control-plane'
      ? `cp ${step.from}->${step.to}`
      : step.kind === 'addon'
        ? `addon ${step.addon} ${step.from}->${step.to}`
        : `pool ${step.pool} ${step.from}->${step.to}`,
  );
}

function refusal(s: ClusterSpec, to: string, reqs: AddonVersionRequirement[] = []): { code: string; issues: string[] } {
  try {
    planUpgrade(s, to, policy, reqs);
  } catch (err) {
    if (isDomainError(err)) return { code: err.code, issues: err.issues.map((i) => `${i.path}: ${i.message}`) };
    throw err;
  }
  throw new Error('expected the plan to be refused');
}

function hintOf(s: ClusterSpec, to: string): string | undefined {
  try {
    planUpgrade(s, to, policy);
  } catch (err) {
    if (isDomainError(err)) return err.hint;
    throw err;
  }
  throw new Error('expected the plan to be refused');
}

describe('planUpgrade', () => {
  it('one minor: control plane, then node pools', () => {
    expect(render(spec('1.33', [undefined, '1.33']), '1.34')).toEqual(['cp 1.33->1.34', 'pool pool-0 1.33->1.34', 'pool pool-1 1.33->1.34']);
  });

  // kubelet may be up to three minors older than kube-apiserver
  // (https://kubernetes.io/releases/version-skew-policy/#kubelet), so the sim cloud (skew 3)
  // moves the control plane three times and rolls the pools once, at the end
  it('multi-minor upgrades move the control plane one minor per step and roll pools once at the end', () => {
    const plan = planUpgrade(spec('1.31'), '1.34', policy);
    expect(plan.hops).toEqual(['1.32', '1.33', '1.34']);
    expect(render(spec('1.31'), '1.34')).toEqual(['cp 1.31->1.32', 'cp 1.32->1.33', 'cp 1.33->1.34', 'pool pool-0 1.31->1.34']);
  });

  // GKE: "Nodes and node pool versions can be up to two minor versions older than the control
  // plane" (https://cloud.google.com/kubernetes-engine/versioning), so 1.31 → 1.34 needs one
  // roll before the third control-plane step
  it('rolls pools mid-way only when the next control-plane step would break the skew (gcp: 2)', () => {
    const s = spec('1.33', [undefined]);
    s.target.cloud = 'gcp';
    const rules = { ...policy, gcp: { ...policy.gcp, supported: ['1.31', '1.32', '1.33', '1.34', '1.35', '1.36'] } };
    const from131 = { ...s, kubernetesVersion: '1.31' };
    expect(planUpgrade(from131, '1.34', rules).steps.map((st) => `${st.kind} ${st.from}->${st.to}`)).toEqual([
      'control-plane 1.31->1.32', 'control-plane 1.32->1.33', 'node-pool 1.31->1.33', 'control-plane 1.33->1.34', 'node-pool 1.33->1.34',
    ]);
  });

  it('addon bumps come between the control plane and the pools, only on hops where the release changes', () => {
    const reqs: AddonVersionRequirement[] = [
      { addon: 'calico', version: '3.29.1', minKubernetes: '1.29', maxKubernetes: '1.32' },
      { addon: 'calico', version: '3.30.0', minKubernetes: '1.33', maxKubernetes: '1.34' },
    ];
    expect(render(spec('1.31'), '1.33', reqs)).toEqual(['cp 1.31->1.32', 'cp 1.32->1.33', 'addon calico 3.29.1->3.30.0', 'pool pool-0 1.31->1.33']);
  });

  it('no addon step when the newest compatible release stays the same', () => {
    expect(render(spec('1.31'), '1.32', calicoReqs)).toEqual(['cp 1.31->1.32', 'pool pool-0 1.31->1.32']);
  });

  it('emits an addon step when the newest compatible release changes', () => {
    const reqs: AddonVersionRequirement[] = [
      { addon: 'calico', version: '3.29.1', minKubernetes: '1.29', maxKubernetes: '1.33' },
      { addon: 'calico', version: '3.30.0', minKubernetes: '1.34', maxKubernetes: '1.34' },
    ];
    expect(render(spec('1.33'), '1.34', reqs)).toEqual(['cp 1.33->1.34', 'addon calico 3.29.1->3.30.0', 'pool pool-0 1.33->1.34']);
  });

  it('ignores disabled addons and addons the catalog does not describe', () => {
    const reqs: AddonVersionRequirement[] = [{ addon: 'prometheus', version: '1.0.0', minKubernetes: '1.0', maxKubernetes: '1.0' }];
    expect(render(spec('1.33'), '1.34', reqs)).toEqual(['cp 1.33->1.34', 'pool pool-0 1.33->1.34']);
  });

  it('catches a lagging pool up before a hop that would break the skew', () => {
    expect(render(spec('1.33', ['1.30', undefined]), '1.34')).toEqual([
      'pool pool-0 1.30->1.33', 'cp 1.33->1.34', 'pool pool-0 1.33->1.34', 'pool pool-1 1.33->1.34',
    ]);
    // a pool within the skew is left alone until the end
    expect(render(spec('1.32', ['1.31', undefined]), '1.34')).toEqual(['cp 1.32->1.33', 'cp 1.33->1.34', 'pool pool-0 1.31->1.34', 'pool pool-1 1.32->1.34']);
  });

  it('plans only the pool rolls when the control plane is already at the target', () => {
    expect(render(spec('1.33', ['1.31', undefined]), '1.33')).toEqual(['pool pool-0 1.31->1.33']);
  });

  it('uses the tighter gcp skew', () => {
    const s = spec('1.33', ['1.31']);
    s.target.cloud = 'gcp';
    expect(render(s, '1.34')[0]).toBe('pool pool-0 1.31->1.33');
  });

  // a version that cannot be reached is a bad argument (VALIDATION, exit 2 like `--to latest`);
  // what the cluster's own state forbids is a precondition
  it.each<[string, ClusterSpec, string, string[], string]>([
    ['same version', spec('1.33'), '1.33', ['toVersion: the control plane is already at 1.33'], 'VALIDATION'],
    ['downgrade', spec('1.33'), '1.32', ['toVersion: 1.32 is older than the current 1.33; downgrades are not supported'], 'VALIDATION'],
    ['unsupported target', spec('1.34'), '1.35', ['toVersion: 1.35 is not supported on sim'], 'VALIDATION'],
    ['cross major', spec('1.33'), '2.0', ['toVersion: cannot upgrade across major versions'], 'VALIDATION'],
    ['pool newer than control plane', spec('1.33', ['1.34']), '1.34', ['nodePools.0.kubernetesVersion: node pool "pool-0" (1.34) is newer'], 'PRECONDITION_FAILED'],
  ])('refuses %s', (_name, s, to, expected, expectedCode) => {
    const { code, issues } = refusal(s, to);
    expect(code).toBe(expectedCode);
    for (const e of expected) expect(issues.join('\n')).toContain(e);
  });

  it('refuses when an intermediate minor is unsupported on the cloud', () => {
    // EKS 1.31 is past end of extended support (2026-11-26) on the calendar's asOf date
    const s = spec('1.30');
    s.target.cloud = 'aws';
    const { issues } = refusal(s, '1.32');
    expect(issues).toEqual(['toVersion: intermediate version 1.31 is not supported on aws; upgrades move one minor at a time']);
  });

  it('names unsupported intermediate versions in one reason, and hints only versions it can reach', () => {
    const s = spec('1.33');
    const { issues } = refusal(s, '1.40');
    expect(issues).toEqual([
      'toVersion: 1.40 is not supported on sim (supported: 1.29, 1.30, 1.31, 1.32, 1.33, 1.34)',
      'toVersion: intermediate versions 1.35–1.39 are not supported on sim; upgrades move one minor at a time',
    ]);
    expect(hintOf(s, '1.40')).toBe('upgrade to 1.34: kaas clusters upgrade payments-dev --to 1.34');
    expect(hintOf(spec('1.34'), '1.40')).toMatch(/is at 1\.34, the newest version sim supports here/);
    expect(hintOf(spec('1.31'), '1.40')).toBe('upgrade to one of 1.32, 1.33, 1.34: kaas clusters upgrade payments-dev --to 1.34');
  });

  it('refuses when an enabled addon has no release for a hop, listing every reason', () => {
    const s = spec('1.33', ['1.34']);
    const reqs: AddonVersionRequirement[] = [{ addon: 'calico', version: '3.29.1', minKubernetes: '1.29', maxKubernetes: '1.33' }];
    const { issues } = refusal(s, '1.34', reqs);
    expect(issues).toEqual([
      'nodePools.0.kubernetesVersion: node pool "pool-0" (1.34) is newer than the control plane (1.33); fix the spec first',
      'addons.calico: no calico release supports Kubernetes 1.34; disable the addon or wait for a catalog update',
    ]);
  });

  it('refuses a malformed target version as VALIDATION', () => {
    expect(refusal(spec('1.33'), 'v1.34').code).toBe('VALIDATION');
  });
});

describe('addonVersionFor', () => {
  it.each([
    ['1.28', '3.28.0'],
    ['1.30', '3.29.1'],
    ['1.31', '3.30.0'],
    ['1.34', '3.30.0'],
    ['1.35', undefined],
  ])('for Kubernetes %s picks %s', (k8s, expected) => {
    expect(addonVersionFor(calicoReqs, 'calico', k8s)).toBe(expected);
  });

  it('compares release versions numerically', () => {
    const reqs: AddonVersionRequirement[] = [
      { addon: 'ingress', version: 'v1.10.0', minKubernetes: '1.30', maxKubernetes: '1.34' },
      { addon: 'ingress', version: 'v1.9.3', minKubernetes: '1.30', maxKubernetes: '1.34' },
    ];
    expect(addonVersionFor(reqs, 'ingress', '1.31')).toBe('v1.10.0');
  });
});
