/**
 * Patch upgrades (issue 12 item 5, the `patch` channel): the release forms each cloud takes, the
 * plan (control plane, then a roll of the pools at that minor; never another minor, never down),
 * executing it step by step, and a later minor upgrade clearing the pin.
 *
 * Sources: AKS takes MAJOR.MINOR.PATCH in kubernetesVersion / orchestratorVersion
 * (@pulumi/azure-native@3.28.0 ManagedCluster.kubernetesVersion; https://learn.microsoft.com/azure/aks/upgrade-aks-cluster);
 * GKE takes 1.33.5-gke.1080000 (https://cloud.google.com/kubernetes-engine/versioning);
 * EKS takes MAJOR.MINOR only and applies platform versions itself
 * (https://docs.aws.amazon.com/eks/latest/userguide/platform-versions.html, @pulumi/aws@7.48.0 eks Cluster.version).
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validSpec } from '../tests/fixtures/cluster-spec.ts';
import type { Cloud, ClusterSpec } from './cluster-spec.ts';
import { parseClusterSpec } from './cluster-spec-schema.ts';
import { isDomainError } from './errors.ts';
import { comparePatchReleases, patchReleaseProblem } from './kubernetes-patch.ts';
import { planPatchUpgrade, preflightPatchUpgrade } from './patch-plan.ts';
import { reresolveSpec } from './spec-reresolution.ts';
import { parseTemplate, resolveTemplate } from './templates.ts';
import { planUpgrade } from './upgrade-plan.ts';
import { applyUpgradeStep, describeUpgradeStep, isUpgradeStepDone } from './upgrade-step.ts';
import { DEFAULT_VERSION_RULES } from './version-policy.ts';

const on = (cloud: Cloud, overrides: Partial<ClusterSpec> = {}): ClusterSpec => {
  const base = validSpec(overrides);
  return { ...base, target: { ...base.target, cloud }, nodePools: [...base.nodePools, { name: 'old', machineType: 'sim.small', minSize: 1, maxSize: 1, desiredSize: 1, labels: {}, taints: [], kubernetesVersion: '1.32' }] };
};

function validationIssues(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (isDomainError(err) && err.code === 'VALIDATION') return err.issues.map((i) => `${i.path}: ${i.message}`);
    throw err;
  }
  throw new Error('expected a VALIDATION error');
}

describe('patch releases per cloud', () => {
  it.each([
    ['azure', '1.33', '1.33.5', undefined],
    ['sim', '1.33', '1.33.5', undefined],
    ['gcp', '1.33', '1.33.5-gke.1080000', undefined],
    ['gcp', '1.33', '1.33.5', /not a gcp patch release \(expected the form 1\.33\.5-gke\.1080000\)/],
    ['azure', '1.33', '1.33.5-gke.1', /not a azure patch release \(expected the form 1\.33\.5\)/],
    ['azure', '1.33', '1.34.1', /not of minor 1\.33; a patch never changes the minor/],
    ['aws', '1.33', '1.33.5', /EKS applies patch \(platform\) versions itself/],
  ] as const)('%s %s ← %s', (cloud, minor, release, problem) => {
    const got = patchReleaseProblem(cloud, minor, release);
    if (problem === undefined) expect(got).toBeUndefined();
    else expect(got).toMatch(problem);
  });

  it('orders patches numerically, GKE builds too, an unpinned minor before any patch', () => {
    expect(comparePatchReleases('1.33.10', '1.33.9')).toBeGreaterThan(0);
    expect(comparePatchReleases('1.33.5-gke.200', '1.33.5-gke.1080000')).toBeLessThan(0);
    expect(comparePatchReleases('1.33', '1.33.0')).toBeLessThan(0);
  });

  it('validates pins in a spec per cloud and pool minor', () => {
    expect(parseClusterSpec({ ...validSpec(), kubernetesPatch: '1.33.5' }).kubernetesPatch).toBe('1.33.5');
    expect(validationIssues(() => parseClusterSpec({ ...validSpec(), kubernetesPatch: '1.34.1' }))).toEqual(['kubernetesPatch: patch 1.34.1 is not of minor 1.33; a patch never changes the minor']);
    const eks = validSpec({ target: { ...validSpec().target, cloud: 'aws' } });
    expect(validationIssues(() => parseClusterSpec({ ...eks, kubernetesPatch: '1.33.5' }))[0]).toMatch(/^kubernetesPatch: cannot pin patch 1\.33\.5 on EKS: EKS applies patch/);
    const pool = { ...validSpec().nodePools[0]!, kubernetesVersion: '1.32', kubernetesPatch: '1.33.5' };
    expect(validationIssues(() => parseClusterSpec({ ...validSpec(), nodePools: [pool] }))).toEqual(['nodePools.0.kubernetesPatch: patch 1.33.5 is not of minor 1.32; a patch never changes the minor']);
    expect(validationIssues(() => parseClusterSpec({ ...validSpec(), kubernetesPatch: 'latest' }))[0]).toMatch(/must be a patch release like 1\.33\.5/);
  });

  it('templates and overrides never set a pin; re-resolution keeps the running pins', () => {
    const yaml = fs.readFileSync(new URL('../templates/sim-dev.yaml', import.meta.url), 'utf8');
    const target = { name: 'sim-local', cloud: 'sim' as const, region: 'local', account: 'local', dnsZones: [] };
    expect(() => parseTemplate(yaml.replace('kubernetesVersion: "1.33"', 'kubernetesVersion: "1.33"\n  kubernetesPatch: "1.33.5"'))).toThrow(/kubernetesPatch: is set by the platform during patch upgrades, never by a template or an override/);
    const simDev = parseTemplate(yaml);
    const spec = resolveTemplate(simDev, { name: 'w', team: 't', target, overrides: {} });
    const running = { ...spec, kubernetesPatch: '1.33.5', nodePools: spec.nodePools.map((p) => ({ ...p, kubernetesPatch: '1.33.5' })) };
    const again = reresolveSpec(simDev, { name: 'w', spec: running, overrides: {}, target });
    expect(again.kubernetesPatch).toBe('1.33.5');
    expect(again.nodePools.map((p) => p.kubernetesPatch)).toEqual(spec.nodePools.map(() => '1.33.5'));
  });
});

describe('planning and running a patch upgrade', () => {
  it.each(['sim', 'azure'] as const)('on %s: the control plane, then the pools at its minor; the pool behind is left alone', (cloud) => {
    const spec = on(cloud);
    const plan = planPatchUpgrade(spec, '1.33.5', DEFAULT_VERSION_RULES);
    expect(plan).toMatchObject({ from: '1.33', to: '1.33', release: '1.33.5', hops: [] });
    expect(plan.steps.map(describeUpgradeStep)).toEqual(['control plane 1.33 → 1.33.5', 'node pool general 1.33 → 1.33.5']);
    const states = plan.steps.reduce<ClusterSpec[]>((acc, step) => [...acc, applyUpgradeStep(acc.at(-1)!, step)], [spec]);
    expect(states[1]).toMatchObject({ kubernetesVersion: '1.33', kubernetesPatch: '1.33.5' });
    expect(states[1]!.nodePools.map((p) => p.kubernetesPatch)).toEqual([undefined, undefined]); // the control plane moves alone
    expect(states[2]!.nodePools.map((p) => [p.kubernetesVersion, p.kubernetesPatch])).toEqual([[undefined, '1.33.5'], ['1.32', undefined]]);
    plan.steps.forEach((step, i) => {
      expect(isUpgradeStepDone(states[i]!, step)).toBe(false);
      expect(isUpgradeStepDone(states[i + 1]!, step)).toBe(true);
    });
    // a parsed spec with the pins is valid for its cloud
    expect(() => parseClusterSpec(states.at(-1))).not.toThrow();
  });

  it('on GKE with the GKE version form', () => {
    const plan = planPatchUpgrade(on('gcp'), '1.33.5-gke.1080000', DEFAULT_VERSION_RULES);
    expect(plan.steps.map(describeUpgradeStep)).toEqual(['control plane 1.33 → 1.33.5-gke.1080000', 'node pool general 1.33 → 1.33.5-gke.1080000']);
  });

  it('never changes the minor, never downgrades, refuses EKS and nothing-to-do', () => {
    const rules = DEFAULT_VERSION_RULES;
    expect(preflightPatchUpgrade(on('sim'), '1.34.1', rules).map((i) => i.message)).toEqual(['patch 1.34.1 is not of minor 1.33; a patch never changes the minor']);
    const pinned = { ...on('sim'), kubernetesPatch: '1.33.7' };
    expect(preflightPatchUpgrade(pinned, '1.33.5', rules).map((i) => i.message)).toEqual(['1.33.5 is older than the control plane\'s 1.33.7; downgrades are not supported']);
    expect(preflightPatchUpgrade(on('aws'), '1.33.5', rules).map((i) => i.message)[0]).toMatch(/^EKS applies patch \(platform\) versions itself/);
    const done = { ...on('sim'), kubernetesPatch: '1.33.5', nodePools: on('sim').nodePools.map((p) => ({ ...p, kubernetesPatch: p.kubernetesVersion ? undefined : '1.33.5' })) };
    expect(preflightPatchUpgrade(done, '1.33.5', rules).map((i) => i.message)).toEqual(['the control plane and its node pools are already at 1.33.5 or newer; nothing to upgrade']);
    expect(() => planPatchUpgrade(done, '1.33.5', rules)).toThrow(/nothing to upgrade/);
    // a pool pinned newer than the release is not rolled back
    const poolAhead = { ...on('sim'), nodePools: [{ ...on('sim').nodePools[0]!, kubernetesPatch: '1.33.9' }] };
    expect(planPatchUpgrade(poolAhead, '1.33.5', rules).steps.map(describeUpgradeStep)).toEqual(['control plane 1.33 → 1.33.5']);
  });

  it('a later minor upgrade clears the pins it moves past', () => {
    const spec = on('sim');
    const patched = planPatchUpgrade(spec, '1.33.5', DEFAULT_VERSION_RULES).steps.reduce(applyUpgradeStep, spec);
    const plan = planUpgrade(patched, '1.34', DEFAULT_VERSION_RULES);
    const after = plan.steps.reduce(applyUpgradeStep, patched);
    expect(after.kubernetesVersion).toBe('1.34');
    expect(after.kubernetesPatch).toBeUndefined();
    expect(after.nodePools.map((p) => [p.kubernetesVersion, p.kubernetesPatch])).toEqual([[undefined, undefined], [undefined, undefined]]);
    expect(() => parseClusterSpec(after)).not.toThrow();
    // halfway (control plane moved, pools not yet): the pool keeps its 1.33 pin, still valid
    const half = applyUpgradeStep(patched, plan.steps.find((s) => s.kind === 'control-plane')!);
    expect(half.nodePools[0]).toMatchObject({ kubernetesVersion: '1.33', kubernetesPatch: '1.33.5' });
    expect(() => parseClusterSpec(half)).not.toThrow();
  });
});
