/**
 * The shape of a cluster template, as written in `templates/*.yaml`:
 *
 * ```yaml
 * name: eks-standard            # DNS label
 * version: 1                    # bumped on every published change (templates are immutable)
 * description: General-purpose EKS cluster
 * cloud: aws
 * deprecated: use eks-v2        # optional: why, and what to use instead
 * parameters:
 *   nodeCount: { type: integer, default: 3, min: 1, max: 50, description: Nodes in the general pool }
 * overridable: [kubernetesVersion, nodePools.*.desiredSize, addons.prometheus.enabled, tags.*]
 * ttl: { default: 3d, max: 14d } # optional: clusters expire (platform/ttl.ts)
 * hibernate:                    # optional: default sleep schedule (platform/hibernation-schedule.ts)
 *   schedule: [{ days: mon-fri, sleep: '20:00', wake: '07:00', timezone: Europe/Berlin }]
 * spec:                         # a ClusterSpec without name, team, target and template
 *   kubernetesVersion: "1.33"
 *   nodePools: [{ name: general, machineType: m6i.large, minSize: 1, maxSize: 10, desiredSize: ${nodeCount} }]
 *   ...
 * ```
 */
import type { ApprovalPolicy } from './approval-policy.ts';
import { approvalPolicySchema } from './approval-policy-schema.ts';
import { z } from 'zod';
import { CLOUDS, type Cloud } from './cluster-spec.ts';
import { knownOverrideFields, resolveOverridePath } from './override-paths.ts';
import { forbiddenKeyIssue, forbiddenSegment, isForbiddenKey } from './safe-keys.ts';
import { parameterValueProblem, type TemplateParameter } from './template-parameters.ts';
import { hibernationSchema, type HibernationSchedule } from './hibernation-schedule.ts';
import { ttlPolicySchema } from './ttl.ts';

/** A validated template. */
export interface TemplateDefinition {
  name: string;
  version: number;
  description: string;
  cloud: Cloud;
  deprecated?: string;
  /** Which actions on its clusters need approval; each rule here replaces the target's for that action. */
  approvals?: ApprovalPolicy;
  parameters: Record<string, TemplateParameter>;
  /** Override path patterns teams may `--set` (`*` matches one segment or map key). */
  overridable: string[];
  /** Default and maximum lifetime of its clusters (durations like `3d`). */
  ttl?: { default?: string | undefined; max?: string | undefined } | undefined;
  /** Default hibernation schedule of its clusters. */
  hibernate?: HibernationSchedule | undefined;
  /** The spec body: a ClusterSpec without the server-owned fields, with `${param}` placeholders. */
  spec: Record<string, unknown>;
}

/** Spec fields set by the platform at request time; a template may not set them. */
export const SERVER_OWNED_FIELDS = ['name', 'team', 'target', 'template'] as const;

const description = z.string().min(1).max(500);
const stringParam = z.strictObject({
  type: z.literal('string'),
  default: z.string(),
  description,
  allowed: z.array(z.string()).min(1).optional(),
});
const integerParam = z.strictObject({
  type: z.literal('integer'),
  default: z.int(),
  description,
  allowed: z.array(z.int()).min(1).optional(),
  min: z.int().optional(),
  max: z.int().optional(),
});
const booleanParam = z.strictObject({ type: z.literal('boolean'), default: z.boolean(), description });
const listParam = z.strictObject({
  type: z.literal('string-list'),
  default: z.array(z.string()),
  description,
  allowed: z.array(z.string()).min(1).optional(),
});
const parameterSchema = z.discriminatedUnion('type', [stringParam, integerParam, booleanParam, listParam]).superRefine((p, ctx) => {
  if (p.type === 'integer' && p.min !== undefined && p.max !== undefined && p.min > p.max) {
    ctx.addIssue({ code: 'custom', path: ['min'], message: `must be <= max (${p.min} > ${p.max})` });
    return;
  }
  const problem = parameterValueProblem(p, p.default);
  if (problem) ctx.addIssue({ code: 'custom', path: ['default'], message: problem });
});

/** The zod schema of a template document (structure only; placeholders are checked by parseTemplate). */
export const templateDefinitionSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/, 'must be a lowercase DNS label of at most 40 characters'),
    version: z.int().min(1).default(1),
    description,
    cloud: z.enum(CLOUDS),
    deprecated: z.string().min(1).max(500).optional(),
    /** Which actions on its clusters need approval; each rule here replaces the target's for that action. */
    approvals: approvalPolicySchema.optional(),
    parameters: z.record(z.string().regex(/^[a-z][A-Za-z0-9]{0,39}$/, 'parameter names must be camelCase identifiers'), parameterSchema).default({}),
    overridable: z
      .array(
        z.string().superRefine((p, ctx) => {
          const bad = forbiddenSegment(p);
          if (bad !== undefined) ctx.addIssue({ code: 'custom', message: forbiddenKeyIssue(p, bad).message });
          else if (resolveOverridePath(p, true) === undefined) ctx.addIssue({ code: 'custom', message: `must name an overridable field: ${knownOverrideFields().join(', ')}` });
        }),
      )
      .default([]),
    ttl: ttlPolicySchema.optional(),
    hibernate: hibernationSchema.optional(),
    spec: z.record(z.string(), z.unknown()).superRefine((spec, ctx) => {
      for (const field of SERVER_OWNED_FIELDS) {
        if (Object.hasOwn(spec, field)) {
          ctx.addIssue({ code: 'custom', path: [field], message: `"${field}" is set by the platform when a cluster is requested; remove it from the template` });
        }
      }
    }),
  })
  .superRefine((t, ctx) => {
    const dup = t.overridable.filter((p, i) => t.overridable.indexOf(p) !== i);
    if (dup.length > 0) ctx.addIssue({ code: 'custom', path: ['overridable'], message: `duplicate entries: ${dup.join(', ')}` });
    for (const name of Object.keys(t.parameters)) {
      if (isForbiddenKey(name)) ctx.addIssue({ code: 'custom', path: ['parameters', name], message: forbiddenKeyIssue(name, name).message });
      if (resolveOverridePath(name) !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['parameters', name], message: `parameter "${name}" has the name of a spec field; rename it so --set ${name}=… is unambiguous` });
      }
    }
  });
