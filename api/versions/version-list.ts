/**
 * `versions.list`: per cloud and minor, its support phase today, the calendar dates, which minor
 * is the default, and where the data came from (the static calendar with its source and asOf
 * date, or the cloud's live list for a target, falling back to the calendar when that fails).
 */
import type { Cloud } from '../../platform/cluster-spec.ts';
import { CLOUDS } from '../../platform/cluster-spec.ts';
import { compareMinorVersions } from '../../platform/kubernetes-version.ts';
import { defaultVersionOn, minorSupport, supportPhase, type SupportPhase, type VersionPolicy } from '../../platform/version-policy.ts';
import { minorOf, type LiveMinor, type LiveTarget, type LiveVersionSource } from './live-versions.ts';

/** One minor as `versions.list` shows it. */
export interface VersionEntry {
  version: string;
  phase: SupportPhase;
  default: boolean;
  released: string | null;
  endOfStandardSupport: string | null;
  endOfExtendedSupport: string | null;
  estimated: boolean;
  /** Only with a live list: the cloud offers this minor to the target now. */
  offeredLive?: boolean;
}

/** One cloud's versions. */
export interface CloudVersions {
  cloud: Cloud;
  /** `static`: the calendar only; `live`: the cloud's list for `target`; `static-fallback`: the live call failed. */
  list: 'static' | 'live' | 'static-fallback';
  target: string | null;
  /** Why the live list was not used (fallback only). */
  liveError: string | null;
  source: string;
  asOf: string;
  note: string | null;
  extendedSupport: string | null;
  maxNodeSkew: number;
  skewSource: string;
  versions: VersionEntry[];
}

/** Every cloud's versions from the calendar on `on` (YYYY-MM-DD), oldest minor first. */
export function staticCloudVersions(policy: VersionPolicy, cloud: Cloud, on: string): CloudVersions {
  const p = policy[cloud];
  const def = defaultVersionOn(policy, cloud, on);
  return {
    cloud,
    list: 'static',
    target: null,
    liveError: null,
    source: p.source,
    asOf: p.asOf,
    note: p.note ?? null,
    extendedSupport: p.extendedSupport ?? null,
    maxNodeSkew: p.maxNodeSkew,
    skewSource: p.skewSource,
    versions: p.minors.map((m) => ({
      version: m.version,
      phase: supportPhase(policy, cloud, m.version, on),
      default: m.version === def,
      released: m.released,
      endOfStandardSupport: m.endOfStandardSupport,
      endOfExtendedSupport: m.endOfExtendedSupport ?? null,
      estimated: m.estimated === true,
    })),
  };
}

/** The calendar's versions for every cloud, or one. */
export function staticVersions(policy: VersionPolicy, on: string, cloud?: Cloud): CloudVersions[] {
  return (cloud ? [cloud] : [...CLOUDS]).map((c) => staticCloudVersions(policy, c, on));
}

/**
 * The versions of `target`'s cloud from its live list, merged with the calendar: the cloud's own
 * dates win where it gives them, the calendar fills the rest; a minor the cloud does not offer
 * is kept with `offeredLive: false`. When the live call fails, the calendar with the reason.
 */
export async function liveCloudVersions(policy: VersionPolicy, target: LiveTarget & { name: string }, on: string, source: LiveVersionSource): Promise<CloudVersions> {
  const base = { ...staticCloudVersions(policy, target.cloud, on), target: target.name };
  let live: LiveMinor[];
  try {
    live = await source.listVersions(target);
  } catch (err) {
    return { ...base, list: 'static-fallback', liveError: err instanceof Error ? err.message.split('\n')[0]!.slice(0, 300) : String(err) };
  }
  const byMinor = new Map<string, LiveMinor>();
  for (const m of live) {
    const minor = minorOf(m.version);
    if (minor && !byMinor.has(minor)) byMinor.set(minor, { ...m, version: minor });
    else if (minor && m.default) byMinor.set(minor, { ...byMinor.get(minor)!, default: true });
  }
  const liveDefault = [...byMinor.values()].find((m) => m.default)?.version;
  const minors = [...new Set([...base.versions.map((v) => v.version), ...byMinor.keys()])].sort(compareMinorVersions);
  const versions = minors.map((version): VersionEntry => {
    const known = base.versions.find((v) => v.version === version);
    const l = byMinor.get(version);
    const cal = minorSupport(policy, target.cloud, version);
    const endStd = l?.endOfStandardSupport ?? cal?.endOfStandardSupport ?? null;
    const endExt = l?.endOfExtendedSupport ?? cal?.endOfExtendedSupport ?? null;
    const phase: SupportPhase = l
      ? endStd !== null && on > endStd
        ? endExt !== null && on <= endExt
          ? 'extended'
          : 'end-of-support'
        : 'standard'
      : (known?.phase ?? 'unreleased');
    return {
      version,
      phase,
      default: liveDefault !== undefined ? version === liveDefault : (known?.default ?? false),
      released: known?.released ?? null,
      endOfStandardSupport: endStd,
      endOfExtendedSupport: endExt,
      estimated: l ? false : (known?.estimated ?? false),
      offeredLive: l !== undefined,
    };
  });
  return { ...base, list: 'live', versions };
}
