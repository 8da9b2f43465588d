/**
 * Strict validation of a `ClusterSpec`: unknown keys are errors, every problem is reported at
 * once with a dotted path. Empty collections (`labels`, `taints`, addon `values`, `tags`) may be
 * omitted and default to empty; everything else is required.
 */
import { z } from 'zod';
import { ADDON_IDS, CLOUDS, POOL_UPGRADE_STRATEGIES, TAINT_EFFECTS, type Cloud, type ClusterSpec } from './cluster-spec.ts';
import { parseIpv4Cidr } from './cidr.ts';
import { validationError } from './errors.ts';
import { parsePatchRelease, patchReleaseProblem } from './kubernetes-patch.ts';
import { compareMinorVersions, isMinorVersion, minorDistance } from './kubernetes-version.ts';
import { labelKeySchema, labelMapSchema, labelValueSchema } from './label-schemas.ts';
import { dnsLabelProblem } from './label-syntax.ts';
import { DEFAULT_VERSION_RULES, type VersionRules } from './version-policy.ts';
import { zodIssuesToFieldIssues } from './zod-issues.ts';

/** Longest cluster name (leaves room for cloud resource name prefixes/suffixes). */
export const MAX_CLUSTER_NAME = 40;
/** Longest node pool name (AKS caps pool names; kaas is stricter than most clouds). */
export const MAX_NODE_POOL_NAME = 30;
/** Most node pools per cluster. */
export const MAX_NODE_POOLS = 20;
/** Largest node pool size. */
export const MAX_POOL_SIZE = 1000;

const dnsLabel = (max: number) =>
  z.string().check(
    z.superRefine((v: string, ctx) => {
      const problem = dnsLabelProblem(v, max);
      if (problem) ctx.addIssue({ code: 'custom', message: `${problem}; got "${v.slice(0, 80)}"`, input: v });
    }),
  );

const labelKey = labelKeySchema;
const labelValue = labelValueSchema;
const labelMap = labelMapSchema;

const minorVersion = z.string().refine(isMinorVersion, { message: 'must be a Kubernetes minor version MAJOR.MINOR like 1.31' });
const size = z.int().min(0).max(MAX_POOL_SIZE);
/** A patch release in some cloud's form; which form and minor is checked per cloud in crossFieldChecks. */
const patchRelease = z.string().max(64).refine((v) => parsePatchRelease(v) !== undefined, { message: 'must be a patch release like 1.33.5 (GKE: 1.33.5-gke.1080000)' });

const cidr = z.string().check(
  z.superRefine((v: string, ctx) => {
    const parsed = parseIpv4Cidr(v);
    if (typeof parsed === 'string') ctx.addIssue({ code: 'custom', message: `"${v}" ${parsed}`, input: v });
  }),
);

const taintSchema = z.strictObject({ key: labelKey, value: labelValue, effect: z.enum(TAINT_EFFECTS) });

/** A node count or a percentage of the pool (`"33%"`). */
const surgeValue = z.union([z.int().min(0).max(MAX_POOL_SIZE), z.string().regex(/^(\d{1,3}|\d{1,2}%|100%)$/, 'must be a node count or a percentage like 33%')]);

const surgeSchema = z.strictObject({
  maxSurge: surgeValue.optional(),
  maxUnavailable: surgeValue.optional(),
  drainTimeoutMinutes: z.int().min(1).max(1440).optional(),
});

/** Server-owned blue-green state (platform/blue-green-plan.ts); never a template or override field. */
const standbySchema = z.strictObject({
  generation: z.int().min(1),
  kubernetesVersion: minorVersion,
  desiredSize: size,
  minSize: size,
  phase: z.enum(['serving', 'cordoned', 'scaled-down', 'retiring']),
  keepUntil: z.iso.datetime().optional(),
});

const nodePoolSchema = z
  .strictObject({
    name: dnsLabel(MAX_NODE_POOL_NAME),
    machineType: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be a machine type like m6i.large, e2-standard-4 or Standard_D4s_v5'),
    minSize: size,
    maxSize: size.min(1, 'must be at least 1'),
    desiredSize: size,
    kubernetesVersion: minorVersion.optional(),
    kubernetesPatch: patchRelease.optional(),
    labels: labelMap(50),
    taints: z.array(taintSchema).max(20).default([]),
    upgradeStrategy: z.enum(POOL_UPGRADE_STRATEGIES).optional(),
    surge: surgeSchema.optional(),
    generation: z.int().min(1).max(1_000_000).optional(),
    standby: standbySchema.optional(),
  })
  .superRefine(
    (pool, ctx) => {
      if (typeof pool !== 'object' || pool === null) return;
      const { minSize, desiredSize, maxSize } = pool as Partial<Record<string, unknown>>;
      if (typeof minSize === 'number' && typeof desiredSize === 'number' && minSize > desiredSize) {
        ctx.addIssue({ code: 'custom', path: ['minSize'], message: `must be <= desiredSize (${minSize} > ${desiredSize})` });
      }
      if (typeof desiredSize === 'number' && typeof maxSize === 'number' && desiredSize > maxSize) {
        ctx.addIssue({ code: 'custom', path: ['desiredSize'], message: `must be <= maxSize (${desiredSize} > ${maxSize})` });
      }
    },
    { when: () => true },
  );

const addonSchema = z.strictObject({ enabled: z.boolean(), values: z.record(z.string(), z.unknown()).default({}) });

const vpcSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('create'), cidr }),
  z.strictObject({ mode: z.literal('existing'), networkId: z.string().min(1).max(256), subnetIds: z.array(z.string().min(1).max(256)).min(1) }),
]);

const targetSchema = z.strictObject({
  name: dnsLabel(63),
  cloud: z.enum(CLOUDS),
  region: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a region like eu-west-1, europe-west1 or westeurope'),
  account: z.string().min(1).max(128),
  dnsZones: z.array(z.string().regex(/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,63}\.?$/, 'must be a DNS zone like example.com')).default([]),
});

const checkName = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a DNS label like error-rate');

/** Upgrade settings (platform/health-gate.ts `UpgradeSettings`): gate timeout and user checks. */
const upgradeSettingsSchema = z.strictObject({
  gateTimeoutSeconds: z.int().min(0).max(86_400).optional(),
  rollbackWindowHours: z.number().min(0).max(24 * 30).optional(),
  checks: z
    .strictObject({
      prometheus: z.array(z.strictObject({ name: checkName, query: z.string().min(1).max(2000), max: z.number().optional(), min: z.number().optional() })).max(20).optional(),
      jobs: z.array(z.strictObject({ name: checkName, namespace: checkName, image: z.string().min(1).max(500), command: z.array(z.string().max(1000)).min(1).max(50) })).max(10).optional(),
    })
    .optional(),
});

/** Builds the strict schema; node pool skew is checked against `policy` for the target's cloud. */
export function clusterSpecSchema(policy: VersionRules = DEFAULT_VERSION_RULES) {
  return z
    .strictObject({
      name: dnsLabel(MAX_CLUSTER_NAME),
      team: dnsLabel(63),
      target: targetSchema,
      kubernetesVersion: minorVersion,
      kubernetesPatch: patchRelease.optional(),
      nodePools: z
        .array(nodePoolSchema)
        .min(1, 'at least one node pool is required')
        .max(MAX_NODE_POOLS, `at most ${MAX_NODE_POOLS} node pools are allowed`),
      addons: z.strictObject(Object.fromEntries(ADDON_IDS.map((id) => [id, addonSchema.optional()]))).default({}),
      networking: z.strictObject({
        authorizedCidrs: z.array(cidr).max(50),
        privateEndpoint: z.boolean(),
        publicNodeIps: z.boolean(),
        vpc: vpcSchema,
      }),
      tags: labelMap(50),
      deletionProtection: z.boolean(),
      template: z.string().regex(/^[a-z][a-z0-9-]*@[0-9]+$/, 'must be name@version').optional(),
      upgrade: upgradeSettingsSchema.optional(),
    })
    .superRefine((spec, ctx) => crossFieldChecks(spec as unknown, policy, ctx), { when: () => true });
}

/** Checks that need several fields: unique pool names, node pool version skew, patch pins per cloud. */
function crossFieldChecks(raw: unknown, policy: VersionRules, ctx: z.RefinementCtx): void {
  if (typeof raw !== 'object' || raw === null) return;
  const spec = raw as { kubernetesVersion?: unknown; kubernetesPatch?: unknown; target?: { cloud?: unknown }; nodePools?: unknown };
  patchPinChecks(spec, ctx);
  if (!Array.isArray(spec.nodePools)) return;
  const pools = spec.nodePools as { name?: unknown; kubernetesVersion?: unknown }[];
  const seen = new Set<unknown>();
  pools.forEach((pool, i) => {
    if (typeof pool?.name !== 'string') return;
    if (seen.has(pool.name)) {
      ctx.addIssue({ code: 'custom', path: ['nodePools', i, 'name'], message: `duplicate node pool name "${pool.name}"; names must be unique` });
    }
    seen.add(pool.name);
  });
  const cp = spec.kubernetesVersion;
  const cloud = spec.target?.cloud;
  if (typeof cp !== 'string' || !isMinorVersion(cp)) return;
  const skew = typeof cloud === 'string' && cloud in policy ? policy[cloud as keyof VersionRules].maxNodeSkew : undefined;
  pools.forEach((pool, i) => {
    const v = pool?.kubernetesVersion;
    if (typeof v !== 'string' || !isMinorVersion(v)) return;
    const path = ['nodePools', i, 'kubernetesVersion'];
    if (compareMinorVersions(v, cp) > 0) {
      ctx.addIssue({ code: 'custom', path, message: `${v} is newer than the control plane (${cp}); node pools may not be newer` });
    } else if (skew !== undefined && minorDistance(v, cp) > skew) {
      ctx.addIssue({ code: 'custom', path, message: `${v} is more than ${skew} minor versions behind the control plane (${cp}) on ${String(cloud)}` });
    }
  });
}

/** Each patch pin must be of its own minor, in its cloud's form (none on EKS). */
function patchPinChecks(spec: { kubernetesVersion?: unknown; kubernetesPatch?: unknown; target?: { cloud?: unknown }; nodePools?: unknown }, ctx: z.RefinementCtx): void {
  const cloud = spec.target?.cloud;
  const cp = spec.kubernetesVersion;
  if (typeof cloud !== 'string' || !(CLOUDS as readonly string[]).includes(cloud) || typeof cp !== 'string' || !isMinorVersion(cp)) return;
  const check = (path: (string | number)[], minor: string, release: unknown) => {
    if (typeof release !== 'string' || parsePatchRelease(release) === undefined) return;
    const problem = patchReleaseProblem(cloud as Cloud, minor, release);
    if (problem) ctx.addIssue({ code: 'custom', path, message: problem });
  };
  check(['kubernetesPatch'], cp, spec.kubernetesPatch);
  if (!Array.isArray(spec.nodePools)) return;
  (spec.nodePools as { kubernetesVersion?: unknown; kubernetesPatch?: unknown }[]).forEach((pool, i) => {
    const minor = typeof pool?.kubernetesVersion === 'string' && isMinorVersion(pool.kubernetesVersion) ? pool.kubernetesVersion : cp;
    check(['nodePools', i, 'kubernetesPatch'], minor, pool?.kubernetesPatch);
  });
}

/** The schema with the default version policy. */
export const ClusterSpecSchema = clusterSpecSchema();

/** Parses and validates untrusted input as a `ClusterSpec`; throws VALIDATION listing every issue. */
export function parseClusterSpec(input: unknown, policy?: VersionRules): ClusterSpec {
  const schema = policy ? clusterSpecSchema(policy) : ClusterSpecSchema;
  const result = schema.safeParse(input);
  if (!result.success) throw validationError(zodIssuesToFieldIssues(result.error.issues), 'fix the listed fields and retry');
  const spec: ClusterSpec = result.data;
  return spec;
}
