/** Tables and text for clusters, operations, plans and event logs. */
import { driftOf, type Cluster, type ClusterListItem, type CostChange, type DriftRecord, type Operation, type ReconcileResult } from '../api-types.ts';
import { formatUsd } from '../../platform/cost-estimate.ts';
import type { ClusterList } from '../commands/clusters/list.ts';
import type { ClusterDetails } from '../commands/clusters/get.ts';
import type { Plan } from '../commands/clusters/plan.ts';
import type { EventLog } from '../commands/clusters/events.ts';
import { specValueText } from './fleet.ts';
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

/** When a cluster expires, as people read it (`in 2d`, `expired`), with `(hibernated)` while asleep; `-` for neither. */
export function expiresText(c: Pick<Cluster, 'expiresAt' | 'hibernated'>, now = Date.now()): string {
  const sleep = c.hibernated ? ' (hibernated)' : '';
  if (!c.expiresAt) return c.hibernated ? 'hibernated' : '-';
  const s = Math.round((new Date(c.expiresAt).getTime() - now) / 1000);
  if (s <= 0) return `expired${sleep}`;
  return `in ${s < 3600 ? `${Math.max(1, Math.floor(s / 60))}m` : s < 86400 ? `${Math.floor(s / 3600)}h` : `${Math.floor(s / 86400)}d`}${sleep}`;
}

export function clusterListTable(list: ClusterList): string {
  const table = renderTable(
    [
      { header: 'name', value: (c: ClusterListItem) => c.name },
      { header: 'team', value: (c) => c.team },
      { header: 'status', value: (c) => statusText(c) },
      { header: 'target', value: (c) => c.target },
      { header: 'template', value: (c) => c.template },
      { header: 'version', value: (c) => (c.versionWarning ? `${c.kubernetesVersion} (${c.versionWarning.phase})` : c.kubernetesVersion) },
      { header: 'nodes', value: (c) => c.nodeCount, align: 'right' },
      { header: 'last operation', value: (c) => (c.lastOperation ? `${c.lastOperation.kind} ${c.lastOperation.status} ${ago(c.lastOperation.at)}` : null) },
      { header: 'age', value: (c) => ago(c.createdAt), align: 'right' },
      { header: 'expires', value: (c) => expiresText(c), align: 'right' },
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

/** An output value on one line: scalars as they are, lists of scalars joined, objects elided (see -o yaml). */
function outputText(v: unknown): string {
  if (v === null || typeof v !== 'object') return String(v);
  if (Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object')) return v.join(',');
  return '{…}';
}

export function clusterDetailsText(d: ClusterDetails): string {
  const c = d.cluster;
  const labels = Object.entries(c.labels).map(([k, v]) => `${k}=${v}`).join(', ');
  const overrides = Object.entries(c.overrides).map(([k, v]) => `${k}=${v}`).join(', ');
  const outputs = Object.entries(c.outputs).map(([k, v]) => `${k}=${outputText(v)}`).join(', ');
  const drift = driftOf(c);
  const details = renderDetails([
    ['name', c.name],
    ['id', c.id],
    ['team', c.team],
    ['status', statusText(c)],
    ['reason', c.statusReason],
    ['target', `${c.target} (${c.cloud})`],
    ['template', c.template],
    ['kubernetes', c.kubernetesPatch ? `${c.kubernetesVersion} (patch ${c.kubernetesPatch})` : c.kubernetesVersion],
    ...(c.versionWarning ? [['warning', c.versionWarning.message] as [string, string]] : []),
    ['nodes', c.nodeCount],
    ['expires', c.expiresAt ? `${c.expiresAt} (${expiresText({ expiresAt: c.expiresAt, hibernated: false })})` : 'never'],
    ['hibernated', c.hibernated ? 'yes (node pools at 0; `kaas clusters wake` restores them)' : 'no'],
    ['labels', labels],
    ['overrides', overrides],
    ['outputs', outputs],
    ['drift', driftSummary(drift)],
    ['created', c.createdAt],
    ['updated', c.updatedAt],
    ...(c.deletedAt ? [['deleted', c.deletedAt] as [string, string]] : []),
  ]);
  const drifted = drift?.drifted ? `\n\nDrifted resources:\n${driftTable(drift)}` : '';
  return `${details}${drifted}\n\nRecent operations:\n${operationsTable(d.operations)}`;
}

/** After create/update/delete without --wait: what started and how to follow it. */
export function operationStartedText(verb: string, cluster: string, op: Operation, team: string | undefined): string {
  const teamFlag = team ? ` --team ${team}` : '';
  return `${verb} cluster "${cluster}": operation ${op.id} (${op.kind}) is ${op.status}\nfollow it with: kaas clusters events ${cluster} --operation ${op.id} --follow${teamFlag}`;
}

/** The cost summary line, then one line per item of the estimate after the change. */
export function costLinesText(cost: CostChange): string {
  const items = cost.after.lines.map((l) => `  ${l.item}: ${l.monthly === null ? `NOT PRICED (${l.note ?? 'no price'})` : `${formatUsd(l.monthly)}/month`}`);
  return [cost.summary, ...items].join('\n');
}

/** `path: from → to` for each spec field the plan changes (values, not only names), or "no change". */
export function specChangesText(changes: Plan['specChanges']): string {
  if (changes.length === 0) return 'spec: no change';
  return ['spec changes:', ...changes.map((c) => `  ${c.path}: ${specValueText(c.from)} → ${specValueText(c.to)}`)].join('\n');
}

/** The plan: the spec changes with their values, then the resource steps the preview found. */
export function planText(plan: Plan): string {
  const steps = renderTable(
    [
      { header: 'op', value: (s: Plan['steps'][number]) => s.op },
      { header: 'resource', value: (s) => s.resource },
      { header: 'type', value: (s) => shortType(s.resourceType) },
      // a step without diffs (a create, a delete, a replace of the whole resource) shows the op only
      { header: 'changed fields', value: (s) => (s.diffs.length ? s.diffs.join(', ') : '') },
    ],
    plan.steps,
    'no resource would change',
  );
  const status = plan.operation.status === 'succeeded' ? '' : `\npreview ${plan.operation.id} is ${plan.operation.status}${plan.operation.error ? `: ${plan.operation.error}` : ''}`;
  const cost = plan.cost ? `\n${costLinesText(plan.cost)}` : '';
  const quota = plan.quota && !plan.quota.allowed ? `\nkaas clusters update would be REFUSED: ${plan.quota.message}${plan.quota.hint ? `\nhint: ${plan.quota.hint}` : ''}` : '';
  return `Plan for cluster "${plan.cluster}":\n${specChangesText(plan.specChanges)}\n\n${steps}\n\nchanges: ${formatChanges(plan.changes)}${cost}${quota}${status}`;
}

export function eventLogText(log: EventLog): string {
  const op = log.operation;
  const head = `operation ${op.id} (${op.kind}): ${op.status}${op.error ? ` — ${op.error}` : ''}`;
  return [head, ...log.events.map((e) => formatEventLine(e, { kind: op.kind })).filter((l) => l !== undefined)].join('\n');
}

/** One line on a drift record: not checked, none, or how many resources drifted, and when. */
export function driftSummary(drift: DriftRecord | null): string {
  if (!drift) return 'not checked (run `kaas clusters drift NAME`)';
  if (!drift.drifted) return `none (checked ${drift.checkedAt})`;
  const n = drift.resources.length;
  return `yes: ${n} resource${n === 1 ? '' : 's'} (checked ${drift.checkedAt})`;
}

export function driftTable(drift: DriftRecord): string {
  return renderTable(
    [
      { header: 'resource', value: (r: DriftRecord['resources'][number]) => r.resource },
      { header: 'type', value: (r) => shortType(r.resourceType) },
      { header: 'op', value: (r) => r.op },
      { header: 'drifted fields', value: (r) => r.fields.join(', ') },
    ],
    drift.resources,
    'no drift',
  );
}

/** After `clusters drift --wait`: the drift record the check left on the cluster. */
export function driftText(d: { cluster: string; drift: DriftRecord | null }): string {
  if (!d.drift) return `cluster "${d.cluster}" has no drift record`;
  if (!d.drift.drifted) return `no drift: cluster "${d.cluster}" matches the cloud (checked ${d.drift.checkedAt})`;
  return `drift in cluster "${d.cluster}" (checked ${d.drift.checkedAt}):\n${driftTable(d.drift)}\n\nfix it with: kaas clusters reconcile ${d.cluster}`;
}

/** After `clusters reconcile --wait`: what it applied, or what it would do without approval. */
export function reconcileText(d: { cluster: string; reconcile: ReconcileResult }): string {
  const r = d.reconcile;
  if (r.needsApproval) return `reconcile of cluster "${d.cluster}" needs approval; nothing was changed. It would:\n${r.destructive.map((s) => `  ${s}`).join('\n')}`;
  return `reconciled cluster "${d.cluster}": ${formatChanges(r.changes)}`;
}
