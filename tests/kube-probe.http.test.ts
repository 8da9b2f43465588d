/**
 * The Kubernetes API reader of health gates and preflight (api/worker/health/kube-probe.ts) against
 * a local HTTP server answering with the documented Kubernetes API shapes
 * (https://kubernetes.io/docs/reference/kubernetes-api/: Node, Deployment, DaemonSet, Pod,
 * PodDisruptionBudget, Job; `/version`; `/metrics` in the Prometheus text format with
 * `apiserver_requested_deprecated_apis`), and the Prometheus HTTP API through the API server's
 * service proxy (https://prometheus.io/docs/prometheus/latest/querying/api/). The bearer token
 * comes from the kubeconfig's exec plugin, run the way kubectl runs it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { endpointOfKubeconfig } from '../api/worker/health/cluster-probe-for.ts';
import { kubeClusterProbe, parseDeprecatedApis } from '../api/worker/health/kube-probe.ts';
import { evaluateHealth } from '../platform/health-gate.ts';
import { preflightBlockers } from '../platform/upgrade-preflight.ts';

const list = (kind: string, items: unknown[]) => ({ kind: `${kind}List`, apiVersion: 'v1', metadata: { resourceVersion: '1' }, items });
const node = (name: string, pool: string, ready: boolean, kubelet: string) => ({
  metadata: { name, labels: { 'eks.amazonaws.com/nodegroup': pool } },
  status: { conditions: [{ type: 'MemoryPressure', status: 'False' }, { type: 'Ready', status: ready ? 'True' : 'False' }], nodeInfo: { kubeletVersion: kubelet } },
});

describe('the Kubernetes API health and preflight reader', () => {
  let server: http.Server;
  let url: string;
  const seen: { method: string; path: string; auth: string | undefined; body?: any }[] = [];
  let jobPolls = 0;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const u = new URL(req.url!, 'http://x');
        const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
        seen.push({ method: req.method!, path: u.pathname + u.search, auth: req.headers.authorization, body });
        const json = (status: number, doc: unknown) => (res.writeHead(status, { 'content-type': 'application/json' }), res.end(JSON.stringify(doc)));
        if (req.headers.authorization !== 'Bearer t0k-from-exec') return json(401, { kind: 'Status', status: 'Failure', message: 'Unauthorized', code: 401 });
        switch (u.pathname) {
          case '/version':
            return json(200, { major: '1', minor: '33', gitVersion: 'v1.33.5-eks-113cf36', platform: 'linux/amd64' });
          case '/api/v1/nodes':
            return json(200, list('Node', [node('ip-10-0-1-1', 'general', true, 'v1.32.9-eks-1'), node('ip-10-0-1-2', 'general', false, 'v1.32.9-eks-1')]));
          case '/apis/apps/v1/deployments':
            return json(200, list('Deployment', [
              { metadata: { namespace: 'kube-system', name: 'coredns' }, spec: { replicas: 2 }, status: { replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2 } },
              { metadata: { namespace: 'monitoring', name: 'grafana' }, spec: { replicas: 1 }, status: { replicas: 1, updatedReplicas: 0, readyReplicas: 1, availableReplicas: 1 } },
              { metadata: { namespace: 'shop', name: 'web' }, spec: { replicas: 3 }, status: { replicas: 3, updatedReplicas: 0, availableReplicas: 0 } },
            ]));
          case '/apis/apps/v1/daemonsets':
            return json(200, list('DaemonSet', [{ metadata: { namespace: 'kube-system', name: 'kube-proxy' }, status: { desiredNumberScheduled: 2, updatedNumberScheduled: 2, numberReady: 1, numberAvailable: 1 } }]));
          case '/apis/apps/v1/statefulsets':
            return json(200, list('StatefulSet', []));
          case '/api/v1/namespaces/kube-system/pods':
            return json(200, list('Pod', [{ metadata: { namespace: 'kube-system', name: 'aws-node-x' }, status: { containerStatuses: [{ name: 'aws-node', restartCount: 9, state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s' } } }] } }]));
          case '/api/v1/namespaces/monitoring/pods':
            return json(404, { kind: 'Status', status: 'Failure', reason: 'NotFound', code: 404, message: 'namespaces "monitoring" not found' });
          case '/metrics':
            res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
            return res.end([
              '# HELP apiserver_requested_deprecated_apis [STABLE] Gauge of deprecated APIs that have been requested, broken out by API group, version, resource, subresource, and removed_release.',
              '# TYPE apiserver_requested_deprecated_apis gauge',
              'apiserver_requested_deprecated_apis{group="flowcontrol.apiserver.k8s.io",removed_release="1.32",resource="flowschemas",subresource="",version="v1beta3"} 1',
              'apiserver_requested_deprecated_apis{group="",removed_release="",resource="componentstatuses",subresource="",version="v1"} 1',
              'apiserver_request_total{code="200"} 5',
              '',
            ].join('\n'));
          case '/apis/policy/v1/poddisruptionbudgets':
            return json(200, list('PodDisruptionBudget', [
              { metadata: { namespace: 'shop', name: 'db' }, spec: { minAvailable: 1 }, status: { currentHealthy: 1, desiredHealthy: 1, disruptionsAllowed: 0, expectedPods: 1 } },
              { metadata: { namespace: 'shop', name: 'web' }, status: { currentHealthy: 3, desiredHealthy: 2, disruptionsAllowed: 1, expectedPods: 3 } },
              { metadata: { namespace: 'shop', name: 'empty' }, status: { disruptionsAllowed: 0, expectedPods: 0 } },
            ]));
          case '/api/v1/namespaces/monitoring/services/prometheus-operated:9090/proxy/api/v1/query':
            return json(200, { status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1733100000.1, u.searchParams.get('query') === 'up' ? '1' : '0.12'] }] } });
          case '/apis/batch/v1/namespaces/default/jobs':
            return json(201, { ...body, metadata: { ...body.metadata, name: 'kaas-check-smoke-abc12', namespace: 'default' }, status: {} });
          case '/apis/batch/v1/namespaces/default/jobs/kaas-check-smoke-abc12':
            jobPolls += 1;
            return json(200, { metadata: { name: 'kaas-check-smoke-abc12' }, status: jobPolls < 2 ? { active: 1 } : { failed: 1, conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }] } });
          default:
            return json(404, { kind: 'Status', code: 404, message: `no route ${u.pathname}` });
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  const kubeconfig = () =>
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: url, 'certificate-authority-data': Buffer.from('-----BEGIN CERTIFICATE-----\n').toString('base64') } }],
      contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
      'current-context': 'c',
      users: [{ name: 'u', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: process.execPath, args: ['-e', "console.log(JSON.stringify({kind:'ExecCredential',apiVersion:'client.authentication.k8s.io/v1beta1',status:{token:'t0k-from-'+process.env.WHO}}))"], env: [{ name: 'WHO', value: 'exec' }] } } }],
    });

  it('reads the gate signals with the exec plugin token and evaluates them', async () => {
    const probe = kubeClusterProbe(endpointOfKubeconfig(kubeconfig(), process.env), { systemNamespaces: ['kube-system', 'monitoring'] });
    const signals = await probe.signals();
    expect(signals.apiServer).toEqual({ reachable: true, gitVersion: 'v1.33.5-eks-113cf36' });
    expect(signals.nodes).toEqual([
      { name: 'ip-10-0-1-1', pool: 'general', ready: true, kubeletVersion: 'v1.32.9-eks-1' },
      { name: 'ip-10-0-1-2', pool: 'general', ready: false, kubeletVersion: 'v1.32.9-eks-1' },
    ]);
    // only system namespaces count; the team's own workloads are not the platform's to gate on
    expect(signals.workloads.map((w) => `${w.kind} ${w.namespace}/${w.name} ${w.ready}/${w.desired} u${w.updated}`)).toEqual(['Deployment kube-system/coredns 2/2 u2', 'Deployment monitoring/grafana 1/1 u0', 'DaemonSet kube-system/kube-proxy 1/2 u2']);
    expect(signals.systemPods).toEqual([{ namespace: 'kube-system', name: 'aws-node-x', restarts: 9, waitingReason: 'CrashLoopBackOff' }]);
    expect(evaluateHealth(signals, { controlPlane: '1.33', pools: { general: '1.32' } }).filter((r) => !r.ok).map((r) => r.check)).toEqual(['nodes-ready', 'addons-rolled-out', 'system-pods']);
    expect(seen.every((s) => s.auth === 'Bearer t0k-from-exec')).toBe(true);
  });

  it('says the API server is unreachable instead of throwing', async () => {
    const probe = kubeClusterProbe({ server: 'http://127.0.0.1:1', timeoutMs: 2000 });
    expect((await probe.signals()).apiServer).toMatchObject({ reachable: false, error: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('reads deprecated APIs in use and PDBs that would stall a drain, for preflight', async () => {
    const probe = kubeClusterProbe(endpointOfKubeconfig(kubeconfig(), process.env));
    const findings = await probe.preflight('1.32', ['general']);
    expect(findings.deprecatedApis).toEqual([
      { group: 'flowcontrol.apiserver.k8s.io', version: 'v1beta3', resource: 'flowschemas', removedRelease: '1.32', source: 'apiserver_requested_deprecated_apis' },
      { group: '', version: 'v1', resource: 'componentstatuses', removedRelease: undefined, source: 'apiserver_requested_deprecated_apis' },
    ]);
    expect(findings.blockingPdbs).toEqual([{ namespace: 'shop', name: 'db', disruptionsAllowed: 0 }]);
    expect(preflightBlockers(findings, { nextMinor: '1.32', pools: ['general'] }).map((b) => b.check)).toEqual(['deprecated-api', 'deprecated-api', 'pod-disruption-budget']);
    expect(parseDeprecatedApis('apiserver_requested_deprecated_apis{group="batch",removed_release="1.25",resource="cronjobs",version="v1beta1"} 0')).toEqual([]);
  });

  it('queries Prometheus through the service proxy and runs a Job to its end', async () => {
    const probe = kubeClusterProbe(endpointOfKubeconfig(kubeconfig(), process.env), { jobPollMs: 10 });
    expect(await probe.prometheus('up')).toBe(1);
    expect(await probe.prometheus('sum(rate(http_requests_total{code=~"5.."}[5m]))')).toBe(0.12);
    const run = await probe.runJob({ name: 'smoke', namespace: 'default', image: 'curlimages/curl:8.11.0', command: ['curl', '-f', 'http://web.shop'] });
    expect(run).toEqual({ succeeded: false, message: 'job default/kaas-check-smoke-abc12 failed: BackoffLimitExceeded (Job has reached the specified backoff limit)' });
    const created = seen.find((s) => s.method === 'POST')!;
    expect(created.body).toMatchObject({ apiVersion: 'batch/v1', kind: 'Job', metadata: { generateName: 'kaas-check-smoke-' }, spec: { backoffLimit: 0, template: { spec: { restartPolicy: 'Never', containers: [{ image: 'curlimages/curl:8.11.0', command: ['curl', '-f', 'http://web.shop'] }] } } } });
  });
});
