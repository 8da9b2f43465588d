/** Tables and text for clusters, operations, plans and event logs. */
import type { Cluster, Operation } from '../api-types.ts';
import type { ClusterList } from '../commands/clusters/list.ts';
import type { ClusterDetails } from '../commands/clusters/get.ts';
import type { Plan } from '../commands/clusters/plan.ts';
import type { EventLog } from '../commands/clusters/events.ts';
import { formatChanges, formatEventLine, shortType } from './progress.ts';
import { renderDetails, renderTable } from './table.ts';

/** The status, marked "(simulated)" for sim clusters. */
export function statusText(c: Pick<Cluster, 'status' | 'simulated'>): string {
  return c.simulated ? `${c.status} (simulated)` : c.status;
}

const ago = (iso: string | null, now = Date.now()): string => {
  if (!iso) return '-';
  const s = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1000));
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m` : s < 86400 ? `${Math.floor(s / 3600)}h` : `${Math.floor(s / 86400)}d`;
};

export function clusterListTable(list: ClusterList): string {
  const table = renderTable(
    [
      { header: 'name', value: (c: Cluster) => c.name },
      { header: 'team', value: (c) => c.team },
      { header: 'status', value: (c) => statusText(c) },
      { header: 'target', value: (c) => c.target },
      { header: 'template', value: (c) => c.template },
      { header: 'version', value: (c) => c.kubernetesVersion },
      { header: 'nodes', value: (c) => c.nodeCount, align: 'right' },
      { header: 'age', value: (c) => ago(c.createdAt), align: 'right' },
    ],
    list.items,
    'no clusters',
  );
  return list.nextCursor ? `${table}\n(more: use --all-pages)` : table;
}

export function operationsTable(ops: Operation[]): string {
  return renderTable(
    [
      { header: 'id', value: (o: Operation) => o.id },
      { header: 'kind', value: (o) => o.kind },
      { header: 'status', value: (o) => o.status },
      { header: 'actor', value: (o) => o.actor },
      { header: 'created', value: (o) => o.createdAt },
      { header: 'finished', value: (o) => o.finishedAt },
      { header: 'error', value: (o) => (o.error && o.error.length > 60 ? o.error.slice(0, 57) + '...' : o.error) },
    ],
    ops,
    'no operations',
  );
}

export function clusterDetailsText(d: ClusterDetails): string {
  const c = d.cluster;
  const labels = Object.entries(c.labels).map(([k, v]) => `${k}=${v}`).join(', ');
  const overrides = Object.entries(c.overrides).map(([k, v]) => `${k}=${v}`).join(', ');
  const details = renderDetails([
    ['name', c.name],
    ['team', c.team],
    ['status', statusText(c)],
    ['reason', c.statusReason],
    ['target', `${c.target} (${c.cloud})`],
    ['template', c.template],
    ['kubernetes', c.kubernetesVersion],
    ['nodes', c.nodeCount],
    ['labels', labels],
    ['overrides', overrides],
    ['created', c.createdAt],
    ['updated', c.updatedAt],
    ...(c.deletedAt ? [['deleted', c.deletedAt] as [string, string]] : []),
  ]);
  return `${details}\n\nRecent operations:\n${operationsTable(d.operations)}`;
}

/** After create/update/delete without --wait: what started and how to follow it. */
export function operationStartedText(verb: string, cluster: string, op: Operation, team: string | undefined): string {
  const teamFlag = team ? ` --team ${team}` : '';
  return `${verb} cluster "${cluster}": operation ${op.id} (${op.kind}) is ${op.status}\nfollow it with: kaas clusters events ${cluster} --operation ${op.id} --follow${teamFlag}`;
}

export function planText(plan: Plan): string {
  const steps = renderTable(
    [
      { header: 'op', value: (s: Plan['steps'][number]) => s.op },
      { header: 'resource', value: (s) => s.resource },
      { header: 'type', value: (s) => shortType(s.resourceType) },
      { header: 'changed fields', value: (s) => s.diffs.join(', ') },
    ],
    plan.steps,
    'no resource would change',
  );
  const status = plan.operation.status === 'succeeded' ? '' : `\npreview ${plan.operation.id} is ${plan.operation.status}${plan.operation.error ? `: ${plan.operation.error}` : ''}`;
  return `Plan for cluster "${plan.cluster}":\n${steps}\n\nchanges: ${formatChanges(plan.changes)}${status}`;
}

export function eventLogText(log: EventLog): string {
  const op = log.operation;
  const head = `operation ${op.id} (${op.kind}): ${op.status}${op.error ? ` — ${op.error}` : ''}`;
  return [head, ...log.events.map(formatEventLine)].join('\n');
}
