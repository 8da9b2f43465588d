import { describe, expect, it } from 'vitest';
import { validSpec } from '../tests/fixtures/cluster-spec.ts';
import { parseClusterSpec } from './cluster-spec-schema.ts';
import { isDomainError } from './errors.ts';
import { DEFAULT_VERSION_RULES } from './version-policy.ts';

/** The "path: message" lines of the VALIDATION error `input` causes. */
function issues(input: unknown): string[] {
  try {
    parseClusterSpec(input);
  } catch (err) {
    if (isDomainError(err) && err.code === 'VALIDATION') return err.issues.map((i) => `${i.path}: ${i.message}`);
    throw err;
  }
  throw new Error('expected a VALIDATION error');
}

type Mutation = (s: any) => void;

describe('parseClusterSpec', () => {
  it('accepts a valid spec and returns it unchanged', () => {
    expect(parseClusterSpec(validSpec())).toEqual(validSpec());
  });

  it('fills omitted empty collections', () => {
    const input: any = validSpec();
    delete input.tags;
    delete input.nodePools[0].labels;
    delete input.nodePools[0].taints;
    input.addons = { calico: { enabled: true } };
    const spec = parseClusterSpec(input);
    expect(spec.tags).toEqual({});
    expect(spec.nodePools[0]).toMatchObject({ labels: {}, taints: [] });
    expect(spec.addons.calico).toEqual({ enabled: true, values: {} });
  });

  it.each<[string, Mutation]>([
    ['minimal sizes 0/0/1', (s) => Object.assign(s.nodePools[0], { minSize: 0, desiredSize: 0, maxSize: 1 })],
    ['maximum size 1000', (s) => Object.assign(s.nodePools[0], { minSize: 1000, desiredSize: 1000, maxSize: 1000 })],
    ['40-char cluster name', (s) => (s.name = 'a'.repeat(40))],
    ['pool at max skew', (s) => (s.nodePools[0].kubernetesVersion = '1.30')],
    ['pool at control plane version', (s) => (s.nodePools[0].kubernetesVersion = '1.33')],
    ['existing vpc', (s) => (s.networking.vpc = { mode: 'existing', networkId: 'vpc-1', subnetIds: ['subnet-1'] })],
    ['taints', (s) => (s.nodePools[0].taints = [{ key: 'gpu', value: '', effect: 'NoSchedule' }])],
    ['20 pools', (s) => (s.nodePools = Array.from({ length: 20 }, (_, i) => ({ ...s.nodePools[0], name: `p${i}` })))],
    ['template reference', (s) => (s.template = 'sim-dev@3')],
  ])('accepts %s', (_name, mutate) => {
    const s = validSpec();
    mutate(s);
    expect(() => parseClusterSpec(s)).not.toThrow();
  });

  it.each<[string, Mutation, string]>([
    ['uppercase name', (s) => (s.name = 'Payments'), 'name: must contain only lowercase'],
    ['unicode name', (s) => (s.name = 'pаyments'), 'name: must contain only lowercase'],
    ['path traversal name', (s) => (s.name = '../etc'), 'name: must contain only lowercase'],
    ['over-long name', (s) => (s.name = 'a'.repeat(41)), 'name: must be at most 40 characters (got 41)'],
    ['empty name', (s) => (s.name = ''), 'name: must not be empty'],
    ['name ending in dash', (s) => (s.name = 'abc-'), 'name: must contain only lowercase'],
    ['over-long pool name', (s) => (s.nodePools[0].name = 'p'.repeat(31)), 'nodePools.0.name: must be at most 30'],
    ['unknown top-level key', (s) => (s.owner = 'me'), ': unknown field(s) "owner"'],
    ['unknown nested key', (s) => (s.nodePools[0].spot = true), 'nodePools.0: unknown field(s) "spot"'],
    ['unknown addon', (s) => (s.addons.istio = { enabled: true }), 'addons: unknown field(s) "istio"'],
    ['no pools', (s) => (s.nodePools = []), 'nodePools: at least one node pool is required'],
    ['21 pools', (s) => (s.nodePools = Array.from({ length: 21 }, (_, i) => ({ ...s.nodePools[0], name: `p${i}` }))), 'nodePools: at most 20'],
    ['duplicate pool names', (s) => s.nodePools.push({ ...s.nodePools[0] }), 'nodePools.1.name: duplicate node pool name "general"'],
    ['min > desired', (s) => Object.assign(s.nodePools[0], { minSize: 3, desiredSize: 2 }), 'nodePools.0.minSize: must be <= desiredSize (3 > 2)'],
    ['desired > max', (s) => Object.assign(s.nodePools[0], { desiredSize: 6 }), 'nodePools.0.desiredSize: must be <= maxSize (6 > 5)'],
    ['max 0', (s) => Object.assign(s.nodePools[0], { minSize: 0, desiredSize: 0, maxSize: 0 }), 'nodePools.0.maxSize: must be at least 1'],
    ['max > 1000', (s) => (s.nodePools[0].maxSize = 1001), 'nodePools.0.maxSize'],
    ['negative min', (s) => (s.nodePools[0].minSize = -1), 'nodePools.0.minSize'],
    ['fractional size', (s) => (s.nodePools[0].desiredSize = 2.5), 'nodePools.0.desiredSize'],
    ['string size', (s) => (s.nodePools[0].desiredSize = '2'), 'nodePools.0.desiredSize'],
    ['bad label key', (s) => (s.nodePools[0].labels = { 'a/b/c': 'x' }), 'nodePools.0.labels.a/b/c: invalid key: label key "a/b/c" may contain at most one "/"'],
    ['bad label value', (s) => (s.nodePools[0].labels = { app: 'x'.repeat(64) }), 'nodePools.0.labels.app: label value must be at most 63'],
    ['bad tag value', (s) => (s.tags = { env: 'dev prod' }), 'tags.env: label value "dev prod"'],
    ['bad taint effect', (s) => (s.nodePools[0].taints = [{ key: 'gpu', value: '', effect: 'NoWay' }]), 'nodePools.0.taints.0.effect'],
    ['bad CIDR', (s) => (s.networking.authorizedCidrs = ['10.0.0.0/8', '300.0.0.0/8']), 'networking.authorizedCidrs.1: "300.0.0.0/8" must be an IPv4 CIDR'],
    ['bad VPC CIDR', (s) => (s.networking.vpc.cidr = '10.10.0.1/16'), 'networking.vpc.cidr: "10.10.0.1/16" has host bits set'],
    ['bad vpc mode', (s) => (s.networking.vpc = { mode: 'borrow' }), 'networking.vpc.mode'],
    ['version with v', (s) => (s.kubernetesVersion = 'v1.33'), 'kubernetesVersion: must be a Kubernetes minor version'],
    ['patch version', (s) => (s.kubernetesVersion = '1.33.1'), 'kubernetesVersion: must be a Kubernetes minor version'],
    ['pool newer than control plane', (s) => (s.nodePools[0].kubernetesVersion = '1.34'), 'nodePools.0.kubernetesVersion: 1.34 is newer than the control plane (1.33)'],
    ['pool beyond skew', (s) => (s.nodePools[0].kubernetesVersion = '1.29'), 'nodePools.0.kubernetesVersion: 1.29 is more than 3 minor versions behind'],
    ['unknown cloud', (s) => (s.target.cloud = 'ibm'), 'target.cloud'],
    ['bad template ref', (s) => (s.template = 'Sim Dev'), 'template: must be name@version'],
    ['missing networking', (s) => delete s.networking, 'networking'],
    ['null node pool', (s) => (s.nodePools = [null]), 'nodePools.0'],
  ])('rejects %s', (_name, mutate, expected) => {
    const s = validSpec();
    mutate(s);
    expect(issues(s).join('\n')).toContain(expected);
  });

  it.each([null, 'spec', 42, []])('rejects non-object input %j', (input) => {
    expect(issues(input)).toHaveLength(1);
  });

  it('lists every issue at once, including cross-field ones next to structural ones', () => {
    const s: any = validSpec();
    s.name = 'BAD';
    s.nodePools[0].machineType = 42;
    s.nodePools[0].desiredSize = 9;
    s.nodePools.push({ ...validSpec().nodePools[0] });
    const lines = issues(s);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^name: /),
        expect.stringMatching(/^nodePools\.0\.machineType: /),
        expect.stringMatching(/^nodePools\.0\.desiredSize: must be <= maxSize/),
        expect.stringMatching(/^nodePools\.1\.name: duplicate/),
      ]),
    );
  });

  it('uses the cloud skew of the given policy', () => {
    const s = validSpec({ target: { ...validSpec().target, cloud: 'gcp' } });
    s.nodePools[0]!.kubernetesVersion = '1.30';
    expect(() => parseClusterSpec(s)).toThrow(/more than 2 minor versions behind/);
    const lenient = { ...DEFAULT_VERSION_RULES, gcp: { ...DEFAULT_VERSION_RULES.gcp, maxNodeSkew: 3 } };
    expect(() => parseClusterSpec(s, lenient)).not.toThrow();
  });

  it('the error message summarises the issues and carries a hint', () => {
    const s: any = validSpec();
    s.name = 'X';
    expect(() => parseClusterSpec(s)).toThrow(expect.objectContaining({ code: 'VALIDATION', message: expect.stringContaining('name: must contain'), hint: expect.any(String) }));
  });
});
