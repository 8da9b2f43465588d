/**
 * Prometheus metrics (prom-client): HTTP requests, operations by state, operation duration and
 * queue wait, and the standard process and Node.js metrics (`process_*`, `nodejs_*`, the names
 * prom-client's default collectors use and Node.js dashboards query). docs/grafana-dashboard.json
 * charts them; tests/metrics.test.ts checks that every name it queries is served.
 */
import client from 'prom-client';
import type { Db } from './db/schema.ts';
import { checksInFlight, driftBacklog } from './worker/drift-schedule.ts';

/** What the worker observes about operations (api/worker/run-operation.ts). */
export interface OperationMetrics {
  /** First attempt start to recorded outcome, by operation kind and outcome. */
  operationDuration: client.Histogram<'kind' | 'outcome'>;
  /** Operation created to its first attempt starting, by kind. */
  queueWait: client.Histogram<'kind'>;
}

export interface Metrics extends OperationMetrics {
  registry: client.Registry;
  httpRequests: client.Counter<'procedure' | 'status'>;
  httpDuration: client.Histogram<'procedure'>;
}

/** `driftIntervalMinutes`: the drift schedule's interval, for the backlog gauges (0 or absent: schedule off). */
export function createMetrics(db: Db, opts: { driftIntervalMinutes?: number } = {}): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const httpRequests = new client.Counter({ name: 'kaas_http_requests_total', help: 'API requests by procedure and HTTP status', labelNames: ['procedure', 'status'] as const, registers: [registry] });
  const httpDuration = new client.Histogram({ name: 'kaas_http_request_duration_seconds', help: 'API request duration', labelNames: ['procedure'] as const, buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [registry] });
  const operationDuration = new client.Histogram({
    name: 'kaas_operation_duration_seconds',
    help: 'Operation duration from its first attempt starting to its outcome being recorded, by kind and outcome',
    labelNames: ['kind', 'outcome'] as const,
    // sim operations take seconds, cloud clusters 10-20 minutes, upgrades of big pools an hour
    buckets: [0.5, 1, 5, 15, 30, 60, 120, 300, 600, 900, 1200, 1800, 2700, 3600, 7200],
    registers: [registry],
  });
  const queueWait = new client.Histogram({
    name: 'kaas_operation_queue_wait_seconds',
    help: 'Time from an operation being created to a worker starting its first attempt, by kind',
    labelNames: ['kind'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  new client.Gauge({
    name: 'kaas_operations',
    help: 'Operations by kind and status',
    labelNames: ['kind', 'status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await db.selectFrom('operations').select(['kind', 'status', (eb) => eb.fn.countAll<string>().as('n')]).groupBy(['kind', 'status']).execute();
      for (const r of rows) this.set({ kind: r.kind, status: r.status }, Number(r.n));
    },
  });
  new client.Gauge({
    name: 'kaas_clusters',
    help: 'Live clusters by status',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await db.selectFrom('clusters').select(['status', (eb) => eb.fn.countAll<string>().as('n')]).where('deleted_at', 'is', null).groupBy('status').execute();
      for (const r of rows) this.set({ status: r.status }, Number(r.n));
    },
  });
  new client.Gauge({
    name: 'kaas_drift_backlog',
    help: 'Ready clusters overdue for their scheduled drift check that no check has been started for yet',
    registers: [registry],
    async collect() {
      this.set(await driftBacklog(db, new Date(), opts.driftIntervalMinutes ?? 0));
    },
  });
  new client.Gauge({
    name: 'kaas_drift_checks_in_flight',
    help: 'Scheduled drift checks queued or running (bounded by the live workers\' slots)',
    registers: [registry],
    async collect() {
      this.set(await checksInFlight(db));
    },
  });
  return { registry, httpRequests, httpDuration, operationDuration, queueWait };
}
