/**
 * Patch upgrade planning: moving a cluster to a newer patch release of the minor it runs (what a
 * `patch` channel proposes). Like a minor hop, the control plane first, then a roll of every node
 * pool at that minor, each step health-gated by the upgrade handler; the minor never changes, a
 * pin never goes down, and pools behind the control plane's minor are left alone (a patch of
 * another minor is not theirs). EKS has no patch to pin (platform/kubernetes-patch.ts).
 */
import type { ClusterSpec } from './cluster-spec.ts';
import { DomainError, type FieldIssue } from './errors.ts';
import { comparePatchReleases, EKS_PATCH_REASON, patchReleaseProblem } from './kubernetes-patch.ts';
import { compareMinorVersions } from './kubernetes-version.ts';
import type { UpgradePlan, UpgradeStep } from './upgrade-plan.ts';
import type { VersionRules } from './version-policy.ts';

/** Every reason `spec` cannot be moved to patch `release`; empty when it can. */
export function preflightPatchUpgrade(spec: ClusterSpec, release: string, policy: VersionRules): FieldIssue[] {
  const cloud = spec.target.cloud;
  const minor = spec.kubernetesVersion;
  if (cloud === 'aws') return [{ path: 'toRelease', message: EKS_PATCH_REASON }];
  const problem = patchReleaseProblem(cloud, minor, release);
  if (problem) return [{ path: 'toRelease', message: problem }];
  const issues: FieldIssue[] = [];
  if (!policy[cloud].supported.includes(minor)) issues.push({ path: 'toRelease', message: `${minor} is not supported on ${cloud} (supported: ${policy[cloud].supported.join(', ')})` });
  if (spec.kubernetesPatch !== undefined && comparePatchReleases(release, spec.kubernetesPatch) < 0) {
    issues.push({ path: 'toRelease', message: `${release} is older than the control plane's ${spec.kubernetesPatch}; downgrades are not supported` });
  }
  spec.nodePools.forEach((pool, i) => {
    const v = pool.kubernetesVersion ?? minor;
    if (compareMinorVersions(v, minor) > 0) issues.push({ path: `nodePools.${i}.kubernetesVersion`, message: `node pool "${pool.name}" (${v}) is newer than the control plane (${minor}); fix the spec first` });
  });
  if (issues.length === 0 && patchSteps(spec, release).length === 0) issues.push({ path: 'toRelease', message: `the control plane and its node pools are already at ${release} or newer; nothing to upgrade` });
  return issues;
}

function patchSteps(spec: ClusterSpec, release: string): UpgradeStep[] {
  const minor = spec.kubernetesVersion;
  const behind = (pinned: string | undefined) => comparePatchReleases(pinned ?? minor, release) < 0;
  const steps: UpgradeStep[] = [];
  if (behind(spec.kubernetesPatch)) steps.push({ kind: 'control-plane', from: minor, to: minor, patch: release });
  for (const pool of spec.nodePools) {
    if ((pool.kubernetesVersion ?? minor) === minor && behind(pool.kubernetesPatch)) steps.push({ kind: 'node-pool', pool: pool.name, from: minor, to: minor, patch: release });
  }
  return steps;
}

/** Plans the move of `spec` to patch `release`, or throws VALIDATION with every reason. */
export function planPatchUpgrade(spec: ClusterSpec, release: string, policy: VersionRules): UpgradePlan {
  const issues = preflightPatchUpgrade(spec, release, policy);
  if (issues.length > 0) {
    throw new DomainError('VALIDATION', `cannot upgrade cluster "${spec.name}" to patch ${release}: ${issues.map((i) => i.message).join('; ')}`, {
      issues,
      hint: 'a patch upgrade keeps the minor and moves forward only; change minors with `kaas clusters upgrade NAME --to MAJOR.MINOR`',
    });
  }
  return { from: spec.kubernetesVersion, to: spec.kubernetesVersion, release, hops: [], steps: patchSteps(spec, release) };
}
