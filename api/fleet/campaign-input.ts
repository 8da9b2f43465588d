/**
 * The input of `fleet.plan` and `fleet.start`: an `upgrade` campaign (the default kind) moves the
 * selected clusters one Kubernetes minor to `targetVersion`; a `template-rollout` campaign moves
 * the clusters built from an older version of `template` to version `toVersion`. Both split their
 * clusters into waves the same way and share the runner settings.
 */
import { z } from 'zod';
import { fleetSelectorSchema } from '../../platform/fleet-selector.ts';
import { campaignSchema } from '../../platform/fleet-waves.ts';
import { isMinorVersion } from '../../platform/kubernetes-version.ts';
import { dnsName } from '../routers/inputs.ts';

/** Longest soak between waves: one week. */
export const MAX_SOAK_SECONDS = 7 * 24 * 3600;

const settings = {
  selector: fleetSelectorSchema.default({}),
  waves: campaignSchema.shape.waves,
  maxParallel: z.int().min(1).max(1000).default(1),
  /** The campaign halts once MORE than this many clusters have failed (0 = on the first failure). */
  failureThreshold: z.int().min(0).max(100_000).default(0),
  approvalBetweenWaves: z.boolean().default(false),
  soakSeconds: z.int().min(0).max(MAX_SOAK_SECONDS).default(0),
};

const upgradeInput = z.strictObject({
  kind: z.literal('upgrade'),
  targetVersion: z.string().refine(isMinorVersion, { message: 'must be MAJOR.MINOR like 1.31' }),
  ...settings,
});

const rolloutInput = z.strictObject({
  kind: z.literal('template-rollout'),
  template: dnsName(63),
  toVersion: z.int().min(1),
  fromVersion: z.int().min(1).optional(),
  ...settings,
});

const withDefaultKind = (v: unknown) => (typeof v === 'object' && v !== null && !Array.isArray(v) && !('kind' in v) ? { ...v, kind: 'upgrade' } : v);

/** What `fleet.plan` takes. */
export const campaignPlanInput = z.preprocess(withDefaultKind, z.discriminatedUnion('kind', [upgradeInput, rolloutInput]));

/** What `fleet.start` takes: a plan input plus a unique campaign name. */
export const campaignStartInput = z.preprocess(
  withDefaultKind,
  z.discriminatedUnion('kind', [upgradeInput.extend({ name: dnsName(63) }), rolloutInput.extend({ name: dnsName(63) })]),
);

export type CampaignPlanInput = z.infer<typeof campaignPlanInput>;
export type CampaignStartInput = z.infer<typeof campaignStartInput>;
