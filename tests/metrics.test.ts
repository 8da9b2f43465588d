/**
 * `/metrics` over real HTTP: standard process metric names (`process_*`, `nodejs_*`, what the
 * prom-client default collectors emit and Node dashboards query), histograms of operation
 * duration by kind and outcome and of queue wait observed by the worker, and the Grafana
 * dashboard in docs/ referencing only metric names that /metrics serves.
 * Real PostgreSQL and `runOperation`; a fake engine.
 */
import fs from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../api/auth/tokens.ts';
import { createMetrics, type Metrics } from '../api/metrics.ts';
import { createServer } from '../api/server.ts';
import { runOperation } from '../api/worker/run-operation.ts';
import { FakeEngine } from './support/fake-engine.ts';
import { testPlatform, type TestPlatform } from './support/services.ts';

const DASHBOARD = new URL('../docs/grafana-dashboard.json', import.meta.url);

/** Every metric name a PromQL expression mentions: strings, label matchers, ranges and grouping clauses removed, then identifiers that are not function calls or keywords. */
export function metricNamesIn(expr: string): string[] {
  const bare = expr
    .replace(/"[^"]*"/g, '')
    .replace(/\{[^}]*\}/g, '')
    .replace(/\[[^\]]*\]/g, '')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const keywords = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'and', 'or', 'unless', 'offset']);
  const names = new Set<string>();
  for (const m of bare.matchAll(/(?<![\w.$])[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    if (bare.slice(m.index + m[0].length).trimStart().startsWith('(')) continue; // a function: rate(, sum(
    if (!keywords.has(m[0])) names.add(m[0]);
  }
  return [...names];
}

describe('/metrics', () => {
  let p: TestPlatform;
  let alice: Actor;
  let metrics: Metrics;
  let server: http.Server;
  let text: string;
  const settings = { retries: 0, backoffMs: 1 };

  beforeAll(async () => {
    p = await testPlatform();
    alice = await p.actor('alice', 'member', await p.team('payments'));
    metrics = createMetrics(p.services.db);
    p.services.metrics = metrics;
    const engine = new FakeEngine();
    const created = await p.caller(alice).clusters.create({ name: 'm1', template: 'sim-dev' });
    await runOperation(p.services, created.operation.id, settings, new AbortController().signal, engine);
    engine.failNext('up');
    const updated = await p.caller(alice).clusters.update({ name: 'm1', set: ['nodePools.general.desiredSize=2'] });
    await runOperation(p.services, updated.operation.id, settings, new AbortController().signal, engine);
    server = createServer(p.services, metrics);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await fetch(`${base}/trpc/clusters.list`).then((r) => r.text()); // one API request, counted
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    text = await res.text();
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await p.close();
  });

  const sampleNames = () => new Set(text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(/[{ ]/)[0]!));

  it('serves the standard process and Node.js metric names, without a doubled prefix', () => {
    expect(text).not.toMatch(/kaas_process_/);
    const names = sampleNames();
    for (const name of ['process_cpu_user_seconds_total', 'process_resident_memory_bytes', 'process_start_time_seconds', 'nodejs_eventloop_lag_seconds', 'nodejs_heap_size_used_bytes']) expect(names, name).toContain(name);
  });

  it('observes operation duration by kind and outcome where the worker finishes an operation', () => {
    expect(text).toMatch(/^kaas_operation_duration_seconds_count\{kind="create",outcome="succeeded"\} 1$/m);
    expect(text).toMatch(/^kaas_operation_duration_seconds_count\{kind="update",outcome="failed"\} 1$/m);
  });

  it('observes queue wait (operation created to first attempt start) by kind', () => {
    expect(text).toMatch(/^kaas_operation_queue_wait_seconds_count\{kind="create"\} 1$/m);
    expect(text).toMatch(/^kaas_operation_queue_wait_seconds_count\{kind="update"\} 1$/m);
    expect(text).not.toMatch(/kaas_operation_queue_latency_seconds/); // the old histogram nothing observed
  });

  it('the Grafana dashboard only queries metric names that /metrics serves', () => {
    const dashboard = JSON.parse(fs.readFileSync(DASHBOARD, 'utf8')) as { panels: { title: string; targets?: { expr: string }[] }[] };
    const exprs = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((t) => ({ panel: panel.title, expr: t.expr })));
    expect(exprs.length).toBeGreaterThan(5);
    const served = sampleNames();
    const referenced = new Set<string>();
    for (const { panel, expr } of exprs) {
      const names = metricNamesIn(expr);
      expect(names.length, `panel "${panel}": ${expr}`).toBeGreaterThan(0);
      for (const name of names) {
        referenced.add(name);
        expect(served, `panel "${panel}" queries ${name}, which /metrics does not serve`).toContain(name);
      }
    }
    for (const name of ['kaas_operation_duration_seconds_bucket', 'kaas_operation_queue_wait_seconds_bucket', 'process_cpu_user_seconds_total', 'nodejs_eventloop_lag_p99_seconds']) expect(referenced).toContain(name);
  });

  it('finds metric names in PromQL, skipping functions, label lists and durations', () => {
    expect(metricNamesIn('histogram_quantile(0.95, sum by (le, kind) (rate(kaas_operation_duration_seconds_bucket{outcome="failed"}[5m])))')).toEqual(['kaas_operation_duration_seconds_bucket']);
    expect(metricNamesIn('sum(kaas_operations{status=~"queued|running"}) / ignoring(x) process_start_time_seconds')).toEqual(['kaas_operations', 'process_start_time_seconds']);
  });
});
