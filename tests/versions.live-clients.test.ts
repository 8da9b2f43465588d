/**
 * The live version clients against local HTTP(S) servers that answer in each cloud's documented
 * JSON format, with the real SDK pointed at them; and the fallback to the calendar when a call fails.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aksVersionSource, eksVersionSource, gkeVersionSource } from '../api/versions/cloud-version-clients.ts';
import { liveCloudVersions } from '../api/versions/version-list.ts';
import { DEFAULT_VERSION_POLICY } from '../platform/version-policy.ts';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
}

/** A server answering every request with `respond(req)`; records what it saw. */
async function serve(respond: (req: http.IncomingMessage) => { status: number; body: unknown; headers?: Record<string, string> }, tls?: { key: string; cert: string }) {
  const seen: Seen[] = [];
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    seen.push({ method: req.method!, url: req.url!, headers: req.headers });
    const r = respond(req);
    res.writeHead(r.status, { 'content-type': 'application/json', ...r.headers });
    res.end(JSON.stringify(r.body));
  };
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { port, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

const awsTarget = { cloud: 'aws' as const, region: 'eu-west-1', account: '123456789012' };
const creds = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' };

describe('EKS DescribeClusterVersions', () => {
  // Response syntax: https://docs.aws.amazon.com/eks/latest/APIReference/API_DescribeClusterVersions.html
  // (GET /cluster-versions; dates are epoch seconds in the REST-JSON protocol; paged by nextToken)
  it('reads every page and maps AWS’s dates and status', async () => {
    const server = await serve((req) => {
      const url = new URL(req.url!, 'http://x');
      if (url.searchParams.get('nextToken') === 'page-2') {
        return { status: 200, body: { clusterVersions: [{ clusterVersion: '1.31', clusterType: 'eks', releaseDate: 1727308800, endOfStandardSupportDate: 1764115200, endOfExtendedSupportDate: 1795651200, versionStatus: 'UNSUPPORTED', status: 'unsupported' }] } };
      }
      return {
        status: 200,
        body: {
          clusterVersions: [
            { clusterVersion: '1.35', clusterType: 'eks', defaultPlatformVersion: 'eks.5', defaultVersion: true, releaseDate: 1769472000, endOfStandardSupportDate: 1806105600, endOfExtendedSupportDate: 1837728000, kubernetesPatchVersion: '1.35.2', versionStatus: 'STANDARD_SUPPORT', status: 'standard-support' },
            { clusterVersion: '1.33', clusterType: 'eks', defaultVersion: false, releaseDate: 1748476800, endOfStandardSupportDate: 1785283200, endOfExtendedSupportDate: 1816819200, versionStatus: 'EXTENDED_SUPPORT', status: 'extended-support' },
          ],
          nextToken: 'page-2',
        },
      };
    });
    try {
      const minors = await eksVersionSource({ endpoint: `http://127.0.0.1:${server.port}`, credentials: creds }).listVersions(awsTarget);
      expect(minors).toEqual([
        { version: '1.35', default: true, endOfStandardSupport: '2027-03-27', endOfExtendedSupport: '2028-03-27', status: 'STANDARD_SUPPORT' },
        { version: '1.33', endOfStandardSupport: '2026-07-29', endOfExtendedSupport: '2027-07-29', status: 'EXTENDED_SUPPORT' },
        { version: '1.31', endOfStandardSupport: '2025-11-26', endOfExtendedSupport: '2026-11-26', status: 'UNSUPPORTED' },
      ]);
      expect(server.seen.map((s) => `${s.method} ${new URL(s.url, 'http://x').pathname}`)).toEqual(['GET /cluster-versions', 'GET /cluster-versions']);
      expect(new URL(server.seen[0]!.url, 'http://x').searchParams.get('clusterType')).toBe('eks');
      expect(server.seen[0]!.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/eks\/aws4_request/);
    } finally {
      await server.close();
    }
  });

  it('a refused call falls back to the calendar and says why', async () => {
    const server = await serve(() => ({ status: 403, body: { message: 'User is not authorized to perform: eks:DescribeClusterVersions' }, headers: { 'x-amzn-errortype': 'AccessDeniedException' } }));
    try {
      const result = await liveCloudVersions(DEFAULT_VERSION_POLICY, { name: 'aws-prod', ...awsTarget }, '2026-12-02', eksVersionSource({ endpoint: `http://127.0.0.1:${server.port}`, credentials: creds }));
      expect(result).toMatchObject({ list: 'static-fallback', target: 'aws-prod', liveError: expect.stringContaining('not authorized to perform: eks:DescribeClusterVersions') });
      expect(result.versions.map((v) => v.version)).toEqual(DEFAULT_VERSION_POLICY.aws.minors.map((m) => m.version));
    } finally {
      await server.close();
    }
  });

  it('nothing listening: falls back as well', async () => {
    const server = await serve(() => ({ status: 200, body: {} }));
    await server.close();
    const result = await liveCloudVersions(DEFAULT_VERSION_POLICY, { name: 'aws-prod', ...awsTarget }, '2026-12-02', eksVersionSource({ endpoint: `http://127.0.0.1:${server.port}`, credentials: creds }));
    expect(result).toMatchObject({ list: 'static-fallback', liveError: expect.any(String) });
  });
});

describe('GKE getServerConfig', () => {
  // ServerConfig: https://cloud.google.com/kubernetes-engine/docs/reference/rest/v1/ServerConfig
  // (GET https://container.googleapis.com/v1/{name=projects/*/locations/*}/serverConfig;
  // validMasterVersions: "List of valid master versions, in descending order" — full GKE versions
  // such as 1.35.2-gke.1962000, https://cloud.google.com/kubernetes-engine/versioning)
  it('maps valid master versions to minors, marks the default and names each minor’s newest patch release', async () => {
    const server = await serve(() => ({
      status: 200,
      body: {
        defaultClusterVersion: '1.35.2-gke.1962000',
        validNodeVersions: ['1.36.1-gke.1100000', '1.35.2-gke.1962000', '1.34.6-gke.1068000'],
        defaultImageType: 'COS_CONTAINERD',
        validImageTypes: ['COS_CONTAINERD', 'UBUNTU_CONTAINERD'],
        validMasterVersions: ['1.36.1-gke.1100000', '1.35.2-gke.1962000', '1.35.2-gke.1700000', '1.35.1-gke.1000000', '1.34.6-gke.1068000', '1.34.6-gke.900000'],
        channels: [{ channel: 'REGULAR', defaultVersion: '1.35.2-gke.1962000', validVersions: ['1.35.2-gke.1962000'] }],
      },
    }));
    try {
      const minors = await gkeVersionSource({ apiEndpoint: '127.0.0.1', port: server.port, protocol: 'http', apiKey: 'test-key', universeDomain: 'googleapis.com' }).listVersions({ cloud: 'gcp', region: 'europe-west1', account: 'my-project' });
      // the newest by GKE version order (patch, then gke build), not by position in the list
      expect(minors).toEqual([
        { version: '1.36', newestPatch: '1.36.1-gke.1100000' },
        { version: '1.35', default: true, newestPatch: '1.35.2-gke.1962000' },
        { version: '1.34', newestPatch: '1.34.6-gke.1068000' },
      ]);
      expect(server.seen).toHaveLength(1);
      expect(server.seen[0]!.method).toBe('GET');
      expect(new URL(server.seen[0]!.url, 'http://x').pathname).toBe('/v1/projects/my-project/locations/europe-west1/serverConfig');
    } finally {
      await server.close();
    }
  });
});

describe('AKS listKubernetesVersions', () => {
  let tls: { key: string; cert: string };
  let dir: string;
  beforeAll(() => {
    // the Azure SDK sends bearer tokens only over TLS: a throwaway self-signed certificate for 127.0.0.1
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-aks-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
    tls = { key: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8'), cert: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8') };
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  // KubernetesVersionListResult: https://learn.microsoft.com/en-us/rest/api/aks/managed-clusters/list-kubernetes-versions
  // (GET /subscriptions/{id}/providers/Microsoft.ContainerService/locations/{location}/kubernetesVersions;
  // KubernetesVersion.patchVersions: "Patch versions of Kubernetes release", a map keyed by the
  // patch release; isPreview marks the whole minor as a preview)
  it('lists the GA minors, the default, the support plans and each minor’s newest patch release; previews are left out', async () => {
    const server = await serve(
      () => ({
        status: 200,
        body: {
          values: [
            { version: '1.37', isPreview: true, capabilities: { supportPlan: ['KubernetesOfficial'] }, patchVersions: { '1.37.0': { upgrades: [] } } },
            { version: '1.36', capabilities: { supportPlan: ['KubernetesOfficial', 'AKSLongTermSupport'] }, patchVersions: { '1.36.10': { upgrades: [] }, '1.36.2': { upgrades: ['1.36.10'] } } },
            { version: '1.35', isDefault: true, capabilities: { supportPlan: ['KubernetesOfficial', 'AKSLongTermSupport'] }, patchVersions: { '1.35.4': { upgrades: ['1.36.2', '1.36.10'] }, '1.35.3': { upgrades: ['1.35.4'] } } },
            { version: '1.34', capabilities: { supportPlan: ['KubernetesOfficial'] } },
          ],
        },
      }),
      tls,
    );
    try {
      const credential = { getToken: async () => ({ token: 'test-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };
      const minors = await aksVersionSource({ endpoint: `https://127.0.0.1:${server.port}`, credential, tlsCa: tls.cert }).listVersions({ cloud: 'azure', region: 'westeurope', account: '00000000-0000-0000-0000-000000000001' });
      expect(minors).toEqual([
        // newest by patch number (1.36.10 after 1.36.2), whatever the map's key order
        { version: '1.36', status: 'KubernetesOfficial,AKSLongTermSupport', newestPatch: '1.36.10' },
        { version: '1.35', default: true, status: 'KubernetesOfficial,AKSLongTermSupport', newestPatch: '1.35.4' },
        // no patchVersions listed: no newest patch
        { version: '1.34', status: 'KubernetesOfficial' },
      ]);
      const url = new URL(server.seen[0]!.url, 'https://x');
      expect(url.pathname).toBe('/subscriptions/00000000-0000-0000-0000-000000000001/providers/Microsoft.ContainerService/locations/westeurope/kubernetesVersions');
      expect(url.searchParams.get('api-version')).toMatch(/^\d{4}-\d{2}-\d{2}/);
      expect(server.seen[0]!.headers.authorization).toBe('Bearer test-token');
    } finally {
      await server.close();
    }
  });
});
