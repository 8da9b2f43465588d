/**
 * Fleet upgrade campaigns: which clusters move to `targetVersion`, in which order. The plan is
 * deterministic: selected clusters are sorted by name then id, a canary wave goes first, then
 * the rest is split by per-wave percentages (which must total exactly 100), or the waves are
 * given as explicit lists of cluster ids. The executor runs at most `maxParallel` clusters at
 * once and halts the campaign once more than `failureThreshold` clusters have failed
 * (0 = halt on the first failure).
 */
import { z } from 'zod';
import { validationError, type FieldIssue } from './errors.ts';
import { byNameThenId, fleetSelectorSchema, selectClusters, type FleetCluster, type FleetSelector } from './fleet-selector.ts';
import { compareMinorVersions, isMinorVersion } from './kubernetes-version.ts';
import { zodIssuesToFieldIssues } from './zod-issues.ts';

/** How a campaign splits its clusters into waves. */
export type WaveStrategy = { canary: number; percentages: number[] } | { lists: string[][] };

/** A fleet upgrade campaign. */
export interface Campaign {
  selector: FleetSelector;
  targetVersion: string;
  waves: WaveStrategy;
  maxParallel: number;
  failureThreshold: number;
}

/** One wave of a plan. */
export interface Wave {
  name: string;
  clusterIds: string[];
}

/** The ordered plan of a campaign. */
export interface WavePlan {
  targetVersion: string;
  maxParallel: number;
  failureThreshold: number;
  waves: Wave[];
  /** Selected clusters that need nothing (already at the target) or cannot move (newer). */
  skipped: { id: string; reason: string }[];
}

const percentagesSchema = z
  .array(z.int().min(1).max(100))
  .min(1, 'must list at least one wave')
  .superRefine((p, ctx) => {
    const total = p.reduce((a, b) => a + b, 0);
    if (total > 100) ctx.addIssue({ code: 'custom', message: `per-wave percentages sum to ${total}; they must total exactly 100` });
    if (total < 100) ctx.addIssue({ code: 'custom', message: `per-wave percentages sum to ${total}; they must end at 100 so every cluster is upgraded` });
  });

/** The zod schema of a campaign. */
export const campaignSchema = z.strictObject({
  selector: fleetSelectorSchema,
  targetVersion: z.string().refine(isMinorVersion, { message: 'must be MAJOR.MINOR like 1.31' }),
  waves: z.union([
    z.strictObject({ canary: z.int().min(0), percentages: percentagesSchema }),
    z.strictObject({ lists: z.array(z.array(z.string().min(1)).min(1, 'a wave must list at least one cluster')).min(1, 'must list at least one wave') }),
  ]),
  maxParallel: z.int().min(1).max(1000),
  failureThreshold: z.int().min(0),
});

/** Validates a campaign; throws VALIDATION naming each bad field. */
export function parseCampaign(input: unknown): Campaign {
  const result = campaignSchema.safeParse(input);
  if (!result.success) throw validationError(zodIssuesToFieldIssues(result.error.issues), 'fix the campaign and retry');
  return result.data;
}

/**
 * Plans the waves of `campaign` over `clusters`; throws VALIDATION for a bad campaign or wave
 * lists. `skipReason` may keep more older clusters out (they are then skipped with its reason).
 */
export function planWaves<T extends FleetCluster>(clusters: readonly T[], campaign: Campaign, skipReason?: (cluster: T) => string | undefined): WavePlan {
  const c = parseCampaign(campaign);
  const skipped: WavePlan['skipped'] = [];
  const todo: FleetCluster[] = [];
  for (const cluster of selectClusters(c.selector, clusters)) {
    const cmp = compareMinorVersions(cluster.version, c.targetVersion);
    const reason = cmp < 0 ? skipReason?.(cluster) : undefined;
    if (cmp === 0) skipped.push({ id: cluster.id, reason: `already at ${c.targetVersion}` });
    else if (cmp > 0) skipped.push({ id: cluster.id, reason: `at ${cluster.version}, newer than ${c.targetVersion}; downgrades are not supported` });
    else if (reason !== undefined) skipped.push({ id: cluster.id, reason });
    else todo.push(cluster);
  }
  const waves = splitWaves(c.waves, todo, clusters, skipped);
  return { targetVersion: c.targetVersion, maxParallel: c.maxParallel, failureThreshold: c.failureThreshold, waves, skipped };
}

/**
 * Splits `todo` (sorted, see `selectClusters`) into waves by `strategy`. Explicit lists are
 * checked against `all` (every known cluster) and `skipped` (selected but not moving, which
 * lists may name and which are then left out); throws VALIDATION naming each bad entry.
 */
export function splitWaves(strategy: WaveStrategy, todo: FleetCluster[], all: readonly FleetCluster[], skipped: WavePlan['skipped']): Wave[] {
  return 'lists' in strategy ? listWaves(strategy.lists, todo, all, skipped) : percentageWaves(strategy.canary, strategy.percentages, todo);
}

function percentageWaves(canary: number, percentages: number[], todo: FleetCluster[]): Wave[] {
  const ids = todo.map((t) => t.id);
  const canaryIds = ids.slice(0, canary);
  const rest = ids.slice(canaryIds.length);
  const waves: Wave[] = canaryIds.length > 0 ? [{ name: 'canary', clusterIds: canaryIds }] : [];
  let start = 0;
  let cumulative = 0;
  percentages.forEach((pct, i) => {
    cumulative += pct;
    const end = Math.ceil((rest.length * cumulative) / 100);
    if (end > start) waves.push({ name: `wave-${i + 1}`, clusterIds: rest.slice(start, end) });
    start = Math.max(start, end);
  });
  return waves;
}

function listWaves(lists: string[][], todo: FleetCluster[], all: readonly FleetCluster[], skipped: WavePlan['skipped']): Wave[] {
  const issues: FieldIssue[] = [];
  const todoIds = new Set(todo.map((t) => t.id));
  const skippedIds = new Set(skipped.map((s) => s.id));
  const known = new Set(all.map((t) => t.id));
  const seen = new Set<string>();
  lists.forEach((list, w) =>
    list.forEach((id, i) => {
      const path = `waves.lists.${w}.${i}`;
      if (seen.has(id)) issues.push({ path, message: `cluster "${id}" is listed in more than one place` });
      else if (!known.has(id)) issues.push({ path, message: `unknown cluster "${id}"` });
      else if (!todoIds.has(id) && !skippedIds.has(id)) issues.push({ path, message: `cluster "${id}" is not selected by the campaign selector` });
      seen.add(id);
    }),
  );
  const missing = todo.filter((t) => !seen.has(t.id)).sort(byNameThenId);
  if (missing.length > 0) {
    issues.push({ path: 'waves.lists', message: `selected clusters missing from every wave: ${missing.map((m) => `${m.id} (${m.name})`).join(', ')}` });
  }
  if (issues.length > 0) throw validationError(issues, 'list every selected cluster exactly once');
  return lists
    .map((list, w) => ({ name: `wave-${w + 1}`, clusterIds: list.filter((id) => todoIds.has(id)) }))
    .filter((wave) => wave.clusterIds.length > 0);
}
