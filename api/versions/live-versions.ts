/**
 * The one narrow interface the versions list and the channel check need from a cloud: the minors
 * it offers a target right now, with each minor's newest patch release where the cloud lists them. Implementations (EKS, GKE, AKS) live in `cloud-version-clients.ts`; the static
 * calendar is the fallback whenever a call fails or a target has no credentials.
 */
import type { Cloud } from '../../platform/cluster-spec.ts';
import { comparePatchReleases, parsePatchRelease } from '../../platform/kubernetes-patch.ts';

/** What a cloud says about one minor. Dates are YYYY-MM-DD when the cloud gives them. */
export interface LiveMinor {
  version: string;
  /** The cloud marks it as its default for new clusters. */
  default?: boolean;
  endOfStandardSupport?: string;
  endOfExtendedSupport?: string;
  /** The cloud's own status word (e.g. EKS STANDARD_SUPPORT, AKS isPreview / LTS). */
  status?: string;
  /**
   * The newest patch release of this minor the location offers, in the cloud's form (GKE
   * `1.33.5-gke.1080000`, AKS `1.33.5`); absent when the cloud lists none (EKS: AWS applies
   * patches itself). What a `patch` channel proposes (api/fleet/channel-check.ts).
   */
  newestPatch?: string;
}

/** Where a target lives, as the live calls need it. */
export interface LiveTarget {
  cloud: Exclude<Cloud, 'sim'>;
  region: string;
  /** AWS account id, GCP project id, or Azure subscription id. */
  account: string;
}

/** Reads the live version list of a target's cloud; throws when it cannot (no credentials, network, permissions). */
export interface LiveVersionSource {
  listVersions(target: LiveTarget): Promise<LiveMinor[]>;
}

/** `MAJOR.MINOR` of a cloud version string (`1.35`, `1.35.2-gke.1962000`, `1.35.1`); undefined when not one. */
export function minorOf(version: string): string | undefined {
  return /^(\d+\.\d+)(?:\.|$|-)/.exec(version)?.[1];
}

/** The newest of `releases` that are patch releases of `minor` (platform/kubernetes-patch.ts order); undefined when none is. */
export function newestPatchOf(minor: string, releases: Iterable<string>): string | undefined {
  let newest: string | undefined;
  for (const r of releases) {
    if (parsePatchRelease(r)?.minor !== minor) continue;
    if (newest === undefined || comparePatchReleases(r, newest) > 0) newest = r;
  }
  return newest;
}

/** A source loaded on first use (the cloud SDKs are large; the API should not load them to start). */
export function lazyVersionSource(load: () => Promise<LiveVersionSource>): LiveVersionSource {
  let loaded: Promise<LiveVersionSource> | undefined;
  return {
    async listVersions(target) {
      loaded ??= load();
      return (await loaded).listVersions(target);
    },
  };
}
