/**
 * `clusters.createPreview`: the plan of a create that has not happened — the spec the template
 * and parameters resolve to, the quota verdict now, whether the name is free, and the resources
 * the program would build (platform/create-resources.ts: exact for sim, components for the
 * managed clouds). It reads only: no cluster row, no operation, no job, no Pulumi run.
 */
import { totalDesiredNodes, type ClusterSpec } from '../../platform/cluster-spec.ts';
import { createResources, type CreateResources } from '../../platform/create-resources.ts';
import type { Services } from '../context.ts';
import type { TeamRow } from '../db/schema.ts';
import { resolveCreate, type CreateClusterInput } from './create-cluster.ts';
import { quotaVerdict, type QuotaVerdict } from './team-usage.ts';

export interface CreatePreview {
  spec: ClusterSpec;
  template: string;
  target: string;
  simulated: boolean;
  /** False when the team already has a live cluster of this name (the create would be refused). */
  nameAvailable: boolean;
  quota: QuotaVerdict;
  resources: CreateResources;
  /** True when the create would be accepted now (name free, quota fits). */
  wouldCreate: boolean;
}

export async function previewCreate(services: Services, team: TeamRow, input: CreateClusterInput): Promise<CreatePreview> {
  const { template, target, spec } = await resolveCreate(services, team, input);
  const [quota, existing] = await Promise.all([
    quotaVerdict(services.db, team, { nodes: totalDesiredNodes(spec), target: target.name, template: template.ref, spec }),
    services.db.selectFrom('clusters').select('id').where('team_id', '=', team.id).where('name', '=', input.name).where('deleted_at', 'is', null).executeTakeFirst(),
  ]);
  const nameAvailable = existing === undefined;
  return { spec, template: template.ref, target: target.name, simulated: target.cloud === 'sim', nameAvailable, quota, resources: createResources(spec), wouldCreate: nameAvailable && quota.ok };
}
