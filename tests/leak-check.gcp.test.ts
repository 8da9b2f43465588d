/**
 * The GCP leak check through the real @google-cloud/asset client (REST transport) against a local
 * HTTP server answering in the documented format of Cloud Asset Inventory v1
 * `searchAllResources`: GET /v1/{scope}:searchAllResources?query&pageSize&pageToken →
 * `{ results: ResourceSearchResult[], nextPageToken }`, errors as `{ error: { code, message, status } }`
 * (https://cloud.google.com/asset-inventory/docs/reference/rest/v1/TopLevel/searchAllResources,
 * https://cloud.google.com/apis/design/errors#http_mapping). The auth client is google-auth-library's
 * OAuth2Client holding a fixed access token, so nothing talks to Google.
 */
import http from 'node:http';
import type net from 'node:net';
import { OAuth2Client } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../api/config.ts';
import type { TargetRow } from '../api/db/schema.ts';
import { findLeaks } from '../api/worker/leak-check.ts';
import { gcpInventory } from '../api/worker/leaks/gcp.ts';

const PROJECT = 'kaas-project';
const CLUSTER = 'c0ffee42';
const asset = (n: number, cluster = CLUSTER) => ({
  name: `//compute.googleapis.com/projects/${PROJECT}/zones/europe-west1-b/disks/gke-kaas-${cluster}-pool-${n}`,
  assetType: 'compute.googleapis.com/Disk',
  project: `projects/123456789`,
  displayName: `gke-kaas-${cluster}-pool-${n}`,
  location: 'europe-west1-b',
  labels: { 'kaas-cluster-id': cluster, 'managed-by': 'kaas' },
});
// the server's inventory: 5 of this cluster's resources, 2 of another's
const INVENTORY = [1, 2, 3, 4, 5].map((n) => asset(n)).concat([asset(6, 'cother0001'), asset(7, 'cother0001')]);

const requests: Array<{ url: URL; authorization?: string }> = [];
let failWith: { code: number; status: string; message: string } | undefined;

const server = http.createServer((req, res) => {
  const url = new URL(req.url!, 'http://localhost');
  requests.push({ url, authorization: req.headers.authorization });
  const send = (code: number, body: unknown) => {
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (failWith) return send(failWith.code, { error: failWith });
  const m = /^\/v1\/(projects\/[^/:]+):searchAllResources$/.exec(url.pathname);
  if (req.method !== 'GET' || !m) return send(404, { error: { code: 404, status: 'NOT_FOUND', message: `no route ${req.method} ${url.pathname}` } });
  // `labels.<key>:<value>` matches resources whose label <key> has <value>
  const q = /^labels\.([a-z0-9_-]+):([a-z0-9_-]+)$/.exec(url.searchParams.get('query') ?? '');
  if (!q) return send(400, { error: { code: 400, status: 'INVALID_ARGUMENT', message: 'Invalid query' } });
  const matching = INVENTORY.filter((a) => (a.labels as Record<string, string>)[q[1]!] === q[2]);
  const size = Number(url.searchParams.get('pageSize') ?? 500);
  const start = Number(url.searchParams.get('pageToken') || 0);
  const page = matching.slice(start, start + size);
  const next = start + size < matching.length ? String(start + size) : '';
  send(200, { results: page, ...(next ? { nextPageToken: next } : {}) });
});

let port = 0;
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

function fakeAuth(): OAuth2Client {
  const auth = new OAuth2Client();
  auth.setCredentials({ access_token: 'fake-token', expiry_date: Date.now() + 3_600_000 });
  return auth;
}

const inventory = (pageSize?: number) =>
  gcpInventory({ project: PROJECT, pageSize, client: { apiEndpoint: '127.0.0.1', port, protocol: 'http', authClient: fakeAuth() as any } });

describe('GCP leak check (Cloud Asset Inventory, local server)', () => {
  it('asks searchAllResources for the cluster label in the target project and follows every page', async () => {
    requests.length = 0;
    failWith = undefined;
    const found = await inventory(2).taggedResources(CLUSTER);
    expect(found).toEqual([1, 2, 3, 4, 5].map((n) => asset(n).name));
    expect(requests).toHaveLength(3);
    expect(requests[0]!.url.pathname).toBe(`/v1/projects/${PROJECT}:searchAllResources`);
    expect(requests[0]!.url.searchParams.get('query')).toBe(`labels.kaas-cluster-id:${CLUSTER}`);
    expect(requests.map((r) => r.url.searchParams.get('pageToken') ?? '')).toEqual(['', '2', '4']);
    expect(requests[0]!.authorization).toBe('Bearer fake-token');
  });

  it('an API error (PERMISSION_DENIED) means the check did not run, with the error', async () => {
    failWith = { code: 403, status: 'PERMISSION_DENIED', message: 'The caller does not have permission cloudasset.assets.searchAllResources' };
    try {
      const target = { name: 'gcp-prod', cloud: 'gcp', region: 'europe-west1', account: PROJECT } as TargetRow;
      const report = await findLeaks({ cloudCredentialEnv: {} } as unknown as Readonly<Config>, target, CLUSTER, {
        env: { GOOGLE_APPLICATION_CREDENTIALS: '/var/run/secrets/gcp.json' },
        inventory: inventory(),
      });
      expect(report.ran).toBe(false);
      expect(!report.ran && report.reason).toMatch(/^gcp inventory query failed: .*cloudasset\.assets\.searchAllResources/);
    } finally {
      failWith = undefined;
    }
  });
});
