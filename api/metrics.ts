/** Prometheus metrics (prom-client): HTTP requests, operations by state, queue latency. */
import client from 'prom-client';
import type { Db } from './db/schema.ts';

export interface Metrics {
  registry: client.Registry;
  httpRequests: client.Counter<'procedure' | 'status'>;
  httpDuration: client.Histogram<'procedure'>;
  queueLatency: client.Histogram;
}

export function createMetrics(db: Db): Metrics {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'kaas_process_' });
  const httpRequests = new client.Counter({ name: 'kaas_http_requests_total', help: 'API requests by procedure and HTTP status', labelNames: ['procedure', 'status'] as const, registers: [registry] });
  const httpDuration = new client.Histogram({ name: 'kaas_http_request_duration_seconds', help: 'API request duration', labelNames: ['procedure'] as const, buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [registry] });
  const queueLatency = new client.Histogram({ name: 'kaas_operation_queue_latency_seconds', help: 'Time from enqueue to a worker starting the operation', buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30], registers: [registry] });
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
  return { registry, httpRequests, httpDuration, queueLatency };
}
