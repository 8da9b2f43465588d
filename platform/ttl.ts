/**
 * Cluster time-to-live (issue 13, item 4): a template may give its clusters a default lifetime
 * and a maximum (`ttl: { default: 3d, max: 14d }` in its YAML). A cluster records when it
 * expires; its owners are warned at configured lead times before; it may be extended up to the
 * maximum (counted from its creation); once expired the platform deletes it.
 */
import { z } from 'zod';
import { DomainError } from './errors.ts';

/** A template's TTL policy, durations in milliseconds. */
export interface TtlPolicy {
  /** Lifetime a cluster gets when its request names none; undefined: clusters live until deleted unless a ttl is asked for. */
  defaultMs?: number;
  /** Longest lifetime from creation, initial or extended; undefined: no maximum. */
  maxMs?: number;
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/** A duration such as `90m`, `36h`, `3d`, `2w`. */
export const DURATION_PATTERN = /^([1-9][0-9]{0,4})([mhdw])$/;

/** Parses a duration (`3d`); undefined if it is not one. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION_PATTERN.exec(text.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2]!]! : undefined;
}

/** A duration written back the way people write it: the largest whole unit (`72h` → `3d`). */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h'] as const) if (ms % UNIT_MS[unit]! === 0 && ms >= UNIT_MS[unit]!) return `${ms / UNIT_MS[unit]!}${unit}`;
  return `${Math.ceil(ms / 60_000)}m`;
}

const durationText = z.string().refine((s) => parseDuration(s) !== undefined, { message: 'must be a duration like 90m, 36h, 3d or 2w' });

/** The template YAML field `ttl`. */
export const ttlPolicySchema = z
  .strictObject({ default: durationText.optional(), max: durationText.optional() })
  .refine((t) => t.default !== undefined || t.max !== undefined, { message: 'give a default, a max, or both (or leave ttl out)' })
  .superRefine((t, ctx) => {
    if (t.default !== undefined && t.max !== undefined && parseDuration(t.default)! > parseDuration(t.max)!) {
      ctx.addIssue({ code: 'custom', path: ['default'], message: `must be at most max (${t.default} > ${t.max})` });
    }
  });

/** The policy of a validated `ttl` field. */
export function ttlPolicyOf(field: z.infer<typeof ttlPolicySchema> | undefined): TtlPolicy {
  if (!field) return {};
  return { ...(field.default ? { defaultMs: parseDuration(field.default)! } : {}), ...(field.max ? { maxMs: parseDuration(field.max)! } : {}) };
}

function requestedMs(text: string, path: string): number {
  const ms = parseDuration(text);
  if (ms === undefined) throw new DomainError('VALIDATION', `${path}: "${text}" is not a duration`, { hint: 'write it like 90m, 36h, 3d or 2w', issues: [{ path, message: 'must be a duration like 90m, 36h, 3d or 2w' }] });
  return ms;
}

/** When a new cluster expires: the requested ttl (within the max), else the template default; null: never. */
export function initialExpiry(policy: TtlPolicy, requested: string | undefined, createdAt: Date, template: string): Date | null {
  const ms = requested !== undefined ? requestedMs(requested, 'ttl') : policy.defaultMs;
  if (ms === undefined) return null;
  if (policy.maxMs !== undefined && ms > policy.maxMs) {
    throw new DomainError('VALIDATION', `ttl: ${requested} is longer than template ${template} allows (max ${formatDuration(policy.maxMs)})`, {
      hint: `ask for at most --ttl ${formatDuration(policy.maxMs)}`,
      issues: [{ path: 'ttl', message: `must be at most ${formatDuration(policy.maxMs)}` }],
    });
  }
  return new Date(createdAt.getTime() + ms);
}

/** How an extension is asked for: by a duration added to the current expiry, or until a time. */
export type Extension = { by: string } | { until: Date };

/** The new expiry of an extension; refused beyond the template max (counted from creation) or into the past. */
export function extendedExpiry(policy: TtlPolicy, cluster: { name: string; createdAt: Date; expiresAt: Date | null }, ext: Extension, now: Date, template: string): Date {
  if (cluster.expiresAt === null) {
    throw new DomainError('PRECONDITION_FAILED', `cluster "${cluster.name}" has no time-to-live; there is nothing to extend`, { hint: `see it with \`kaas clusters get ${cluster.name}\`` });
  }
  const base = Math.max(cluster.expiresAt.getTime(), now.getTime());
  const until = 'by' in ext ? new Date(base + requestedMs(ext.by, 'by')) : ext.until;
  if (until.getTime() <= now.getTime() || until.getTime() <= cluster.expiresAt.getTime()) {
    throw new DomainError('VALIDATION', `until: ${until.toISOString()} is not later than the current expiry ${cluster.expiresAt.toISOString()}`, { hint: 'name a later time, or use --by 1d', issues: [{ path: 'until', message: 'must be later than the current expiry' }] });
  }
  if (policy.maxMs !== undefined) {
    const latest = new Date(cluster.createdAt.getTime() + policy.maxMs);
    if (until.getTime() > latest.getTime()) {
      throw new DomainError('PRECONDITION_FAILED', `cluster "${cluster.name}" may live at most ${formatDuration(policy.maxMs)} (template ${template}): the latest expiry is ${latest.toISOString()}, ${until.toISOString()} was asked for`, {
        hint: `extend to at most \`kaas clusters extend ${cluster.name} --until ${latest.toISOString()}\`, or recreate it from a template with a longer max`,
      });
    }
  }
  return until;
}

/** The warning due at `now`: the lead to announce (the nearest crossed one) and every crossed lead to record as sent. */
export function dueWarning(expiresAt: Date, now: Date, leadsMs: readonly number[], sent: readonly number[]): { lead: number; markSent: number[] } | undefined {
  const left = expiresAt.getTime() - now.getTime();
  if (left <= 0) return undefined;
  const crossed = leadsMs.filter((lead) => left <= lead && !sent.includes(lead)).sort((a, b) => a - b);
  // several leads crossed at once (a 2 h ttl with leads 24 h and 1 h): one warning, the nearest, and all marked sent
  return crossed.length > 0 ? { lead: crossed[0]!, markSent: crossed } : undefined;
}

/** Whether the cluster has expired at `now`. */
export function isExpired(expiresAt: Date | null, now: Date): boolean {
  return expiresAt !== null && expiresAt.getTime() <= now.getTime();
}
