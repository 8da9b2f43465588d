/**
 * The EKS upgrade insights reader (api/worker/health/eks-insights.ts) through the real AWS SDK
 * against a local server answering the documented EKS REST shapes: ListInsights
 * (`POST /clusters/{name}/insights`, https://docs.aws.amazon.com/eks/latest/APIReference/API_ListInsights.html)
 * and DescribeInsight (`GET /clusters/{name}/insights/{id}`,
 * https://docs.aws.amazon.com/eks/latest/APIReference/API_DescribeInsight.html).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eksUpgradeInsights, parseApiUsage } from '../api/worker/health/eks-insights.ts';

describe('EKS upgrade insights as preflight findings', () => {
  let server: http.Server;
  let endpoint: string;
  const seen: { method: string; url: string; body: any }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
        seen.push({ method: req.method!, url: req.url!, body });
        res.setHeader('content-type', 'application/json');
        if (req.method === 'POST' && req.url === '/clusters/prod-eu/insights') {
          return res.end(JSON.stringify({ insights: [{ id: 'ins-1', name: 'Deprecated APIs removed in Kubernetes v1.32', category: 'UPGRADE_READINESS', kubernetesVersion: '1.32', insightStatus: { status: 'ERROR', reason: 'Deprecated API usage detected' } }] }));
        }
        if (req.method === 'GET' && req.url === '/clusters/prod-eu/insights/ins-1') {
          return res.end(JSON.stringify({
            insight: {
              id: 'ins-1', category: 'UPGRADE_READINESS', kubernetesVersion: '1.32', insightStatus: { status: 'ERROR' },
              categorySpecificSummary: {
                deprecationDetails: [
                  { usage: '/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas', replacedWith: '/apis/flowcontrol.apiserver.k8s.io/v1/flowschemas', stopServingVersion: '1.32', startServingReplacementVersion: '1.29', clientStats: [{ userAgent: 'kube-prometheus', numberOfRequestsLast30Days: 120, lastRequestTime: 1733000000 }] },
                  { usage: '/apis/flowcontrol.apiserver.k8s.io/v1beta3/prioritylevelconfigurations', stopServingVersion: '1.32', clientStats: [] },
                ],
              },
            },
          }));
        }
        res.statusCode = 404;
        res.end(JSON.stringify({ message: `no route ${req.method} ${req.url}` }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('lists the deprecated APIs still called before the upgrade to the next minor', async () => {
    const found = await eksUpgradeInsights('prod-eu', '1.32', { region: 'eu-west-1', endpoint, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
    // the one without clients is not in use
    expect(found).toEqual([{ group: 'flowcontrol.apiserver.k8s.io', version: 'v1beta3', resource: 'flowschemas', removedRelease: '1.32', source: 'eks-upgrade-insights' }]);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/clusters/prod-eu/insights', body: { filter: { categories: ['UPGRADE_READINESS'], kubernetesVersions: ['1.32'], statuses: ['ERROR', 'WARNING'] } } });
  });

  it('parses core and group API paths', () => {
    expect(parseApiUsage('/api/v1/componentstatuses')).toEqual({ group: '', version: 'v1', resource: 'componentstatuses' });
    expect(parseApiUsage('/healthz')).toBeUndefined();
  });
});
