/**
 * Which Kubernetes minor versions each cloud supports, and when: a calendar per cloud (release,
 * end of standard support, end of extended support), with the source it was read from and the
 * date it was read, and how far node pools may lag the control plane. This is data, not code:
 * operators replace it at runtime from a JSON/YAML document (`loadVersionPolicy(doc)`) when a
 * cloud publishes a new calendar.
 *
 * Dates are `YYYY-MM-DD` (UTC) and end dates are inclusive: a minor whose standard support ends
 * 2026-12-02 is in standard support on that day and in extended support from 2026-12-03.
 * Pure: the caller passes the date (`on`); nothing here reads the clock.
 */
import { z } from 'zod';
import { CLOUDS, type Cloud } from './cluster-spec.ts';
import { DomainError, validationError } from './errors.ts';
import { compareMinorVersions, isMinorVersion } from './kubernetes-version.ts';
import { zodIssuesToFieldIssues } from './zod-issues.ts';

/** One minor version on one cloud's calendar. */
export interface MinorSupport {
  version: string;
  /** When new clusters could first use it (GA on the cloud). */
  released: string;
  /** Last day of standard support. */
  endOfStandardSupport: string;
  /** Last day of extended support (EKS extended support, GKE Extended channel, AKS LTS); none: no extended support. */
  endOfExtendedSupport?: string;
  /** True when a date is our extrapolation from the cloud's stated policy, not a published date. */
  estimated?: boolean;
}

/** The version rules of one cloud, as published by it. */
export interface CloudVersionPolicy {
  /** Where the calendar was read (URL or repo/path@commit). */
  source: string;
  /** The date the calendar was read or last checked. */
  asOf: string;
  /** How the data was derived, and what is extrapolated. */
  note?: string;
  /** What extended support is on this cloud and what it costs. */
  extendedSupport?: string;
  /** The calendar, oldest minor first. */
  minors: MinorSupport[];
  /** The version new clusters get when none is asked for, while it is in standard support. */
  default: string;
  /** How many minors a node pool may lag the control plane (0 = must match). */
  maxNodeSkew: number;
  /** Where the skew rule is documented. */
  skewSource: string;
}

/** The version calendar of every cloud. */
export type VersionPolicy = Record<Cloud, CloudVersionPolicy>;

/** Where a minor version is in its cloud's lifecycle on a given date. */
export type SupportPhase = 'unreleased' | 'standard' | 'extended' | 'end-of-support';

/** The rules of one cloud on one date: what new clusters and upgrades may use. */
export interface CloudVersionRules {
  /** Minors released and not past end of support (standard or extended), oldest first. */
  supported: string[];
  /** The version new clusters get when none is asked for. */
  default: string;
  maxNodeSkew: number;
}

/** The rules of every cloud on one date (`versionRulesOn`). */
export type VersionRules = Record<Cloud, CloudVersionRules>;

const K8S_SKEW = 'https://kubernetes.io/releases/version-skew-policy/#kubelet';

/**
 * The calendar shipped with kaas, read 2026-12-02. Sources:
 * - EKS: https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html (14 months
 *   standard + 12 months extended; dates of 1.30–1.35 as published in its release calendar).
 * - AKS: https://learn.microsoft.com/en-us/azure/aks/supported-kubernetes-versions
 *   (MicrosoftDocs/azure-aks-docs articles/aks/supported-kubernetes-versions.md@fb060ab,
 *   ms.date 2026-08-05): release calendar and LTS table; month-only dates mean the last day.
 * - GKE: https://cloud.google.com/kubernetes-engine/docs/release-schedule (Regular-channel
 *   availability) and https://cloud.google.com/kubernetes-engine/versioning (about 14 months
 *   standard, up to 24 months in total with the Extended channel).
 */
export const DEFAULT_VERSION_POLICY: VersionPolicy = {
  sim: {
    source: 'kaas simulated cloud (stacks/sim): a fixed window, no real calendar',
    asOf: '2026-12-02',
    note: 'synthetic dates so sim clusters never age out; the window tests rely on (1.29-1.34)',
    minors: ['1.29', '1.30', '1.31', '1.32', '1.33', '1.34'].map((version) => ({
      version,
      released: '2024-01-01',
      endOfStandardSupport: '2099-12-31',
    })),
    default: '1.33',
    maxNodeSkew: 3,
    skewSource: K8S_SKEW,
  },
  aws: {
    source: 'https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html#kubernetes-release-calendar',
    asOf: '2026-12-02',
    note:
      'Dates for 1.30–1.35 are the published EKS calendar. The newest snapshot we could read lists 1.35 as the newest ' +
      'minor; 1.36 and 1.37 are estimated (EKS release about five weeks after upstream GA, then 14 + 12 months), marked estimated.',
    extendedSupport: 'EKS extended support: 12 months after standard support, on by default, billed per cluster hour',
    minors: [
      { version: '1.30', released: '2024-05-23', endOfStandardSupport: '2025-07-23', endOfExtendedSupport: '2026-07-23' },
      { version: '1.31', released: '2024-09-26', endOfStandardSupport: '2025-11-26', endOfExtendedSupport: '2026-11-26' },
      { version: '1.32', released: '2025-01-23', endOfStandardSupport: '2026-03-23', endOfExtendedSupport: '2027-03-23' },
      { version: '1.33', released: '2025-05-29', endOfStandardSupport: '2026-07-29', endOfExtendedSupport: '2027-07-29' },
      { version: '1.34', released: '2025-10-02', endOfStandardSupport: '2026-12-02', endOfExtendedSupport: '2027-12-02' },
      { version: '1.35', released: '2026-01-27', endOfStandardSupport: '2027-03-27', endOfExtendedSupport: '2028-03-27' },
      { version: '1.36', released: '2026-05-28', endOfStandardSupport: '2027-07-28', endOfExtendedSupport: '2028-07-28', estimated: true },
      { version: '1.37', released: '2026-09-30', endOfStandardSupport: '2027-11-30', endOfExtendedSupport: '2028-11-30', estimated: true },
    ],
    default: '1.35',
    maxNodeSkew: 3,
    skewSource: K8S_SKEW,
  },
  gcp: {
    source: 'https://cloud.google.com/kubernetes-engine/docs/release-schedule',
    asOf: '2026-12-02',
    note:
      'Regular-channel availability of 1.33–1.35 from the GKE release schedule; end dates are derived from the GKE ' +
      'versioning policy (about 14 months standard, 24 months in total from Regular availability), which the schedule ' +
      'itself calls best-effort estimates. 1.32, 1.36 and 1.37 availability is estimated. All marked estimated.',
    extendedSupport: 'GKE Extended release channel: about 10 more months of security patches, billed per cluster',
    minors: [
      { version: '1.32', released: '2025-02-18', endOfStandardSupport: '2026-04-18', endOfExtendedSupport: '2027-02-18', estimated: true },
      { version: '1.33', released: '2025-06-03', endOfStandardSupport: '2026-08-03', endOfExtendedSupport: '2027-06-03', estimated: true },
      { version: '1.34', released: '2025-09-30', endOfStandardSupport: '2026-11-30', endOfExtendedSupport: '2027-09-30', estimated: true },
      { version: '1.35', released: '2026-02-11', endOfStandardSupport: '2027-04-11', endOfExtendedSupport: '2028-02-11', estimated: true },
      { version: '1.36', released: '2026-06-16', endOfStandardSupport: '2027-08-16', endOfExtendedSupport: '2028-06-16', estimated: true },
      { version: '1.37', released: '2026-10-13', endOfStandardSupport: '2027-12-13', endOfExtendedSupport: '2028-10-13', estimated: true },
    ],
    default: '1.35',
    maxNodeSkew: 2,
    skewSource: 'https://cloud.google.com/kubernetes-engine/versioning#version_skew',
  },
  azure: {
    source: 'https://learn.microsoft.com/en-us/azure/aks/supported-kubernetes-versions#aks-kubernetes-release-calendar-and-upcoming-versions',
    asOf: '2026-12-02',
    note:
      'Read from MicrosoftDocs/azure-aks-docs articles/aks/supported-kubernetes-versions.md@fb060ab (ms.date 2026-08-05). ' +
      'Month-only dates: released = first day of the GA month, end dates = last day of the month (as the page defines).',
    extendedSupport: 'AKS Long-Term Support (Premium tier): a further 12 months after community end of life',
    minors: [
      { version: '1.30', released: '2024-07-01', endOfStandardSupport: '2025-08-22', endOfExtendedSupport: '2026-07-31' },
      { version: '1.31', released: '2024-11-01', endOfStandardSupport: '2025-11-01', endOfExtendedSupport: '2026-11-30' },
      { version: '1.32', released: '2025-04-01', endOfStandardSupport: '2026-03-31', endOfExtendedSupport: '2027-03-31' },
      { version: '1.33', released: '2025-06-01', endOfStandardSupport: '2026-07-31', endOfExtendedSupport: '2027-07-31' },
      { version: '1.34', released: '2025-11-01', endOfStandardSupport: '2026-11-30', endOfExtendedSupport: '2027-11-30' },
      { version: '1.35', released: '2026-03-01', endOfStandardSupport: '2027-03-31', endOfExtendedSupport: '2028-03-31' },
      { version: '1.36', released: '2026-06-01', endOfStandardSupport: '2027-06-30', endOfExtendedSupport: '2028-06-30' },
      { version: '1.37', released: '2026-10-01', endOfStandardSupport: '2027-10-31', endOfExtendedSupport: '2028-10-31' },
    ],
    default: '1.35',
    maxNodeSkew: 3,
    skewSource: 'https://learn.microsoft.com/en-us/azure/aks/supported-kubernetes-versions#what-is-the-allowed-difference-in-versions-between-the-control-plane-and-node-pools',
  },
};

/** The date the shipped calendar was read; the rules platform code uses when the caller passes none. */
export const DEFAULT_VERSION_POLICY_AS_OF = '2026-12-02';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), 'must be a date YYYY-MM-DD');
const minorVersionSchema = z.string().refine(isMinorVersion, { message: 'must be MAJOR.MINOR like 1.31' });

const minorSchema = z
  .strictObject({
    version: minorVersionSchema,
    released: isoDate,
    endOfStandardSupport: isoDate,
    endOfExtendedSupport: isoDate.optional(),
    estimated: z.boolean().optional(),
  })
  .superRefine((m, ctx) => {
    if (m.endOfStandardSupport < m.released) ctx.addIssue({ code: 'custom', path: ['endOfStandardSupport'], message: 'must not be before released' });
    if (m.endOfExtendedSupport !== undefined && m.endOfExtendedSupport < m.endOfStandardSupport) {
      ctx.addIssue({ code: 'custom', path: ['endOfExtendedSupport'], message: 'must not be before endOfStandardSupport' });
    }
  });

const cloudPolicySchema = z
  .strictObject({
    source: z.string().min(1, 'must name where the calendar was read (URL)'),
    asOf: isoDate,
    note: z.string().optional(),
    extendedSupport: z.string().optional(),
    minors: z.array(minorSchema).min(1, 'must list at least one version'),
    default: minorVersionSchema,
    maxNodeSkew: z.int().min(0).max(5),
    skewSource: z.string().min(1, 'must name where the skew rule is documented'),
  })
  .superRefine((p, ctx) => {
    const versions = p.minors.map((m) => m.version);
    if (!versions.every(isMinorVersion)) return;
    const sorted = [...versions].sort(compareMinorVersions);
    if (new Set(versions).size !== versions.length || sorted.some((v, i) => v !== versions[i])) {
      ctx.addIssue({ code: 'custom', path: ['minors'], message: 'must be unique and sorted oldest first' });
    }
    if (!versions.includes(p.default)) {
      ctx.addIssue({ code: 'custom', path: ['default'], message: `must be one of minors (${versions.join(', ')})` });
    }
  });

const versionPolicySchema = z.strictObject(
  Object.fromEntries(CLOUDS.map((c) => [c, cloudPolicySchema])) as Record<Cloud, typeof cloudPolicySchema>,
);

/** Validates a version calendar document (already parsed from JSON/YAML); every cloud is required. */
export function loadVersionPolicy(doc: unknown): VersionPolicy {
  const result = versionPolicySchema.safeParse(doc);
  if (!result.success) {
    throw validationError(zodIssuesToFieldIssues(result.error.issues), 'see DEFAULT_VERSION_POLICY in platform/version-policy.ts for the expected shape');
  }
  return result.data as VersionPolicy;
}

/** The calendar entry of `version` on `cloud`, if listed. */
export function minorSupport(policy: VersionPolicy, cloud: Cloud, version: string): MinorSupport | undefined {
  return policy[cloud].minors.find((m) => m.version === version);
}

/**
 * The support phase of `version` on `cloud` on date `on` (YYYY-MM-DD). A minor not in the
 * calendar is `end-of-support` when older than the oldest listed and `unreleased` otherwise.
 */
export function supportPhase(policy: VersionPolicy, cloud: Cloud, version: string, on: string): SupportPhase {
  const m = minorSupport(policy, cloud, version);
  if (!m) {
    const oldest = policy[cloud].minors[0]?.version;
    return oldest !== undefined && isMinorVersion(version) && compareMinorVersions(version, oldest) < 0 ? 'end-of-support' : 'unreleased';
  }
  if (on < m.released) return 'unreleased';
  if (on <= m.endOfStandardSupport) return 'standard';
  if (m.endOfExtendedSupport !== undefined && on <= m.endOfExtendedSupport) return 'extended';
  return 'end-of-support';
}

/** The minors new clusters and upgrades may use on `cloud` on `on`: released and not past end of support. */
export function availableVersions(policy: VersionPolicy, cloud: Cloud, on: string): string[] {
  return policy[cloud].minors
    .map((m) => m.version)
    .filter((v) => {
      const phase = supportPhase(policy, cloud, v, on);
      return phase === 'standard' || phase === 'extended';
    });
}

/** The default version on `on`: the configured one while in standard support, else the newest minor in standard support. */
export function defaultVersionOn(policy: VersionPolicy, cloud: Cloud, on: string): string {
  const p = policy[cloud];
  if (supportPhase(policy, cloud, p.default, on) === 'standard') return p.default;
  const standard = p.minors.filter((m) => supportPhase(policy, cloud, m.version, on) === 'standard').map((m) => m.version);
  return standard.at(-1) ?? availableVersions(policy, cloud, on).at(-1) ?? p.default;
}

/** The rules of every cloud on date `on`, for validation and planning. */
export function versionRulesOn(policy: VersionPolicy, on: string): VersionRules {
  return Object.fromEntries(
    CLOUDS.map((cloud) => [cloud, { supported: availableVersions(policy, cloud, on), default: defaultVersionOn(policy, cloud, on), maxNodeSkew: policy[cloud].maxNodeSkew }]),
  ) as VersionRules;
}

/** The shipped calendar's rules on the date it was read (platform defaults; the API passes today's). */
export const DEFAULT_VERSION_RULES: VersionRules = versionRulesOn(DEFAULT_VERSION_POLICY, DEFAULT_VERSION_POLICY_AS_OF);

/**
 * Rules that accept every minor the calendar lists, whatever its phase: for the cloud programs,
 * which must still refresh, update and delete a cluster whose minor has passed end of support
 * since it was created (new clusters and upgrades are checked with `versionRulesOn(policy, today)`).
 */
export function knownVersionRules(policy: VersionPolicy): VersionRules {
  return Object.fromEntries(
    CLOUDS.map((cloud) => [cloud, { supported: policy[cloud].minors.map((m) => m.version), default: policy[cloud].default, maxNodeSkew: policy[cloud].maxNodeSkew }]),
  ) as VersionRules;
}

/** `knownVersionRules` of the shipped calendar. */
export const KNOWN_VERSION_RULES: VersionRules = knownVersionRules(DEFAULT_VERSION_POLICY);

/** A cluster version that needs attention: in extended support (extra cost) or past end of support. */
export interface VersionWarning {
  phase: 'extended' | 'end-of-support';
  message: string;
}

/** The warning for a cluster at `version` on `cloud` on `on`; undefined while in standard support (or not yet released). */
export function versionWarning(policy: VersionPolicy, cloud: Cloud, version: string, on: string): VersionWarning | undefined {
  const phase = supportPhase(policy, cloud, version, on);
  const m = minorSupport(policy, cloud, version);
  const newest = availableVersions(policy, cloud, on).at(-1);
  const upgrade = newest ? `; upgrade with kaas clusters upgrade NAME --to ${nextOrNewest(policy, cloud, version, on)}` : '';
  if (phase === 'extended') {
    const extra = policy[cloud].extendedSupport ? ` (${policy[cloud].extendedSupport})` : '';
    return {
      phase,
      message: `Kubernetes ${version} on ${cloud} is in extended support: standard support ended ${m?.endOfStandardSupport}, extended support ends ${m?.endOfExtendedSupport}; extended support is an extra cost${extra}${upgrade}`,
    };
  }
  if (phase === 'end-of-support') {
    const ended = m ? ` on ${m.endOfExtendedSupport ?? m.endOfStandardSupport}` : '';
    return { phase, message: `Kubernetes ${version} on ${cloud} is past end of support${ended}: the cloud may upgrade it on its own${upgrade}` };
  }
  return undefined;
}

/** The next available minor after `version` (upgrades move one minor at a time), else the newest. */
function nextOrNewest(policy: VersionPolicy, cloud: Cloud, version: string, on: string): string {
  const available = availableVersions(policy, cloud, on);
  return available.find((v) => isMinorVersion(version) && compareMinorVersions(v, version) > 0) ?? available.at(-1)!;
}

/** Whether new clusters on `cloud` may use `version` on `on`. */
export function isSupportedVersion(policy: VersionPolicy, cloud: Cloud, version: string, on: string): boolean {
  return availableVersions(policy, cloud, on).includes(version);
}

/** Throws UNSUPPORTED when the rules do not offer `version` on `cloud`, listing what they offer. */
export function assertSupportedVersion(rules: VersionRules, cloud: Cloud, version: string, field = 'kubernetesVersion'): void {
  const supported = rules[cloud].supported;
  if (supported.includes(version)) return;
  throw new DomainError('UNSUPPORTED', `${field}: Kubernetes ${version} is not supported on ${cloud}`, {
    hint: `use one of ${supported.join(', ')}`,
    issues: [{ path: field, message: `must be one of ${supported.join(', ')}` }],
  });
}
