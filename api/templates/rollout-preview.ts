/**
 * `templates.rolloutPreview`: for each live cluster built from an older version of a template (or
 * exactly `fromVersion`), what rolling out `toVersion` would change, field by field — its stored
 * overrides re-resolved against the new version — or why they no longer resolve.
 */
import type { ClusterSpec } from '../../platform/cluster-spec.ts';
import { diffSpecs, type SpecChange } from '../../platform/spec-diff.ts';
import type { DbOrTx } from '../db/schema.ts';
import { clustersOfTemplate, resolveForRollout, rolloutTemplate } from '../fleet/rollout-resolution.ts';

export interface RolloutPreviewItem {
  clusterId: string;
  name: string;
  team: string;
  from: string;
  changes: SpecChange[];
  /** Why the cluster's overrides do not resolve against the new version (then `changes` is empty). */
  error: string | null;
}

export async function rolloutPreview(db: DbOrTx, input: { name: string; fromVersion?: number | undefined; toVersion: number }): Promise<{ template: string; items: RolloutPreviewItem[] }> {
  const template = await rolloutTemplate(db, input.name, input.toVersion);
  const clusters = (await clustersOfTemplate(db, input.name)).filter(({ row }) => {
    const version = Number(row.template!.split('@')[1]);
    return input.fromVersion !== undefined ? version === input.fromVersion && version !== input.toVersion : version < input.toVersion;
  });
  const teams = clusters.length ? await db.selectFrom('teams').select(['id', 'name']).where('id', 'in', [...new Set(clusters.map((c) => c.row.team_id))]).execute() : [];
  const teamName = new Map(teams.map((t) => [t.id, t.name]));
  return {
    template: template.ref,
    items: clusters.map(({ row, target }) => {
      const resolved = resolveForRollout(template, row, target);
      const base = { clusterId: row.id, name: row.name, team: teamName.get(row.team_id) ?? '?', from: row.template! };
      return 'error' in resolved ? { ...base, changes: [], error: resolved.error } : { ...base, changes: diffSpecs(row.spec as ClusterSpec, resolved.spec), error: null };
    }),
  };
}
