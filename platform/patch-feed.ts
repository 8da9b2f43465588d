/**
 * Where a `patch` channel's releases come from: the newest patch release per minor that each
 * target (a region of a cloud account) offers in its live version list (api/versions/live-versions.ts),
 * merged so that a release is proposed only when EVERY target it would run on offers it — per
 * minor, the oldest of those targets' newest patches. A target whose list could not be read
 * offers nothing, so no patch is proposed for the minors its clusters run (never a release chosen
 * from partial data). Patches are merged per channel scope and cloud, over the targets of the
 * scope's clusters at each minor: another scope's regions, or a region running other minors, do
 * not hold a scope back. Pure.
 */
import type { Cloud } from './cluster-spec.ts';
import { comparePatchReleases, parsePatchRelease } from './kubernetes-patch.ts';
import type { ChannelScope } from './maintenance-exclusion.ts';

/** Newest patch release per minor (`{ '1.33': '1.33.5' }`) of one target; undefined: its list could not be read. */
export type TargetPatches = Readonly<Record<string, string>> | undefined;

/** The newest patch per minor that every one of `offers` lists: the oldest of their newest; a minor some target lacks is left out. */
export function commonPatches(offers: readonly TargetPatches[]): Record<string, string> {
  if (offers.length === 0 || offers.some((o) => o === undefined)) return {};
  const [first, ...rest] = offers as Readonly<Record<string, string>>[];
  const common: Record<string, string> = {};
  for (const [minor, release] of Object.entries(first!)) {
    if (parsePatchRelease(release)?.minor !== minor) continue;
    let oldest = release;
    let everywhere = true;
    for (const o of rest) {
      const r = o[minor];
      if (r === undefined || parsePatchRelease(r)?.minor !== minor) {
        everywhere = false;
        break;
      }
      if (comparePatchReleases(r, oldest) < 0) oldest = r;
    }
    if (everywhere) common[minor] = oldest;
  }
  return common;
}

/** A cluster that follows a `patch` channel: its scope, cloud, target name and control-plane minor. */
export interface PatchFeedMember extends ChannelScope {
  cloud: Cloud;
  target: string;
  version: string;
}

/** The merged patches of each scope and cloud; `get` gives `{}` for one with none. */
export interface ScopePatches {
  get(scope: ChannelScope['scope'], name: string, cloud: Cloud): Record<string, string>;
}

/**
 * Per scope and cloud, per minor its clusters run: the patch every target running a cluster of
 * that scope, cloud and minor offers (`offers` by target name; a target absent from it counts as
 * unread).
 */
export function scopePatches(members: readonly PatchFeedMember[], offers: ReadonlyMap<string, TargetPatches>): ScopePatches {
  const targets = new Map<string, Map<string, Set<string>>>(); // scope/cloud → minor → targets
  const key = (scope: string, name: string, cloud: Cloud) => `${scope}\u0000${name}\u0000${cloud}`;
  for (const m of members) {
    const k = key(m.scope, m.name, m.cloud);
    const byMinor = targets.get(k) ?? new Map<string, Set<string>>();
    byMinor.set(m.version, (byMinor.get(m.version) ?? new Set()).add(m.target));
    targets.set(k, byMinor);
  }
  const merged = new Map<string, Record<string, string>>();
  for (const [k, byMinor] of targets) {
    const patches: Record<string, string> = {};
    for (const [minor, names] of byMinor) {
      const release = commonPatches([...names].map((t) => offers.get(t)))[minor];
      if (release !== undefined) patches[minor] = release;
    }
    merged.set(k, patches);
  }
  return { get: (scope, name, cloud) => merged.get(key(scope, name, cloud)) ?? {} };
}
