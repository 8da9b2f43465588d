/**
 * The `ClusterProbe` of a real cluster: plain HTTPS calls to its Kubernetes API with the platform's
 * credentials (a bearer token from the cluster kubeconfig's exec plugin, see exec-credential.ts),
 * reading the documented API shapes:
 *
 * - `GET /version` (gitVersion); `GET /api/v1/nodes` (Ready condition, nodeInfo.kubeletVersion);
 * - `GET /apis/apps/v1/{deployments,daemonsets,statefulsets}` in the system namespaces
 *   (kube-system and the addon catalog's namespaces) for rollout status;
 * - `GET /api/v1/namespaces/<ns>/pods` of those namespaces (containerStatuses waiting reasons);
 * - `GET /metrics`: `apiserver_requested_deprecated_apis{group,version,resource,removed_release}`
 *   (https://kubernetes.io/docs/reference/instrumentation/metrics/);
 * - `GET /apis/policy/v1/poddisruptionbudgets` (status.disruptionsAllowed, status.expectedPods);
 * - Prometheus through the API server's service proxy to `prometheus-operated:9090` (the service
 *   prometheus-operator creates for every Prometheus) in `monitoring`, `/api/v1/query`
 *   (https://prometheus.io/docs/prometheus/latest/querying/api/#instant-queries);
 * - user Jobs: `POST /apis/batch/v1/namespaces/<ns>/jobs`, then its status until it completes.
 *
 * API reference: https://kubernetes.io/docs/reference/kubernetes-api/.
 */
import http from 'node:http';
import https from 'node:https';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BlockingPdb, ClusterHealthSignals, ClusterProbe, DeprecatedApiInUse, JobCheck, NodeSignal, PodSignal, PreflightFindings, WorkloadSignal } from '../../../platform/cluster-probe.ts';

/** Where and how to reach one cluster's API server. */
export interface KubeEndpoint {
  /** `https://…` (tests: `http://127.0.0.1:port`). */
  server: string;
  /** PEM of the cluster CA (kubeconfig `certificate-authority-data`, decoded). */
  caPem?: string | undefined;
  /** A bearer token, fetched fresh for each request (exec plugins mint short-lived ones). */
  token?: (() => Promise<string>) | undefined;
  /** Per-request timeout, ms (default 10 s). */
  timeoutMs?: number | undefined;
}

export interface KubeProbeOptions {
  /** Namespaces whose workloads and pods count as system ones. */
  systemNamespaces?: readonly string[];
  /** The Prometheus service, `namespace/name:port`. */
  prometheusService?: string;
  /** How often a Job's status is read, ms. */
  jobPollMs?: number;
  /** How long a Job may run, ms. */
  jobTimeoutMs?: number;
}

/** Labels that name a node's pool: kaas's own (a blue-green generation's, then the pool's), then EKS, GKE and AKS's. */
const POOL_LABELS = ['kaas.io/node-pool', 'kaas.io/pool', 'eks.amazonaws.com/nodegroup', 'cloud.google.com/gke-nodepool', 'kubernetes.azure.com/agentpool', 'agentpool'];

/** An error answer of the API server, with its status. */
export class KubeApiError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** One request to the API server; the parsed JSON (or the text for `text: true`). */
export async function kubeRequest(endpoint: KubeEndpoint, method: string, path: string, opts: { body?: unknown; text?: boolean; contentType?: string } = {}): Promise<any> {
  const url = new URL(path, endpoint.server);
  const token = endpoint.token ? await endpoint.token() : undefined;
  const body = opts.body === undefined ? undefined : JSON.stringify(opts.body);
  const headers: Record<string, string> = { accept: opts.text ? 'text/plain' : 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { 'content-type': opts.contentType ?? 'application/json' } : {}) };
  const lib = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = lib.request(url, { method, headers, timeout: endpoint.timeoutMs ?? 10_000, ...(url.protocol === 'https:' && endpoint.caPem ? { ca: endpoint.caPem } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) {
          let message = text.slice(0, 300);
          try {
            message = (JSON.parse(text) as { message?: string }).message ?? message;
          } catch {
            // not a Status object
          }
          reject(new KubeApiError(status, `${method} ${url.pathname}: HTTP ${status}: ${message}`));
          return;
        }
        if (opts.text) return resolve(text);
        try {
          resolve(JSON.parse(text));
        } catch {
          reject(new Error(`${method} ${url.pathname}: the answer is not JSON`));
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${url.pathname}: no answer within ${endpoint.timeoutMs ?? 10_000} ms`)));
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

/** Parses Prometheus text exposition lines of `apiserver_requested_deprecated_apis` (value > 0). */
export function parseDeprecatedApis(metrics: string): DeprecatedApiInUse[] {
  const found: DeprecatedApiInUse[] = [];
  for (const line of metrics.split('\n')) {
    const m = /^apiserver_requested_deprecated_apis\{([^}]*)\}\s+(\S+)/.exec(line);
    if (!m || !(Number(m[2]) > 0)) continue;
    const labels: Record<string, string> = Object.create(null);
    for (const l of m[1]!.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    found.push({ group: labels.group ?? '', version: labels.version ?? '', resource: labels.resource ?? '', removedRelease: labels.removed_release || undefined, source: 'apiserver_requested_deprecated_apis' });
  }
  return found;
}

/** The probe of the cluster at `endpoint`. */
export function kubeClusterProbe(endpoint: KubeEndpoint, opts: KubeProbeOptions = {}): ClusterProbe {
  const namespaces = opts.systemNamespaces ?? ['kube-system'];
  const get = (path: string) => kubeRequest(endpoint, 'GET', path);
  const inSystem = (item: any) => namespaces.includes(item?.metadata?.namespace);

  return {
    async signals(): Promise<ClusterHealthSignals> {
      let version: { gitVersion?: string };
      try {
        version = await get('/version');
      } catch (err) {
        return { apiServer: { reachable: false, error: err instanceof Error ? err.message : String(err) }, nodes: [], workloads: [], systemPods: [] };
      }
      const [nodes, deployments, daemonsets, statefulsets, ...pods] = await Promise.all([
        get('/api/v1/nodes'),
        get('/apis/apps/v1/deployments'),
        get('/apis/apps/v1/daemonsets'),
        get('/apis/apps/v1/statefulsets'),
        ...namespaces.map((ns) => get(`/api/v1/namespaces/${encodeURIComponent(ns)}/pods`).catch((err) => (err instanceof KubeApiError && err.status === 404 ? { items: [] } : Promise.reject(err)))),
      ]);
      const nodeSignals: NodeSignal[] = (nodes.items ?? []).map((n: any) => ({
        name: n.metadata?.name ?? '',
        pool: POOL_LABELS.map((l) => n.metadata?.labels?.[l]).find((v) => typeof v === 'string'),
        ready: (n.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True'),
        kubeletVersion: n.status?.nodeInfo?.kubeletVersion ?? '',
      }));
      const workloads: WorkloadSignal[] = [
        ...(deployments.items ?? []).filter(inSystem).map((d: any) => ({ kind: 'Deployment' as const, namespace: d.metadata.namespace, name: d.metadata.name, desired: d.spec?.replicas ?? 1, updated: d.status?.updatedReplicas ?? 0, ready: d.status?.availableReplicas ?? 0 })),
        ...(statefulsets.items ?? []).filter(inSystem).map((d: any) => ({ kind: 'StatefulSet' as const, namespace: d.metadata.namespace, name: d.metadata.name, desired: d.spec?.replicas ?? 1, updated: d.status?.updatedReplicas ?? 0, ready: d.status?.readyReplicas ?? 0 })),
        ...(daemonsets.items ?? []).filter(inSystem).map((d: any) => ({ kind: 'DaemonSet' as const, namespace: d.metadata.namespace, name: d.metadata.name, desired: d.status?.desiredNumberScheduled ?? 0, updated: d.status?.updatedNumberScheduled ?? 0, ready: d.status?.numberAvailable ?? 0 })),
      ];
      const systemPods: PodSignal[] = pods.flatMap((list: any) =>
        (list.items ?? []).map((p: any) => {
          const statuses: any[] = p.status?.containerStatuses ?? [];
          return {
            namespace: p.metadata?.namespace ?? '',
            name: p.metadata?.name ?? '',
            restarts: statuses.reduce((n, c) => n + (c.restartCount ?? 0), 0),
            waitingReason: statuses.map((c) => c.state?.waiting?.reason).find((r) => typeof r === 'string'),
          };
        }),
      );
      return { apiServer: { reachable: true, gitVersion: version.gitVersion }, nodes: nodeSignals, workloads, systemPods };
    },

    async prometheus(query: string): Promise<number | undefined> {
      const [ns, service] = (opts.prometheusService ?? 'monitoring/prometheus-operated:9090').split('/') as [string, string];
      // the proxy path names the service as `[scheme:]name:port`, colons literal
      if (!/^[a-z0-9-]+(:[a-z0-9-]+){0,2}$/.test(service)) throw new Error(`prometheusService "${service}" must be name:port`);
      const answer = await get(`/api/v1/namespaces/${encodeURIComponent(ns)}/services/${service}/proxy/api/v1/query?query=${encodeURIComponent(query)}`);
      if (answer?.status !== 'success') throw new Error(`Prometheus: ${answer?.error ?? 'query failed'}`);
      const data = answer.data;
      const sample = data?.resultType === 'scalar' ? data.result : data?.resultType === 'vector' ? data.result?.[0]?.value : undefined;
      return sample === undefined ? undefined : Number(sample[1]);
    },

    async runJob(check: JobCheck, signal?: AbortSignal) {
      const ns = encodeURIComponent(check.namespace);
      const created = await kubeRequest(endpoint, 'POST', `/apis/batch/v1/namespaces/${ns}/jobs`, {
        body: {
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: { generateName: `kaas-check-${check.name}-`, labels: { 'app.kubernetes.io/managed-by': 'kaas', 'kaas.io/health-check': check.name } },
          spec: { backoffLimit: 0, ttlSecondsAfterFinished: 3600, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'check', image: check.image, command: check.command }] } } },
        },
      });
      const name = created.metadata?.name as string;
      const deadline = Date.now() + (opts.jobTimeoutMs ?? 600_000);
      for (;;) {
        const job = await get(`/apis/batch/v1/namespaces/${ns}/jobs/${encodeURIComponent(name)}`);
        const conditions: any[] = job.status?.conditions ?? [];
        const failed = conditions.find((c) => c.type === 'Failed' && c.status === 'True');
        if ((job.status?.succeeded ?? 0) > 0 || conditions.some((c) => c.type === 'Complete' && c.status === 'True')) return { succeeded: true, message: `job ${check.namespace}/${name} completed` };
        if (failed || (job.status?.failed ?? 0) > 0) return { succeeded: false, message: `job ${check.namespace}/${name} failed${failed?.reason ? `: ${failed.reason}` : ''}${failed?.message ? ` (${failed.message})` : ''}` };
        if (signal?.aborted || Date.now() > deadline) return { succeeded: false, message: `job ${check.namespace}/${name} did not finish in time` };
        await sleep(opts.jobPollMs ?? 2000);
      }
    },

    async preflight(): Promise<PreflightFindings> {
      const [metrics, pdbs] = await Promise.all([kubeRequest(endpoint, 'GET', '/metrics', { text: true }), get('/apis/policy/v1/poddisruptionbudgets')]);
      const blockingPdbs: BlockingPdb[] = (pdbs.items ?? [])
        .filter((p: any) => (p.status?.expectedPods ?? 0) > 0 && (p.status?.disruptionsAllowed ?? 0) === 0)
        .map((p: any) => ({ namespace: p.metadata.namespace, name: p.metadata.name, disruptionsAllowed: 0 }));
      // surge capacity is a cloud quota, not a Kubernetes signal: cluster-probe-for.ts adds it (withCloudSurge)
      return { deprecatedApis: parseDeprecatedApis(metrics), blockingPdbs, surge: [] };
    },
  };
}
