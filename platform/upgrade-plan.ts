/**
 * Kubernetes upgrade planning: one minor at a time, and for each minor hop the control plane
 * first, then the addon versions the new minor needs, then the node pools. `preflightUpgrade`
 * lists every reason a plan is impossible; `planUpgrade` throws them as PRECONDITION_FAILED.
 *
 * Node pools are rolled as few times as the cloud's skew allows (a roll replaces every node, so
 * it is the expensive part): the control plane moves one minor per step, and a pool is rolled
 * before a control-plane step only when that step would put it more than `maxNodeSkew` minors
 * behind (it is then brought to the current control-plane version; node pools are replaced, so
 * they may jump several minors), and once more at the end, to the target. With skew 3 (upstream
 * since 1.28, https://kubernetes.io/releases/version-skew-policy/#kubelet) 1.31 → 1.34 is three
 * control-plane steps and one roll of each pool. With skew 0 pools follow every hop.
 *
 * Control planes are never downgraded: no managed cloud can (EKS, GKE and AKS refuse a lower
 * control-plane version), so a plan only ever moves forward.
 */
import type { AddonId, Cloud, ClusterSpec } from './cluster-spec.ts';
import { enabledAddons } from './cluster-spec.ts';
import { DomainError, validationError, type FieldIssue } from './errors.ts';
import { compareMinorVersions, isMinorVersion, minorDistance, nextMinor, parseMinorVersion } from './kubernetes-version.ts';
import type { VersionRules } from './version-policy.ts';

/**
 * One addon release and the Kubernetes minors it supports (inclusive). The real addon catalog
 * provides a list of these; planning needs nothing else from it.
 */
export interface AddonVersionRequirement {
  addon: AddonId;
  /** The addon (chart) version, e.g. `3.29.1`. */
  version: string;
  minKubernetes: string;
  maxKubernetes: string;
}

/**
 * One ordered step of an upgrade plan. A step with `patch` (platform/patch-plan.ts) keeps the
 * minor (`from` = `to`) and pins that patch release.
 */
export type UpgradeStep =
  | { kind: 'control-plane'; from: string; to: string; patch?: string | undefined }
  | { kind: 'addon'; addon: AddonId; from: string | undefined; to: string; forKubernetes: string }
  | { kind: 'node-pool'; pool: string; from: string; to: string; patch?: string | undefined };

/** An ordered, executable upgrade plan. */
export interface UpgradePlan {
  from: string;
  to: string;
  /** A patch plan: the patch release it pins (`to` is then the unchanged minor). */
  release?: string | undefined;
  /** The control-plane versions visited, in order, ending with `to`. */
  hops: string[];
  steps: UpgradeStep[];
}

/** The newest release of `addon` that supports Kubernetes `k8s`, if any. */
export function addonVersionFor(reqs: readonly AddonVersionRequirement[], addon: AddonId, k8s: string): string | undefined {
  return reqs
    .filter((r) => r.addon === addon && compareMinorVersions(r.minKubernetes, k8s) <= 0 && compareMinorVersions(k8s, r.maxKubernetes) <= 0)
    .map((r) => r.version)
    .sort(compareDottedVersions)
    .at(-1);
}

/** Every reason the upgrade of `spec` to `toVersion` is impossible; empty when it can be planned. */
export function preflightUpgrade(
  spec: ClusterSpec,
  toVersion: string,
  policy: VersionRules,
  addonRequirements: readonly AddonVersionRequirement[] = [],
): FieldIssue[] {
  const from = spec.kubernetesVersion;
  const cloud = spec.target.cloud;
  const supported = policy[cloud].supported;
  const issues: FieldIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });

  if (!isMinorVersion(toVersion)) return [{ path: 'toVersion', message: `"${toVersion}" must be a Kubernetes minor version MAJOR.MINOR like 1.31` }];
  if (parseMinorVersion(from).major !== parseMinorVersion(toVersion).major) {
    return [{ path: 'toVersion', message: `cannot upgrade across major versions (${from} → ${toVersion})` }];
  }
  const cmp = compareMinorVersions(toVersion, from);
  // a control plane already at the target with pools behind (an upgrade stopped before its pool rolls) plans just the rolls
  const poolsBehind = spec.nodePools.some((p) => compareMinorVersions(p.kubernetesVersion ?? from, from) < 0);
  if (cmp === 0 && !poolsBehind) add('toVersion', `the control plane is already at ${from}; nothing to upgrade`);
  if (cmp < 0) add('toVersion', `${toVersion} is older than the current ${from}; downgrades are not supported`);
  if (!supported.includes(toVersion)) add('toVersion', `${toVersion} is not supported on ${cloud} (supported: ${supported.join(', ')})`);
  const hops = cmp > 0 ? hopsBetween(from, toVersion) : [];
  const unreachable = unsupportedHopsReason(cloud, from, toVersion, policy);
  if (unreachable) add('toVersion', unreachable);
  spec.nodePools.forEach((pool, i) => {
    const v = pool.kubernetesVersion ?? from;
    if (compareMinorVersions(v, from) > 0) {
      add(`nodePools.${i}.kubernetesVersion`, `node pool "${pool.name}" (${v}) is newer than the control plane (${from}); fix the spec first`);
    }
  });
  for (const addon of enabledAddons(spec)) {
    if (!addonRequirements.some((r) => r.addon === addon)) continue;
    for (const hop of hops) {
      if (addonVersionFor(addonRequirements, addon, hop) === undefined) {
        add(`addons.${addon}`, `no ${addon} release supports Kubernetes ${hop}; disable the addon or wait for a catalog update`);
      }
    }
  }
  return issues;
}

/** The versions `spec` can be upgraded to: supported on its cloud and newer than it, one minor at a time. */
function upgradeHint(spec: ClusterSpec, policy: VersionRules): string {
  const supported = policy[spec.target.cloud].supported;
  const reachable: string[] = [];
  for (let v = spec.kubernetesVersion; ; ) {
    const next = nextMinor(v);
    if (!supported.includes(next)) break;
    reachable.push(next);
    v = next;
  }
  if (reachable.length === 0) return `cluster "${spec.name}" is at ${spec.kubernetesVersion}, the newest version ${spec.target.cloud} supports here; nothing to upgrade to yet`;
  return `upgrade to ${reachable.length === 1 ? reachable[0] : `one of ${reachable.join(', ')}`}: kaas clusters upgrade ${spec.name} --to ${reachable.at(-1)}`;
}

/**
 * Plans the upgrade of `spec` to `toVersion`, or throws with every reason: VALIDATION when the
 * version asked for cannot be reached (exit 2, like a malformed one), PRECONDITION_FAILED when
 * the cluster's state stands in the way.
 */
export function planUpgrade(
  spec: ClusterSpec,
  toVersion: string,
  policy: VersionRules,
  addonRequirements: readonly AddonVersionRequirement[] = [],
): UpgradePlan {
  if (!isMinorVersion(toVersion)) {
    throw validationError([{ path: 'toVersion', message: `"${toVersion}" must be a Kubernetes minor version MAJOR.MINOR like 1.31` }]);
  }
  const issues = preflightUpgrade(spec, toVersion, policy, addonRequirements);
  if (issues.length > 0) {
    // a `--to` the platform cannot reach is a bad argument, like a malformed one; the rest are the cluster's state
    const code = issues.some((i) => i.path === 'toVersion') ? 'VALIDATION' : 'PRECONDITION_FAILED';
    throw new DomainError(code, `cannot upgrade cluster "${spec.name}" to ${toVersion}: ${issues.map((i) => i.message).join('; ')}`, { issues, hint: upgradeHint(spec, policy) });
  }
  const skew = policy[spec.target.cloud].maxNodeSkew;
  const pools = new Map(spec.nodePools.map((p) => [p.name, p.kubernetesVersion ?? spec.kubernetesVersion]));
  const enabled = enabledAddons(spec).filter((a) => addonRequirements.some((r) => r.addon === a));
  const steps: UpgradeStep[] = [];
  const hops = hopsBetween(spec.kubernetesVersion, toVersion);
  let current = spec.kubernetesVersion;
  const roll = (to: string, when: (v: string) => boolean) => {
    for (const [pool, v] of pools) {
      if (compareMinorVersions(v, to) < 0 && when(v)) {
        steps.push({ kind: 'node-pool', pool, from: v, to });
        pools.set(pool, to);
      }
    }
  };
  for (const hop of hops) {
    // the pools the next control-plane step would leave too far behind, to the version it leaves
    roll(current, (v) => minorDistance(v, hop) > skew);
    steps.push({ kind: 'control-plane', from: current, to: hop });
    for (const addon of enabled) {
      const before = addonVersionFor(addonRequirements, addon, current);
      const after = addonVersionFor(addonRequirements, addon, hop);
      if (after !== undefined && after !== before) steps.push({ kind: 'addon', addon, from: before, to: after, forKubernetes: hop });
    }
    if (skew === 0) roll(hop, () => true);
    current = hop;
  }
  roll(toVersion, () => true);
  return { from: spec.kubernetesVersion, to: toVersion, hops, steps };
}

/**
 * Why the control plane cannot walk from `from` to `to` on `cloud` one minor at a time (an
 * intermediate minor the cloud does not support), in one reason for every such minor; undefined
 * when every intermediate hop is supported. The target itself is checked by the caller.
 */
export function unsupportedHopsReason(cloud: Cloud, from: string, to: string, policy: VersionRules): string | undefined {
  const supported = policy[cloud].supported;
  const missing = hopsBetween(from, to).slice(0, -1).filter((hop) => !supported.includes(hop));
  if (missing.length === 1) return `intermediate version ${missing[0]} is not supported on ${cloud}; upgrades move one minor at a time`;
  if (missing.length > 1) return `intermediate versions ${missing[0]}–${missing.at(-1)} are not supported on ${cloud}; upgrades move one minor at a time`;
  return undefined;
}

/** The versions after `from` up to and including `to`, one minor apart (the control-plane hops). */
export function hopsBetween(from: string, to: string): string[] {
  const hops: string[] = [];
  for (let v = nextMinor(from); compareMinorVersions(v, to) <= 0; v = nextMinor(v)) hops.push(v);
  return hops;
}

/** Compares dotted release versions numerically (`v1.10.0` > `1.9.3`); non-numeric parts compare as text. */
function compareDottedVersions(a: string, b: string): number {
  const pa = a.replace(/^v/, '').split(/[.-]/);
  const pb = b.replace(/^v/, '').split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    const diff = /^\d+$/.test(x) && /^\d+$/.test(y) ? Number(x) - Number(y) : x.localeCompare(y);
    if (diff !== 0) return diff;
  }
  return 0;
}
