/**
 * The one narrow interface the versions list needs from a cloud: the minors it offers a target
 * right now. Implementations (EKS, GKE, AKS) live in `cloud-version-clients.ts`; the static
 * calendar is the fallback whenever a call fails or a target has no credentials.
 */
import type { Cloud } from '../../platform/cluster-spec.ts';

/** What a cloud says about one minor. Dates are YYYY-MM-DD when the cloud gives them. */
export interface LiveMinor {
  version: string;
  /** The cloud marks it as its default for new clusters. */
  default?: boolean;
  endOfStandardSupport?: string;
  endOfExtendedSupport?: string;
  /** The cloud's own status word (e.g. EKS STANDARD_SUPPORT, AKS isPreview / LTS). */
  status?: string;
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
