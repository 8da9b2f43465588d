/** The CLI's table renderer and the cluster/progress renderers built on it. */
import { describe, expect, it } from 'vitest';
import { renderDetails, renderTable } from '../cli/render/table.ts';
import { clusterListTable, driftSummary, driftText, planText, reconcileText, statusText } from '../cli/render/clusters.ts';
import { driftOf, reconcileResultOf } from '../cli/api-types.ts';
import { teamsTable, tokensTable } from '../cli/render/resources.ts';
import { describeEvent, formatChanges, formatEventLine } from '../cli/render/progress.ts';
import type { Cluster, ClusterListItem } from '../cli/api-types.ts';

describe('renderTable', () => {
  const columns = [
    { header: 'name', value: (r: { name: string; n: number | null }) => r.name },
    { header: 'nodes', value: (r: { name: string; n: number | null }) => r.n, align: 'right' as const },
  ];

  it('pads columns to the widest cell, upper-cases headers and right-aligns numbers', () => {
    const text = renderTable(columns, [
      { name: 'web', n: 3 },
      { name: 'payments-api', n: 12 },
    ]);
    expect(text.split('\n')).toEqual(['NAME          NODES', 'web               3', 'payments-api     12']);
  });

  it('prints "-" for missing values, flattens newlines, and has no trailing spaces', () => {
    const text = renderTable([{ header: 'a', value: (r: { a: string | null }) => r.a }, { header: 'b', value: () => 'x' }], [{ a: null }, { a: 'two\nlines' }]);
    const lines = text.split('\n');
    expect(lines[1]).toBe('-          x');
    expect(lines[2]).toBe('two lines  x');
    for (const line of lines) expect(line).toBe(line.trimEnd());
  });

  it('counts "✓" as one column wide', () => {
    const text = renderTable([{ header: 's', value: (r: { s: string }) => r.s }, { header: 't', value: () => 'end' }], [{ s: '✓ ok' }, { s: 'long one' }]);
    expect(text.split('\n')[1]).toBe('✓ ok      end');
  });

  it('renders the empty text for no rows', () => {
    expect(renderTable(columns, [], 'no clusters')).toBe('no clusters');
  });

  it('renders key/value details with aligned values', () => {
    expect(renderDetails([['name', 'web'], ['kubernetes', '1.31'], ['team', null]])).toBe('name:        web\nkubernetes:  1.31\nteam:        -');
  });
});

describe('cluster tables', () => {
  const cluster = (name: string, simulated: boolean) =>
    ({ name, team: 'payments', status: 'ready', simulated, target: simulated ? 'sim-local' : 'aws-prod', template: 'sim-dev@1', kubernetesVersion: '1.31', nodeCount: 2, createdAt: new Date().toISOString(), lastOperation: null }) as unknown as ClusterListItem;

  it('marks simulated clusters "(simulated)" and only those', () => {
    const lines = clusterListTable({ items: [cluster('sim1', true), cluster('real1', false)], nextCursor: null }).split('\n');
    expect(lines[1]).toMatch(/^sim1 .* ready \(simulated\) /);
    expect(lines[2]).toMatch(/^real1 .* ready  /);
    expect(lines[2]).not.toContain('simulated');
    expect(statusText({ status: 'failed', simulated: true })).toBe('failed (simulated)');
  });

  it("shows each cluster's last operation (kind, status, how long ago) and '-' without one", () => {
    const at = new Date(Date.now() - 5 * 60_000).toISOString();
    const withOp = { ...cluster('busy', true), lastOperation: { kind: 'upgrade', status: 'running', at } } as unknown as ClusterListItem;
    const lines = clusterListTable({ items: [withOp, cluster('idle', true)], nextCursor: null }).split('\n');
    const column = lines[0]!.indexOf('LAST OPERATION');
    expect(column).toBeGreaterThan(0);
    expect(lines[1]!.slice(column)).toMatch(/^upgrade running 5m /);
    expect(lines[2]!.slice(column)).toMatch(/^- /);
  });

  it('says there are more pages', () => {
    expect(clusterListTable({ items: [cluster('a', true)], nextCursor: 'x|y' })).toContain('--all-pages');
  });
});

describe('progress lines', () => {
  it('formats steps, diagnostics and summaries', () => {
    expect(describeEvent({ kind: 'step-started', op: 'create', resource: 'pool-general', resourceType: 'kaas-sim:index:SimNodePool' })).toBe('+ create  pool-general (SimNodePool)');
    expect(describeEvent({ kind: 'step-done', op: 'update', resource: 'vpc', resourceType: 'kaas-sim:index:SimNetwork', diffs: ['cidr'] })).toBe('✓ updated vpc (SimNetwork) [cidr]');
    expect(describeEvent({ kind: 'step-failed', op: 'create', resource: 'x', resourceType: 'a:b:C' })).toBe('✗ create  x (C) failed');
    expect(describeEvent({ kind: 'diagnostic', severity: 'warning', message: 'slow', resource: 'x' })).toBe('warning: x: slow');
    expect(describeEvent({ kind: 'message', message: 'queued again', severity: 'error' })).toBe('error: queued again');
    expect(formatChanges({ create: 3, same: 0, update: 1 })).toBe('3 create, 1 update');
    expect(formatChanges({})).toBe('no changes');
    const at = new Date(2025, 0, 1, 12, 1, 3).toISOString();
    expect(formatEventLine({ seq: 1, at, event: { kind: 'summary', changes: { create: 2 } } })).toBe('[12:01:03] summary: 2 create');
  });
});

describe('drift, reconcile and plan text', () => {
  const drift = { checkedAt: '2025-01-01T00:00:00.000Z', drifted: true, resources: [{ resource: 'pool-general', resourceType: 'pulumi-nodejs:dynamic/kaas-sim:SimNodePool', op: 'update', fields: ['properties.desiredSize'] }] };

  it('reads the drift record defensively and summarises it', () => {
    expect(driftOf({ drift: null })).toBeNull();
    expect(driftOf({ drift: 'odd' })).toBeNull();
    expect(driftOf({ drift })).toEqual(drift);
    expect(driftSummary(null)).toMatch(/^not checked/);
    expect(driftSummary({ ...drift, drifted: false, resources: [] })).toBe('none (checked 2025-01-01T00:00:00.000Z)');
    expect(driftSummary(drift)).toBe('yes: 1 resource (checked 2025-01-01T00:00:00.000Z)');
    const text = driftText({ cluster: 'web', drift });
    expect(text).toMatch(/^pool-general\s+SimNodePool\s+update\s+properties\.desiredSize$/m);
    expect(text).toContain('kaas clusters reconcile web');
    expect(driftText({ cluster: 'web', drift: { ...drift, drifted: false, resources: [] } })).toMatch(/^no drift/);
  });

  it('says what a reconcile needing approval would do', () => {
    const result = reconcileResultOf({ result: { applied: false, needsApproval: true, destructive: ['replace pool-general'], approval: 'a0123456789ab' } });
    expect(result).toEqual({ applied: false, needsApproval: true, destructive: ['replace pool-general'], approval: 'a0123456789ab', changes: {} });
    expect(reconcileText({ cluster: 'web', reconcile: result })).toBe('reconcile of cluster "web" needs approval; nothing was changed. It would:\n  replace pool-general');
    expect(reconcileText({ cluster: 'web', reconcile: reconcileResultOf({ result: { applied: true, changes: { same: 6, update: 1 } } }) })).toBe('reconciled cluster "web": 6 same, 1 update');
  });

  it('shows the changed fields of a plan step, and the op alone when it has none', () => {
    const operation = { id: 'o1', status: 'succeeded', error: null } as never;
    const text = planText({ cluster: 'web', operation, interrupted: false, changes: { update: 2 }, specChanges: [], steps: [
      { op: 'update', resource: 'pool-general', resourceType: 'a:b:SimNodePool', diffs: ['properties.desiredSize'] },
      { op: 'update', resource: 'pool-batch', resourceType: 'a:b:SimNodePool', diffs: [] },
    ] });
    expect(text).toMatch(/^update\s+pool-general\s+SimNodePool\s+properties\.desiredSize$/m);
    expect(text).toMatch(/^update\s+pool-batch\s+SimNodePool\s+-$/m);
  });
});

describe('resource tables', () => {
  it('shows team usage against quota, and "*" allow-lists as any', () => {
    const team = { id: 't1', name: 'payments', quota: { maxClusters: 5, maxTotalNodes: 20, allowedTargets: '*', allowedTemplates: ['sim-dev'] }, usage: { clusters: 2, nodes: 4 }, createdAt: 'x' } as const;
    expect(teamsTable([team as never]).split('\n')[1]).toMatch(/^payments\s+2\/5\s+4\/20\s+any\s+sim-dev$/);
  });

  it('shows token status and the next page', () => {
    const token = { id: 'kabcdefabcdef', subject: 'ci', role: 'member', team: 'payments', status: 'revoked', createdBy: 'admin', createdAt: 'x', expiresAt: 'y', revokedAt: 'z', lastUsedAt: null };
    const text = tokensTable({ items: [token as never], nextCursor: 'c1' });
    expect(text).toMatch(/^kabcdefabcdef\s+ci\s+member\s+payments\s+revoked\s/m);
    expect(text).toContain('(more: --cursor c1)');
  });
});
