/**
 * The Kubernetes API drainer of blue-green pools (api/worker/health/kube-drain.ts) against a local
 * HTTP server answering with the documented shapes: nodes selected by the pool's label, cordon as a
 * JSON merge patch of `spec.unschedulable`, pods of a node by field selector, policy/v1 Eviction,
 * which the API server refuses with 429 while a PodDisruptionBudget allows no disruption
 * (https://kubernetes.io/docs/concepts/scheduling-eviction/api-eviction/), PDBs per namespace.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubePoolDrainer } from '../api/worker/health/kube-drain.ts';

const list = (kind: string, items: unknown[]) => ({ kind: `${kind}List`, apiVersion: 'v1', metadata: { resourceVersion: '1' }, items });

describe('the Kubernetes API pool drainer', () => {
  let server: http.Server;
  let url: string;
  const seen: { method: string; path: string; type: string | undefined; body?: any }[] = [];
  /** Pods whose eviction a PDB refuses. */
  let guarded = new Set<string>();
  /** Pods evicted so far (gone from the node's pod list after `terminatingPolls` lists). */
  const evicted = new Map<string, number>();
  let terminatingPolls = 0;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const u = new URL(req.url!, 'http://x');
        const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
        seen.push({ method: req.method!, path: decodeURIComponent(u.pathname + u.search), type: req.headers['content-type'], body });
        const json = (status: number, doc: unknown) => (res.writeHead(status, { 'content-type': 'application/json' }), res.end(JSON.stringify(doc)));
        if (u.pathname === '/api/v1/nodes') {
          const selector = u.searchParams.get('labelSelector');
          return json(200, list('Node', selector === 'kaas.io/node-pool=general' ? [{ metadata: { name: 'n1' } }] : []));
        }
        if (u.pathname === '/api/v1/nodes/n1' && req.method === 'PATCH') return json(200, { metadata: { name: 'n1' } });
        if (u.pathname === '/api/v1/pods') {
          for (const [pod, polls] of evicted) evicted.set(pod, polls + 1);
          const gone = (name: string) => (evicted.get(name) ?? 0) > terminatingPolls;
          return json(200, list('Pod', [
            ...['web-1', 'db-0'].filter((name) => !gone(name)).map((name) => ({ metadata: { name, namespace: 'shop' }, status: { phase: 'Running' } })),
            { metadata: { name: 'kube-proxy-x', namespace: 'kube-system', ownerReferences: [{ kind: 'DaemonSet', name: 'kube-proxy' }] }, status: { phase: 'Running' } },
            { metadata: { name: 'etcd-n1', namespace: 'kube-system', annotations: { 'kubernetes.io/config.mirror': 'x' } }, status: { phase: 'Running' } },
          ]));
        }
        const eviction = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/eviction$/.exec(u.pathname);
        if (eviction && req.method === 'POST') {
          if (guarded.has(eviction[2]!)) return json(429, { kind: 'Status', status: 'Failure', message: 'Cannot evict pod as it would violate the pod\'s disruption budget.', reason: 'TooManyRequests', code: 429 });
          if (!evicted.has(eviction[2]!)) evicted.set(eviction[2]!, 0);
          return json(201, { kind: 'Status', status: 'Success' });
        }
        if (u.pathname === '/apis/policy/v1/namespaces/shop/poddisruptionbudgets') {
          return json(200, list('PodDisruptionBudget', [
            { metadata: { name: 'db', namespace: 'shop' }, status: { disruptionsAllowed: 0 } },
            { metadata: { name: 'web', namespace: 'shop' }, status: { disruptionsAllowed: 1 } },
          ]));
        }
        json(404, { kind: 'Status', code: 404, message: `no ${u.pathname}` });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('cordons the pool\'s nodes with a merge patch and evicts every pod but DaemonSet and mirror pods', async () => {
    seen.length = 0;
    guarded = new Set();
    evicted.clear();
    terminatingPolls = 2;
    const drainer = kubePoolDrainer({ server: url }, { retryMs: 1 });
    await drainer.cordon('general');
    expect(seen.filter((r) => r.method === 'PATCH')).toEqual([{ method: 'PATCH', path: '/api/v1/nodes/n1', type: 'application/merge-patch+json', body: { spec: { unschedulable: true } } }]);
    const outcome = await drainer.drain('general', { timeoutMs: 1000 });
    expect(outcome).toEqual({ drained: true, evicted: 2, blockedBy: [], errors: [] });
    // it waited until the evicted pods were gone: pod lists after the evictions until both disappeared
    expect(seen.filter((r) => r.path.startsWith('/api/v1/pods')).length).toBeGreaterThanOrEqual(3);
    expect(seen.filter((r) => r.method === 'POST').map((r) => [r.path, r.body])).toEqual([
      ['/api/v1/namespaces/shop/pods/web-1/eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'web-1', namespace: 'shop' } }],
      ['/api/v1/namespaces/shop/pods/db-0/eviction', { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'db-0', namespace: 'shop' } }],
    ]);
  });

  it('retries evictions a PDB refuses until the timeout, then names the PDBs allowing no disruption', async () => {
    seen.length = 0;
    guarded = new Set(['db-0']);
    evicted.clear();
    terminatingPolls = 0;
    const outcome = await kubePoolDrainer({ server: url }, { retryMs: 5 }).drain('general', { timeoutMs: 30 });
    expect(outcome.drained).toBe(false);
    expect(outcome.blockedBy).toEqual([{ namespace: 'shop', name: 'db', disruptionsAllowed: 0 }]);
    expect(seen.filter((r) => r.path.endsWith('/db-0/eviction')).length).toBeGreaterThan(1);
  });

  it('reports pods that are still terminating at the drain timeout', async () => {
    guarded = new Set();
    evicted.clear();
    terminatingPolls = 1_000_000;
    const outcome = await kubePoolDrainer({ server: url }, { retryMs: 5 }).drain('general', { timeoutMs: 30 });
    expect(outcome.drained).toBe(false);
    expect(outcome.errors).toEqual(['pods still terminating at the drain timeout: shop/web-1, shop/db-0']);
  });
});
