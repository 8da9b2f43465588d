/**
 * Auto-upgrade channels: which release a cluster following a channel should run, given the
 * version data of its cloud and the minor it runs now.
 *
 * - `patch`: the newest patch release of its current minor (AKS's `patch` auto-upgrade channel,
 *   https://learn.microsoft.com/azure/aks/auto-upgrade-cluster), newer than the patch it is pinned
 *   to. A patch target keeps the minor and names the patch release; its campaign pins that
 *   release (platform/patch-plan.ts).
 * - `stable`: N-1, the newest supported minor minus one, as GKE's Stable and AKS's `stable`
 *   channels trail the newest minor
 *   (https://cloud.google.com/kubernetes-engine/docs/concepts/release-channels,
 *   https://learn.microsoft.com/azure/aks/auto-upgrade-cluster).
 * - `pinned`: never moved automatically.
 *
 * A channel never proposes a downgrade, nor a minor its cloud does not support on that date.
 * Pure: the caller passes the version data read on its date.
 */
import { comparePatchReleases } from './kubernetes-patch.ts';
import { compareMinorVersions, isMinorVersion } from './kubernetes-version.ts';

export const CHANNELS = ['patch', 'stable', 'pinned'] as const;
export type UpgradeChannel = (typeof CHANNELS)[number];

/** The version data of one cloud on one date. */
export interface ChannelVersionData {
  /** Minors released and not past end of support, oldest first (`CloudVersionRules.supported`). */
  supported: string[];
  /** The newest patch release known per minor, e.g. `{ '1.33': '1.33.5' }`; absent: none known. */
  patches?: Record<string, string>;
}

/** Where a channel moves a cluster: the minor kaas plans to, and the release that names the proposal. */
export interface ChannelTarget {
  /** `MAJOR.MINOR`: the campaign's target version. */
  version: string;
  /** `1.33.5` for a patch, `1.33` for a minor: what is proposed (one proposal per release and scope). */
  release: string;
  /** Whether the control plane changes minor (maintenance exclusions "no minor upgrades" block it). */
  minorUpgrade: boolean;
}

const PATCH = /^(\d+\.\d+)\.(\d+)(?:[-+].*)?$/;

/** `MAJOR.MINOR` of a patch release `1.33.5` (or `1.33.5-gke.100`); undefined when it is not one. */
export function patchMinor(release: string): string | undefined {
  const m = PATCH.exec(release);
  return m && isMinorVersion(m[1]!) ? m[1] : undefined;
}

/** The N-1 minor of the supported list (the only one when a single minor is supported). */
export function stableMinor(supported: readonly string[]): string | undefined {
  const sorted = [...supported].filter(isMinorVersion).sort(compareMinorVersions);
  return sorted.length >= 2 ? sorted[sorted.length - 2] : sorted[0];
}

/**
 * The release `channel` moves a cluster at `current` (pinned to patch `currentPatch`, if any) to,
 * or undefined when it stays where it is.
 */
export function channelTarget(channel: UpgradeChannel, data: ChannelVersionData, current: string, currentPatch?: string): ChannelTarget | undefined {
  if (channel === 'pinned' || !isMinorVersion(current)) return undefined;
  if (channel === 'patch') {
    const release = data.patches?.[current];
    if (release === undefined || patchMinor(release) !== current || !data.supported.includes(current)) return undefined;
    // already pinned to it or to a newer patch: never a downgrade
    if (currentPatch !== undefined && comparePatchReleases(release, currentPatch) <= 0) return undefined;
    return { version: current, release, minorUpgrade: false };
  }
  const target = stableMinor(data.supported);
  if (target === undefined || compareMinorVersions(target, current) <= 0) return undefined;
  return { version: target, release: target, minorUpgrade: true };
}
