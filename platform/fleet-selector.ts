/** Selecting clusters of the fleet for a campaign: by cloud, target, template, team, labels, version. */
import { z } from 'zod';
import { CLOUDS, type Cloud } from './cluster-spec.ts';
import { compareMinorVersions, isMinorVersion } from './kubernetes-version.ts';
import { labelKeySchema, labelValueSchema } from './label-schemas.ts';
import type { MaintenanceWindow } from './maintenance-window.ts';

/** What the fleet planner knows about one cluster. */
export interface FleetCluster {
  id: string;
  name: string;
  team: string;
  cloud: Cloud;
  target: string;
  /** `name@version` of the template it came from, if any. */
  template?: string;
  labels: Record<string, string>;
  /** Control-plane minor version. */
  version: string;
  maintenanceWindow?: MaintenanceWindow;
}

/** Which clusters a campaign targets; every given criterion must hold (an empty selector selects all). */
export interface FleetSelector {
  cloud?: Cloud;
  target?: string;
  /** A template name (any version) or an exact `name@version`. */
  template?: string;
  team?: string;
  /** Every label must be present with exactly this value. */
  labels?: Record<string, string>;
  /** Inclusive range of current control-plane versions. */
  version?: { min?: string; max?: string };
}

const minor = z.string().refine(isMinorVersion, { message: 'must be MAJOR.MINOR like 1.31' });

/** The zod schema of a selector. */
export const fleetSelectorSchema = z.strictObject({
  cloud: z.enum(CLOUDS).optional(),
  target: z.string().min(1).optional(),
  template: z.string().min(1).optional(),
  team: z.string().min(1).optional(),
  labels: z.record(labelKeySchema, labelValueSchema).optional(),
  version: z
    .strictObject({ min: minor.optional(), max: minor.optional() })
    .refine((v) => !v.min || !v.max || !isMinorVersion(v.min) || !isMinorVersion(v.max) || compareMinorVersions(v.min, v.max) <= 0, {
      message: 'min must not be newer than max',
    })
    .optional(),
});

/** Whether one cluster matches the selector. */
export function matchesSelector(selector: FleetSelector, cluster: FleetCluster): boolean {
  if (selector.cloud !== undefined && cluster.cloud !== selector.cloud) return false;
  if (selector.target !== undefined && cluster.target !== selector.target) return false;
  if (selector.team !== undefined && cluster.team !== selector.team) return false;
  if (selector.template !== undefined) {
    const t = cluster.template;
    const byName = !selector.template.includes('@');
    if (t === undefined || (byName ? t.split('@')[0] !== selector.template : t !== selector.template)) return false;
  }
  for (const [key, value] of Object.entries(selector.labels ?? {})) {
    if (cluster.labels[key] !== value) return false;
  }
  const { min, max } = selector.version ?? {};
  if (min !== undefined && compareMinorVersions(cluster.version, min) < 0) return false;
  if (max !== undefined && compareMinorVersions(cluster.version, max) > 0) return false;
  return true;
}

/** The clusters matching `selector`, sorted by name then id (deterministic). */
export function selectClusters<T extends FleetCluster>(selector: FleetSelector, clusters: readonly T[]): T[] {
  return clusters.filter((c) => matchesSelector(selector, c)).sort(byNameThenId);
}

/** Orders clusters by name, then id. */
export function byNameThenId(a: FleetCluster, b: FleetCluster): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
