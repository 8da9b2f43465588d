/**
 * Creating a cluster: resolve the template (+ `--set` overrides) into a validated spec, pick and
 * authorise the target, then — in one transaction with the team locked — check the quota, insert
 * the cluster and its `create` operation, and enqueue the job.
 */
import type { ClusterSpec, TargetRef } from '../../platform/cluster-spec.ts';
import { totalDesiredNodes } from '../../platform/cluster-spec.ts';
import { assertCloudSpec } from '../../platform/cloud-spec-rules.ts';
import { DomainError } from '../../platform/errors.ts';
import { setFlagsToOverrides } from '../../platform/set-flag.ts';
import { resolveTemplate } from '../../platform/templates.ts';
import { initialExpiry, ttlPolicyOf } from '../../platform/ttl.ts';
import type { Actor } from '../auth/tokens.ts';
import type { Services } from '../context.ts';
import type { ClusterRow, DbOrTx, OperationRow, TargetRow, TeamRow } from '../db/schema.ts';
import { newId, stackNameFor } from '../ids.ts';
import { assertWorkerReachesEndpoint } from '../targets/endpoint-access.ts';
import { findTemplate } from '../templates/template-store.ts';
import { currentVersionRules } from '../versions/version-rules.ts';
import { insertOperation } from './start-operation.ts';
import { lockTeamAndCheckQuota } from './team-usage.ts';

export interface CreateClusterInput {
  name: string;
  template: string;
  target?: string | undefined;
  set: string[];
  labels: Record<string, string>;
  /** Time-to-live (`3d`), within the template's max; default: the template's. */
  ttl?: string | undefined;
}

export function targetRef(target: TargetRow): TargetRef {
  return { name: target.name, cloud: target.cloud, region: target.region, account: target.account, dnsZones: target.dns_zones };
}

function teamMayUse(target: TargetRow, team: TeamRow): boolean {
  return target.allowed_teams === null || target.allowed_teams.includes(team.name);
}

/** The target a create goes to: the named one, or the only one of the template's cloud. */
export async function chooseTarget(db: DbOrTx, team: TeamRow, cloud: TargetRow['cloud'], name: string | undefined): Promise<TargetRow> {
  if (name !== undefined) {
    const target = await db.selectFrom('targets').selectAll().where('name', '=', name).executeTakeFirst();
    if (!target || !teamMayUse(target, team)) throw new DomainError('NOT_FOUND', `target "${name}" does not exist or is not open to team "${team.name}"`, { hint: 'list targets with `kaas targets list`' });
    if (target.cloud !== cloud) throw new DomainError('VALIDATION', `target: "${name}" is a ${target.cloud} target but the template is for ${cloud}`, { issues: [{ path: 'target', message: `must be a ${cloud} target` }] });
    return target;
  }
  const candidates = (await db.selectFrom('targets').selectAll().where('cloud', '=', cloud).orderBy('name').execute()).filter((t) => teamMayUse(t, team));
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0) throw new DomainError('PRECONDITION_FAILED', `no ${cloud} target is open to team "${team.name}"`, { hint: 'ask a platform admin to register one with `kaas targets create`' });
  throw new DomainError('VALIDATION', `target: several ${cloud} targets are open to team "${team.name}" (${candidates.map((t) => t.name).join(', ')})`, { hint: 'name one with --target', issues: [{ path: 'target', message: 'required when several targets fit' }] });
}

/** What a create resolves to before anything is stored: the template, the target and the validated spec. */
export interface ResolvedCreate {
  template: Awaited<ReturnType<typeof findTemplate>>;
  target: TargetRow;
  overrides: Record<string, string>;
  spec: ClusterSpec;
}

/** Resolves the template (+ `--set` overrides) for `team` on the chosen target and refuses what cannot be built. Reads only. */
export async function resolveCreate(services: Services, team: TeamRow, input: CreateClusterInput): Promise<ResolvedCreate> {
  const { db } = services;
  const template = await findTemplate(db, input.template);
  if (template.deprecated) {
    throw new DomainError('PRECONDITION_FAILED', `template ${template.ref} is deprecated${template.deprecationMessage ? `: ${template.deprecationMessage}` : ''}`, { hint: 'list current templates with `kaas templates list`' });
  }
  const target = await chooseTarget(db, team, template.definition.cloud, input.target);
  const overrides = setFlagsToOverrides(input.set);
  // today's calendar: a minor past end of support is refused even if the template still pins it
  const rules = currentVersionRules();
  const spec = { ...resolveTemplate(template.definition, { name: input.name, team: team.name, target: targetRef(target), overrides, policy: rules }), template: template.ref };
  // refuse what the managed clouds' programs cannot build before anything is stored or run
  assertCloudSpec(spec, rules);
  assertWorkerReachesEndpoint(services.config, target, spec);
  return { template, target, overrides, spec };
}

export async function createCluster(services: Services, actor: Actor, team: TeamRow, input: CreateClusterInput, requestId: string): Promise<{ cluster: ClusterRow; operation: OperationRow }> {
  const { db } = services;
  const { template, target, overrides, spec } = await resolveCreate(services, team, input);
  const id = newId('c');
  // the template max is counted from created_at, so both come from the same (injectable) clock
  const createdAt = services.clock?.() ?? new Date();
  const expiresAt = initialExpiry(ttlPolicyOf(template.definition.ttl), input.ttl, createdAt, template.ref);
  return db.transaction().execute(async (tx) => {
    await lockTeamAndCheckQuota(tx, team.id, { nodes: totalDesiredNodes(spec), target: target.name, template: template.ref, spec });
    // the live-name index makes a duplicate insert a no-op instead of an error
    const cluster = await tx
      .insertInto('clusters')
      .values({
        id,
        team_id: team.id,
        name: input.name,
        target_id: target.id,
        template: template.ref,
        spec: JSON.stringify(spec),
        overrides: JSON.stringify(overrides),
        kubernetes_version: spec.kubernetesVersion,
        node_count: totalDesiredNodes(spec),
        status: 'requested',
        stack_name: stackNameFor(id),
        labels: JSON.stringify(input.labels),
        expires_at: expiresAt,
        created_at: createdAt,
      })
      .onConflict((oc) => oc.doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!cluster) {
      throw new DomainError('CONFLICT', `cluster "${input.name}" already exists in team "${team.name}"`, { hint: 'pick another name, or delete the existing cluster first' });
    }
    const operation = await insertOperation(services, tx, cluster, 'create', actor, requestId, { spec });
    return { cluster, operation };
  });
}
