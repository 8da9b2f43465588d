/**
 * The GKE deprecation insights reader (api/worker/health/gke-insights.ts) through the real
 * `@google-cloud/recommender` client on its REST transport, against a local server answering the
 * documented Recommender REST shape: `GET /v1/{parent=projects/*\/locations/*\/insightTypes/*}/insights`
 * returning `{ insights: Insight[], nextPageToken }`
 * (https://cloud.google.com/recommender/docs/reference/rest/v1/projects.locations.insightTypes.insights/list,
 * Insight: https://cloud.google.com/recommender/docs/reference/rest/v1/projects.locations.insightTypes.insights#Insight).
 * Subtypes per removal: https://cloud.google.com/kubernetes-engine/docs/deprecations/viewing-deprecation-insights-and-recommendations.
 * The insight `content` is an undocumented Struct; the API paths in it here are the test's own choice.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OAuth2Client } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deprecationsOfInsights, gkeDeprecationInsights, removalMinorOfSubtype } from '../api/worker/health/gke-insights.ts';

const P = 'projects/demo-proj/locations/europe-west1/insightTypes/google.container.DiagnosisInsight';
const CLUSTER = '//container.googleapis.com/projects/demo-proj/locations/europe-west1/clusters/kaas-c1';

const insight = (id: string, subtype: string, target: string, content: unknown, state = 'ACTIVE') => ({
  name: `${P}/insights/${id}`,
  description: 'Your cluster is using APIs that are deprecated',
  insightSubtype: subtype,
  category: 'RELIABILITY',
  severity: 'HIGH',
  targetResources: [target],
  content,
  stateInfo: { state },
  lastRefreshTime: '2026-11-30T00:00:00Z',
  observationPeriod: '2592000s',
  etag: '"abc"',
});

describe('GKE deprecation insights as preflight findings', () => {
  let server: http.Server;
  let endpoint: string;
  const seen: { url: string; authorization: string | undefined }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push({ url: req.url!, authorization: req.headers.authorization });
      res.setHeader('content-type', 'application/json');
      const url = new URL(req.url!, 'http://x');
      if (req.method === 'GET' && url.pathname === `/v1/${P}/insights`) {
        if (!url.searchParams.get('pageToken')) {
          return res.end(JSON.stringify({
            insights: [
              insight('i1', 'DEPRECATION_K8S_1_32_API', CLUSTER, { deprecatedApis: ['/apis/flowcontrol.apiserver.k8s.io/v1beta3/flowschemas'] }),
              // another cluster of the project, same subtype: not this cluster's
              insight('i2', 'DEPRECATION_K8S_1_32_API', `${CLUSTER}-other`, { deprecatedApis: ['/apis/flowcontrol.apiserver.k8s.io/v1beta3/prioritylevelconfigurations'] }),
            ],
            nextPageToken: 'page-2',
          }));
        }
        return res.end(JSON.stringify({
          insights: [
            // removed in a later minor: not for this hop
            insight('i3', 'DEPRECATION_K8S_1_33_API', CLUSTER, { deprecatedApis: ['/apis/example.k8s.io/v1beta1/widgets'] }),
            // names no API: still blocks, by its subtype
            insight('i4', 'DEPRECATION_K8S_1_32_CONTAINERD', CLUSTER, { description: 'containerd config' }),
          ],
        }));
      }
      res.statusCode = 404;
      res.end(JSON.stringify({ error: { code: 404, message: `no route ${req.method} ${req.url}`, status: 'NOT_FOUND' } }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('lists what this cluster still calls that the next minor removes, over every page', async () => {
    const authClient = new OAuth2Client();
    authClient.setCredentials({ access_token: 'static-test-token', expiry_date: Date.now() + 3_600_000 });
    const found = await gkeDeprecationInsights('demo-proj', 'europe-west1', 'kaas-c1', '1.32', { endpoint, authClient });
    expect(found).toEqual([
      { group: 'flowcontrol.apiserver.k8s.io', version: 'v1beta3', resource: 'flowschemas', removedRelease: '1.32', source: 'gke-deprecation-insights' },
      { group: '', version: '', resource: 'DEPRECATION_K8S_1_32_CONTAINERD', removedRelease: '1.32', source: 'gke-deprecation-insights' },
    ]);
    expect(seen).toHaveLength(2);
    const first = new URL(seen[0]!.url, 'http://x');
    expect(first.searchParams.get('filter')).toBe('stateInfo.state = ACTIVE');
    expect(seen[0]!.authorization).toBe('Bearer static-test-token');
    expect(new URL(seen[1]!.url, 'http://x').searchParams.get('pageToken')).toBe('page-2');
  });

  it('reads nothing for a cluster with no insights, and skips dismissed ones', () => {
    const dismissed = insight('i5', 'DEPRECATION_K8S_1_32_API', CLUSTER, { deprecatedApis: ['/apis/a.k8s.io/v1beta1/bs'] }, 'DISMISSED');
    expect(deprecationsOfInsights([dismissed], CLUSTER, '1.32')).toEqual([]);
    expect(deprecationsOfInsights([], CLUSTER, '1.32')).toEqual([]);
  });

  it('reads the removal minor from the subtype', () => {
    expect(removalMinorOfSubtype('DEPRECATION_K8S_1_25_PODSECURITYPOLICY')).toBe('1.25');
    expect(removalMinorOfSubtype('DEPRECATION_K8S_1_29_API')).toBe('1.29');
    expect(removalMinorOfSubtype('DEPRECATION_K8S_SHA_1_CERTIFICATE')).toBeUndefined();
  });
});
