/** Fleet campaigns and template rollouts as people read them: plans, progress, lists, windows, previews. */
import type {
  CampaignClusterProgress,
  CampaignPlan,
  CampaignStart,
  CampaignStatusView,
  CampaignSummary,
  MaintenanceWindowResult,
  PlannedCluster,
  RolloutPreview,
  RolloutPreviewItem,
  SkippedCluster,
} from '../api-types.ts';
import { renderTable } from './table.ts';

/** A weekly window as `sat,sun 02:00 UTC for 240m`; no window is `any time`. */
export function windowText(w: PlannedCluster['maintenanceWindow']): string {
  return w ? `${w.days.join(',')} ${w.startUtc} UTC for ${w.durationMinutes}m` : 'any time';
}

/** `upgrade to 1.33` or `template rollout to sim-dev@2`. */
function campaignWhat(kind: string, target: string): string {
  return kind === 'upgrade' ? `upgrade to Kubernetes ${target}` : `template rollout to ${target}`;
}

/** The non-zero per-status counts: `1 succeeded, 1 upgrading, 3 pending`. */
export function countsText(counts: CampaignSummary['counts']): string {
  const parts = Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status.replace(/_/g, ' ')}`);
  return parts.join(', ') || 'no clusters';
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The plan: a line saying what and how many, the waves table, then the skipped clusters with reasons. */
export function campaignPlanText(plan: CampaignPlan): string {
  const rows = plan.waves.flatMap((w) => w.clusters.map((c) => ({ wave: w.name, ...c })));
  const head = `${campaignWhat(plan.kind, plan.target)}: ${plural(plan.total, 'cluster')} in ${plural(plan.waves.length, 'wave')}, ${plural(plan.skipped.length, 'skipped', 'skipped')}`;
  const waves = renderTable<(typeof rows)[number]>(
    [
      { header: 'wave', value: (r) => r.wave },
      { header: 'cluster', value: (r) => r.name },
      { header: 'team', value: (r) => r.team },
      { header: 'version', value: (r) => r.version },
      { header: 'template', value: (r) => r.template },
      { header: 'window', value: (r) => windowText(r.maintenanceWindow) },
      { header: 'id', value: (r) => r.id },
    ],
    rows,
    'no cluster to move',
  );
  const parts = [head, waves];
  // fewer than maxParallel can run at once (worker slots, per-team cap): the rest wait in the queue
  if (plan.capacity?.note) parts.splice(1, 0, `note: ${plan.capacity.note}`);
  if (plan.skipped.length > 0) {
    parts.push(
      '',
      'skipped:',
      renderTable<SkippedCluster>(
        [
          { header: 'cluster', value: (s) => s.name },
          { header: 'team', value: (s) => s.team },
          { header: 'version', value: (s) => s.version },
          { header: 'template', value: (s) => s.template },
          { header: 'reason', value: (s) => s.reason },
        ],
        plan.skipped,
      ),
    );
  }
  return parts.join('\n');
}

/** `fleet start`: the plan that was frozen, then which campaign now runs it. */
export function campaignStartText(started: CampaignStart): string {
  const c = started.campaign;
  return `${campaignPlanText(started.plan)}\n\ncampaign ${c.name} (${c.id}) started: ${c.status.replace(/_/g, ' ')}\nfollow it with: kaas fleet status ${c.name} --watch`;
}

/** The header lines of a campaign: what, status and wave, counts, why it stopped. */
export function campaignHeaderText(c: CampaignSummary): string {
  const waveIndex = c.currentWave === null ? -1 : c.waves.indexOf(c.currentWave);
  const wave = c.currentWave === null ? 'no wave' : `wave ${c.currentWave} (${waveIndex + 1}/${c.waves.length})`;
  const lines = [
    `campaign ${c.name} (${c.id}): ${campaignWhat(c.kind, c.target)}`,
    `status: ${c.status.replace(/_/g, ' ')}, ${wave}; ${countsText(c.counts)}`,
  ];
  if (c.statusReason) lines.push(`reason: ${c.statusReason}`);
  return lines.join('\n');
}

/** `fleet status`: the header, then one row per cluster (waves in order, then skipped). */
export function campaignStatusText(view: CampaignStatusView): string {
  const table = renderTable<CampaignClusterProgress>(
    [
      { header: 'wave', value: (c) => c.wave },
      { header: 'cluster', value: (c) => c.name },
      { header: 'team', value: (c) => c.team },
      { header: 'status', value: (c) => c.status.replace(/_/g, ' ') },
      { header: 'version', value: (c) => c.kubernetesPatch ?? c.kubernetesVersion },
      { header: 'step', value: (c) => c.step },
      { header: 'gates', value: (c) => gatesText(c.gates) },
      { header: 'operation', value: (c) => c.operationId },
      { header: 'reason', value: (c) => c.reason },
    ],
    view.clusters,
    'no clusters',
  );
  // every reason of every blocked cluster and every failing gate check, in full below the table
  const details = view.clusters.flatMap((c) => [
    ...c.blockedReasons.map((r) => `${c.name}: blocked: ${r}`),
    ...c.gates.filter((g) => !g.passed).flatMap((g) => g.failing.map((f) => `${c.name}: gate after step ${g.afterStep + 1} failed: ${f}`)),
  ]);
  return `${campaignHeaderText(view.campaign)}\n${table}${details.length > 0 ? `\n${details.join('\n')}` : ''}`;
}

/** Gates of one cluster: `3 passed` or `1 passed, FAILED after step 2`. */
function gatesText(gates: CampaignClusterProgress['gates']): string | null {
  if (gates.length === 0) return null;
  const passed = gates.filter((g) => g.passed).length;
  const failed = gates.filter((g) => !g.passed).map((g) => `FAILED after step ${g.afterStep + 1}`);
  return [passed > 0 ? `${passed} passed` : '', ...failed].filter(Boolean).join(', ');
}

/** One progress line for `fleet status --watch`: `running, wave canary (1/2): 1 upgrading, 4 pending`. */
export function campaignProgressLine(c: CampaignSummary): string {
  const wave = c.currentWave === null ? '' : `, wave ${c.currentWave} (${c.waves.indexOf(c.currentWave) + 1}/${c.waves.length})`;
  return `${c.name}: ${c.status.replace(/_/g, ' ')}${wave}: ${countsText(c.counts)}${c.statusReason ? ` (${c.statusReason})` : ''}`;
}

export function campaignListTable(list: { items: CampaignSummary[] }): string {
  return renderTable<CampaignSummary>(
    [
      { header: 'name', value: (c) => c.name },
      { header: 'kind', value: (c) => c.kind },
      { header: 'target', value: (c) => c.target },
      { header: 'status', value: (c) => c.status.replace(/_/g, ' ') },
      { header: 'wave', value: (c) => (c.currentWave === null ? null : `${c.currentWave} (${c.waves.indexOf(c.currentWave) + 1}/${c.waves.length})`) },
      { header: 'clusters', value: (c) => countsText(c.counts) },
      { header: 'created', value: (c) => c.createdAt },
      { header: 'id', value: (c) => c.id },
    ],
    list.items,
    'no campaigns',
  );
}

/** After pause, resume, cancel or approve. */
export function campaignControlText(result: { campaign: CampaignSummary }): string {
  return campaignHeaderText(result.campaign);
}

export function maintenanceWindowText(r: MaintenanceWindowResult): string {
  return r.window ? `cluster ${r.team}/${r.name}: maintenance window ${windowText(r.window)}` : `cluster ${r.team}/${r.name}: no maintenance window (campaigns may touch it at any time)`;
}

/** A spec value in a preview cell: strings as they are, the rest as JSON, absent as "(absent)". */
export function specValueText(v: unknown): string {
  if (v === undefined) return '(absent)';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** `templates rollout-preview`: per cluster, its changes field by field, or why it cannot roll out. */
export function rolloutPreviewText(preview: RolloutPreview): string {
  if (preview.items.length === 0) return `rollout of ${preview.template}: no cluster is on an older version`;
  const failing = preview.items.filter((i) => i.error !== null).length;
  const head = `rollout of ${preview.template}: ${plural(preview.items.length, 'cluster')}${failing ? `, ${failing} cannot roll out` : ''}`;
  const blocks = preview.items.map((item: RolloutPreviewItem) => {
    const title = `${item.team}/${item.name} (from ${item.from})`;
    if (item.error !== null) return `${title}: cannot roll out: ${item.error}`;
    if (item.changes.length === 0) return `${title}: no change`;
    const table = renderTable<(typeof item.changes)[number]>(
      [
        { header: 'path', value: (c) => c.path },
        { header: 'from', value: (c) => specValueText(c.from) },
        { header: 'to', value: (c) => specValueText(c.to) },
      ],
      item.changes,
    );
    return `${title}: ${plural(item.changes.length, 'change')}\n${table.replace(/^/gm, '  ')}`;
  });
  return [head, ...blocks].join('\n');
}
