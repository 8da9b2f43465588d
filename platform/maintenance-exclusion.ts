/**
 * Maintenance exclusions: periods in which automatic (channel) upgrades must not start, per team
 * or per template, like GKE's maintenance exclusions
 * (https://cloud.google.com/kubernetes-engine/docs/concepts/maintenance-windows-and-exclusions):
 * `no_upgrades` blocks every upgrade (GKE caps this scope at 30 days), `no_minor_upgrades` blocks
 * minor upgrades and lets patches through. Start inclusive, end exclusive. Pure: the caller
 * passes the clock.
 */
import { z } from 'zod';
import { DomainError, validationError } from './errors.ts';
import { zodIssuesToFieldIssues } from './zod-issues.ts';

export const EXCLUSION_KINDS = ['no_upgrades', 'no_minor_upgrades'] as const;
export type ExclusionKind = (typeof EXCLUSION_KINDS)[number];

/** What a channel setting or an exclusion applies to. */
export type ChannelScope = { scope: 'team' | 'template'; name: string };

export interface MaintenanceExclusion extends ChannelScope {
  kind: ExclusionKind;
  startsAt: Date;
  endsAt: Date;
  reason?: string | null;
}

const DAY_MS = 24 * 3600 * 1000;
/** GKE allows a "no upgrades" exclusion of at most 30 days (the page above). */
export const MAX_NO_UPGRADES_DAYS = 30;
/** Longest "no minor upgrades" exclusion: about a minor's standard support (GKE: until end of support). */
export const MAX_NO_MINOR_UPGRADES_DAYS = 180;

export const exclusionInputSchema = z.strictObject({
  kind: z.enum(EXCLUSION_KINDS),
  startsAt: z.iso.datetime({ offset: true }),
  endsAt: z.iso.datetime({ offset: true }),
  reason: z.string().max(200).optional(),
});

/** Validates start/end and the longest allowed length of `kind`; throws VALIDATION. */
export function parseExclusionPeriod(input: unknown): { kind: ExclusionKind; startsAt: Date; endsAt: Date; reason: string | null } {
  const parsed = exclusionInputSchema.safeParse(input);
  if (!parsed.success) throw validationError(zodIssuesToFieldIssues(parsed.error.issues));
  const startsAt = new Date(parsed.data.startsAt);
  const endsAt = new Date(parsed.data.endsAt);
  if (endsAt.getTime() <= startsAt.getTime()) {
    throw new DomainError('VALIDATION', 'endsAt must be after startsAt', { issues: [{ path: 'endsAt', message: 'must be after startsAt' }] });
  }
  const maxDays = parsed.data.kind === 'no_upgrades' ? MAX_NO_UPGRADES_DAYS : MAX_NO_MINOR_UPGRADES_DAYS;
  if (endsAt.getTime() - startsAt.getTime() > maxDays * DAY_MS) {
    throw new DomainError('VALIDATION', `a ${parsed.data.kind} exclusion lasts at most ${maxDays} days`, {
      hint: 'split it, or choose no_minor_upgrades to let patches through',
      issues: [{ path: 'endsAt', message: `must be within ${maxDays} days of startsAt` }],
    });
  }
  return { kind: parsed.data.kind, startsAt, endsAt, reason: parsed.data.reason ?? null };
}

/** Whether `e` blocks an upgrade (a minor one when `minorUpgrade`) at `at`. */
export function blocks(e: MaintenanceExclusion, at: Date, minorUpgrade: boolean): boolean {
  const t = at.getTime();
  if (t < e.startsAt.getTime() || t >= e.endsAt.getTime()) return false;
  return e.kind === 'no_upgrades' || minorUpgrade;
}

/** The exclusion that blocks an upgrade at `at`, if any (the one ending last). */
export function blockingExclusion(exclusions: readonly MaintenanceExclusion[], at: Date, minorUpgrade: boolean): MaintenanceExclusion | undefined {
  return exclusions.filter((e) => blocks(e, at, minorUpgrade)).sort((a, b) => b.endsAt.getTime() - a.endsAt.getTime())[0];
}

/** The first instant at or after `from` that no exclusion blocks. */
export function nextAllowedStart(exclusions: readonly MaintenanceExclusion[], from: Date, minorUpgrade: boolean): Date {
  let at = from;
  for (let i = 0; i <= exclusions.length; i++) {
    const e = blockingExclusion(exclusions, at, minorUpgrade);
    if (!e) return at;
    at = e.endsAt;
  }
  return at;
}

/** `team "payments" no_minor_upgrades 2026-12-20T00:00:00.000Z – 2027-01-05T00:00:00.000Z`. */
export function exclusionText(e: MaintenanceExclusion): string {
  return `${e.scope} "${e.name}" ${e.kind} ${e.startsAt.toISOString()} – ${e.endsAt.toISOString()}${e.reason ? ` (${e.reason})` : ''}`;
}
