/**
 * Property-based tests of the upgrade planner over every cloud's full version table
 * (KNOWN_VERSION_RULES: every minor each calendar lists, with its node skew). For any start
 * (control plane at a listed minor, pools anywhere from `maxNodeSkew` behind it up to it) and
 * any newer listed target, executing the plan step by step (`applyUpgradeStep`, as the worker
 * does) never breaks the skew — kubelet not newer than the API server and at most `maxNodeSkew`
 * minors older (https://kubernetes.io/releases/version-skew-policy/#kubelet; EKS
 * https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html, GKE
 * https://cloud.google.com/kubernetes-engine/versioning, AKS
 * https://learn.microsoft.com/en-us/azure/aks/supported-kubernetes-versions) — never downgrades,
 * moves the control plane one minor per step, rolls a pool before the end only when the next
 * control-plane step would otherwise break the skew, and ends with everything at the target.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validSpec } from '../tests/fixtures/cluster-spec.ts';
import type { Cloud, ClusterSpec } from './cluster-spec.ts';
import { compareMinorVersions, minorDistance, nextMinor, parseMinorVersion } from './kubernetes-version.ts';
import { planUpgrade } from './upgrade-plan.ts';
import { applyUpgradeStep } from './upgrade-step.ts';
import { KNOWN_VERSION_RULES } from './version-policy.ts';

const rules = KNOWN_VERSION_RULES;

function minorsBack(version: string, n: number): string {
  const { major, minor } = parseMinorVersion(version);
  return `${major}.${Math.max(0, minor - n)}`;
}

/** A start state and target on `cloud`: control plane at a listed minor, pools within the skew, target newer and listed. */
function caseOn(cloud: Cloud) {
  const listed = rules[cloud].supported;
  const skew = rules[cloud].maxNodeSkew;
  return fc
    .tuple(fc.integer({ min: 0, max: listed.length - 2 }), fc.integer({ min: 1, max: listed.length - 1 }))
    .filter(([from, to]) => to > from)
    .chain(([from, to]) =>
      fc.record({
        from: fc.constant(listed[from]!),
        to: fc.constant(listed[to]!),
        // undefined: the pool follows the control plane
        pools: fc.array(fc.option(fc.integer({ min: 0, max: skew }), { nil: undefined }), { minLength: 1, maxLength: 3 }),
      }),
    )
    .map(({ from, to, pools }) => {
      const base = validSpec({ kubernetesVersion: from });
      base.target = { ...base.target, cloud };
      base.nodePools = pools.map((lag, i) => ({ ...base.nodePools[0]!, name: `pool-${i}`, ...(lag === undefined ? {} : { kubernetesVersion: minorsBack(from, lag) }) }));
      return { spec: base, to };
    });
}

const poolVersions = (s: ClusterSpec) => s.nodePools.map((p) => p.kubernetesVersion ?? s.kubernetesVersion);

describe.each(['sim', 'aws', 'gcp', 'azure'] as const)('planUpgrade on %s, over its whole version table', (cloud) => {
  const skew = rules[cloud].maxNodeSkew;

  it('never breaks the skew, never downgrades, and ends at the target', () => {
    fc.assert(
      fc.property(caseOn(cloud), ({ spec, to }) => {
        const plan = planUpgrade(spec, to, rules);
        let s = spec;
        for (const step of plan.steps) {
          const next = applyUpgradeStep(s, step);
          expect(compareMinorVersions(next.kubernetesVersion, s.kubernetesVersion)).toBeGreaterThanOrEqual(0);
          poolVersions(next).forEach((v, i) => {
            expect(compareMinorVersions(v, poolVersions(s)[i]!)).toBeGreaterThanOrEqual(0);
            expect(compareMinorVersions(v, next.kubernetesVersion)).toBeLessThanOrEqual(0);
            expect(minorDistance(v, next.kubernetesVersion)).toBeLessThanOrEqual(skew);
          });
          if (step.kind === 'control-plane') expect(step.to).toBe(nextMinor(step.from));
          if (step.kind !== 'addon') expect(rules[cloud].supported).toContain(step.to);
          s = next;
        }
        expect(s.kubernetesVersion).toBe(to);
        expect(poolVersions(s).every((v) => v === to)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('rolls a pool before the end only when the next control-plane step would break the skew', () => {
    fc.assert(
      fc.property(caseOn(cloud), ({ spec, to }) => {
        const { steps } = planUpgrade(spec, to, rules);
        const lastControlPlane = steps.findLastIndex((st) => st.kind === 'control-plane');
        steps.forEach((step, i) => {
          if (step.kind !== 'node-pool' || i > lastControlPlane) return;
          const nextCp = steps.slice(i).find((st) => st.kind === 'control-plane')!;
          expect(minorDistance(step.from, nextCp.to)).toBeGreaterThan(skew);
        });
        // and each pool is rolled at the end exactly once
        const finalRolls = steps.slice(lastControlPlane + 1).filter((st) => st.kind === 'node-pool');
        expect(finalRolls.map((st) => (st.kind === 'node-pool' ? st.pool : '')).sort()).toEqual(spec.nodePools.map((p) => p.name).sort());
      }),
      { numRuns: 300 },
    );
  });
});
