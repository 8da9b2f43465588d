/**
 * Which Kubernetes minor versions each cloud supports, and how far node pools may lag the
 * control plane. This is data, not code: operators replace it at runtime from a JSON/YAML
 * document (`loadVersionPolicy(doc)`) when a cloud releases or retires a version.
 *
 * Default node skew: upstream Kubernetes allows kubelets up to 3 minors older than the API
 * server since 1.28, and EKS and AKS follow it, so aws/azure/sim use 3. GKE documents a smaller
 * window for some release channels, so gcp uses a conservative 2.
 */
import { z } from 'zod';
import { CLOUDS, type Cloud } from './cluster-spec.ts';
import { DomainError, validationError } from './errors.ts';
import { compareMinorVersions, isMinorVersion } from './kubernetes-version.ts';
import { zodIssuesToFieldIssues } from './zod-issues.ts';

/** The version rules of one cloud. */
export interface CloudVersionPolicy {
  /** Supported control-plane minors, oldest first. */
  supported: string[];
  /** The version new clusters get when none is asked for; one of `supported`. */
  default: string;
  /** How many minors a node pool may lag the control plane (0 = must match). */
  maxNodeSkew: number;
}

/** The version rules of every cloud. */
export type VersionPolicy = Record<Cloud, CloudVersionPolicy>;

/** The policy shipped with kaas (late 2025). */
export const DEFAULT_VERSION_POLICY: VersionPolicy = {
  sim: { supported: ['1.29', '1.30', '1.31', '1.32', '1.33', '1.34'], default: '1.33', maxNodeSkew: 3 },
  aws: { supported: ['1.31', '1.32', '1.33', '1.34'], default: '1.33', maxNodeSkew: 3 },
  gcp: { supported: ['1.31', '1.32', '1.33', '1.34'], default: '1.33', maxNodeSkew: 2 },
  azure: { supported: ['1.31', '1.32', '1.33', '1.34'], default: '1.33', maxNodeSkew: 3 },
};

const minorVersionSchema = z.string().refine(isMinorVersion, { message: 'must be MAJOR.MINOR like 1.31' });

const cloudPolicySchema = z
  .strictObject({
    supported: z.array(minorVersionSchema).min(1, 'must list at least one version'),
    default: minorVersionSchema,
    maxNodeSkew: z.int().min(0).max(5),
  })
  .superRefine((p, ctx) => {
    if (!p.supported.every(isMinorVersion)) return;
    const sorted = [...p.supported].sort(compareMinorVersions);
    if (new Set(p.supported).size !== p.supported.length || sorted.some((v, i) => v !== p.supported[i])) {
      ctx.addIssue({ code: 'custom', path: ['supported'], message: 'must be unique and sorted oldest first' });
    }
    if (!p.supported.includes(p.default)) {
      ctx.addIssue({ code: 'custom', path: ['default'], message: `must be one of supported (${p.supported.join(', ')})` });
    }
  });

const versionPolicySchema = z.strictObject(
  Object.fromEntries(CLOUDS.map((c) => [c, cloudPolicySchema])) as Record<Cloud, typeof cloudPolicySchema>,
);

/** Validates a version policy document (already parsed from JSON/YAML); every cloud is required. */
export function loadVersionPolicy(doc: unknown): VersionPolicy {
  const result = versionPolicySchema.safeParse(doc);
  if (!result.success) {
    throw validationError(zodIssuesToFieldIssues(result.error.issues), 'see DEFAULT_VERSION_POLICY for the expected shape');
  }
  return result.data;
}

/** Whether the cloud supports `version` for control planes. */
export function isSupportedVersion(policy: VersionPolicy, cloud: Cloud, version: string): boolean {
  return policy[cloud].supported.includes(version);
}

/** Throws UNSUPPORTED when the cloud does not support `version`, listing what it supports. */
export function assertSupportedVersion(policy: VersionPolicy, cloud: Cloud, version: string, field = 'kubernetesVersion'): void {
  if (isSupportedVersion(policy, cloud, version)) return;
  const supported = policy[cloud].supported;
  throw new DomainError('UNSUPPORTED', `${field}: Kubernetes ${version} is not supported on ${cloud}`, {
    hint: `use one of ${supported.join(', ')}`,
    issues: [{ path: field, message: `must be one of ${supported.join(', ')}` }],
  });
}
