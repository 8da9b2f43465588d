/**
 * The input of an `upgrade` operation, shared by `clusters.upgrade` and fleet campaigns:
 * `{ toVersion, toRelease?, plan?, resumeFrom?, campaignId? }` (`toRelease`: a patch upgrade,
 * platform/patch-plan.ts). Without `plan` the worker plans from the
 * cluster's spec when the operation runs; `resumeFrom` skips the plan steps a failed upgrade
 * already completed.
 */
import { z } from 'zod';
import { ADDON_IDS } from '../../platform/cluster-spec.ts';
import type { GateCheckResult } from '../../platform/health-gate.ts';
import type { UpgradePlan } from '../../platform/upgrade-plan.ts';
import type { PreflightWarning } from '../../platform/cluster-probe.ts';
import type { PreflightBlocker } from '../../platform/upgrade-preflight.ts';

const minor = z.string().regex(/^\d{1,3}\.\d{1,3}$/);
/** A patch release in any cloud's form (platform/kubernetes-patch.ts). */
const release = z.string().regex(/^\d{1,3}\.\d{1,3}\.\d{1,4}(-gke\.\d{1,12})?$/);

const upgradeStepSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('control-plane'), from: minor, to: minor, patch: release.optional() }),
  z.strictObject({ kind: z.literal('addon'), addon: z.enum(ADDON_IDS), from: z.string().optional(), to: z.string(), forKubernetes: minor }),
  z.strictObject({ kind: z.literal('node-pool'), pool: z.string().min(1), from: minor, to: minor, patch: release.optional() }),
]);

const upgradePlanSchema = z.strictObject({ from: minor, to: minor, release: release.optional(), hops: z.array(minor), steps: z.array(upgradeStepSchema) });

/** Schema of an upgrade operation's input (unknown keys are tolerated: other fields may be added by campaigns). */
export const upgradeInputSchema = z.object({
  toVersion: minor,
  /** A patch upgrade (a patch campaign): the patch release of `toVersion` (the minor it keeps) to pin. */
  toRelease: release.optional(),
  plan: upgradePlanSchema.optional(),
  resumeFrom: z.int().min(0).optional(),
  campaignId: z.string().optional(),
  /** A forced run: the preflight reasons an approver accepted (the blocked operation's), and who. */
  force: z.object({ approvedOperation: z.string(), approvedBy: z.string(), reasons: z.array(z.string()) }).optional(),
});

export type UpgradeInput = Omit<z.infer<typeof upgradeInputSchema>, 'plan'> & { plan?: UpgradePlan };

/** Parses an upgrade operation's input; throws a plain Error naming what is wrong. */
export function parseUpgradeInput(input: unknown): UpgradeInput {
  const parsed = upgradeInputSchema.safeParse(input);
  if (!parsed.success) throw new Error(`invalid upgrade input: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`).join('; ')}`);
  return parsed.data as UpgradeInput;
}

/** The health gate run after one step (platform/health-gate.ts). */
export interface GateRecord {
  afterStep: number;
  passed: boolean;
  /** The gate's own cost, ms. */
  elapsedMs: number;
  results: GateCheckResult[];
}

/** One preflight run before a hop (platform/upgrade-preflight.ts). */
export interface PreflightRecord {
  beforeStep: number;
  nextMinor: string;
  pools: string[];
  blockers: PreflightBlocker[];
  /** Checks that could not be read (e.g. the cloud's surge quota without permission): shown, not blocking. */
  warnings?: PreflightWarning[];
}

/** Plan progress as stored in an upgrade operation's `result`. */
export interface UpgradeProgress {
  toVersion: string;
  toRelease?: string;
  plan: UpgradePlan;
  completedSteps: number;
  campaignId?: string;
  gates?: GateRecord[];
  preflight?: PreflightRecord[];
  /** Set when preflight stopped the upgrade (the operation ended `needs_approval`). */
  blocked?: { beforeStep: number; nextMinor: string; blockers: PreflightBlocker[] };
}
