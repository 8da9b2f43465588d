/**
 * The GKE surge-capacity reader (api/worker/health/gcp-surge-quota.ts), signed by the real
 * google-auth-library client, against a local server answering the documented Compute Engine REST
 * shapes:
 * - `GET /compute/v1/projects/{project}/regions/{region}` → Region `{ name, quotas: [{ metric, limit, usage }], zones: [url] }`
 *   (https://cloud.google.com/compute/docs/reference/rest/v1/regions/get, https://cloud.google.com/compute/docs/reference/rest/v1/regions#Region);
 * - `GET /compute/v1/projects/{project}/zones/{zone}/machineTypes/{machineType}` → MachineType `{ name, guestCpus, … }`
 *   (https://cloud.google.com/compute/docs/reference/rest/v1/machineTypes/get);
 * - errors `{ error: { code, message, errors: [{ reason }] } }` (https://cloud.google.com/compute/docs/api/handle-errors).
 * CPU quota metrics per family (`CPUS`, `N2_CPUS`, …): https://cloud.google.com/compute/resource-usage#cpu_quota.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { OAuth2Client } from 'google-auth-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gceCpuMetric, gcpSurgeCapacity } from '../api/worker/health/gcp-surge-quota.ts';

const PROJECT = 'demo-proj';
const REGION = 'europe-west1';
const zone = (z: string) => `https://www.googleapis.com/compute/v1/projects/${PROJECT}/zones/${z}`;
const MACHINES: Record<string, Record<string, number>> = {
  // e2-standard-4 is not offered in zone b here: the reader tries the next zone
  'europe-west1-c': { 'e2-standard-4': 4, 'n2-standard-8': 8 },
  'europe-west1-b': { 'n2-standard-8': 8 },
};

describe('GKE surge capacity against the Compute Engine REST API', () => {
  let server: http.Server;
  let endpoint: string;
  let forbid = false;
  const seen: { url: string; authorization: string | undefined }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push({ url: req.url!, authorization: req.headers.authorization });
      res.setHeader('content-type', 'application/json');
      const send = (code: number, body: unknown) => {
        res.statusCode = code;
        res.end(JSON.stringify(body));
      };
      const url = new URL(req.url!, 'http://x');
      if (url.pathname === `/compute/v1/projects/${PROJECT}/regions/${REGION}`) {
        if (forbid) return send(403, { error: { code: 403, message: `Required 'compute.regions.get' permission for 'projects/${PROJECT}/regions/${REGION}'`, errors: [{ message: 'x', domain: 'global', reason: 'forbidden' }] } });
        return send(200, {
          kind: 'compute#region',
          name: REGION,
          status: 'UP',
          quotas: [
            { metric: 'CPUS', limit: 24, usage: 20 },
            { metric: 'N2_CPUS', limit: 100, usage: 90 },
            { metric: 'IN_USE_ADDRESSES', limit: 8, usage: 1 },
          ],
          zones: [zone('europe-west1-b'), zone('europe-west1-c'), zone('europe-west1-d')],
        });
      }
      const m = /^\/compute\/v1\/projects\/demo-proj\/zones\/([^/]+)\/machineTypes\/([^/]+)$/.exec(url.pathname);
      const cpus = m ? MACHINES[m[1]!]?.[m[2]!] : undefined;
      if (m && cpus) return send(200, { kind: 'compute#machineType', name: m[2], guestCpus: cpus, memoryMb: cpus * 4096, zone: m[1] });
      return send(404, { error: { code: 404, message: `The resource '${url.pathname}' was not found`, errors: [{ reason: 'notFound' }] } });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
  });

  const authClient = () => {
    const c = new OAuth2Client();
    c.setCredentials({ access_token: 'static-test-token', expiry_date: Date.now() + 3_600_000 });
    return c;
  };

  it("subtracts usage from each family's regional CPU quota and divides by guestCpus", async () => {
    const { surge, warnings } = await gcpSurgeCapacity(PROJECT, REGION, [
      { pool: 'general', machineType: 'e2-standard-4', nodes: 2, why: 'maxSurge 2' },
      { pool: 'batch', machineType: 'n2-standard-8', nodes: 1, why: 'maxSurge 1' },
      { pool: 'odd', machineType: 'zz-standard-1', nodes: 1, why: 'maxSurge 1' },
    ], { endpoint, authClient: authClient() });
    expect(surge).toEqual([
      // CPUS: 24 − 20 = 4 free, 4 per node → 1 of the 2
      { pool: 'general', needed: 2, available: 1, quota: 'Compute Engine quota CPUS in europe-west1: 4 of 24 vCPUs free, 4 vCPUs per e2-standard-4 node (maxSurge 2)' },
      // N2_CPUS: 100 − 90 = 10 free, 8 per node → 1
      { pool: 'batch', needed: 1, available: 1, quota: 'Compute Engine quota N2_CPUS in europe-west1: 10 of 100 vCPUs free, 8 vCPUs per n2-standard-8 node (maxSurge 1)' },
    ]);
    expect(warnings).toEqual([{ check: 'surge-capacity', message: 'surge capacity of node pool(s) odd was not checked: Compute Engine machineTypes.get does not know machine type zz-standard-1 in europe-west1' }]);
    expect(seen.every((s) => s.authorization === 'Bearer static-test-token')).toBe(true);
  });

  it('a refused read is a warning naming the API and the permission, not a throw', async () => {
    forbid = true;
    try {
      const { surge, warnings } = await gcpSurgeCapacity(PROJECT, REGION, [{ pool: 'general', machineType: 'e2-standard-4', nodes: 2, why: '' }], { endpoint, authClient: authClient() });
      expect(surge).toEqual([]);
      expect(warnings).toEqual([
        { check: 'surge-capacity', message: `surge capacity of node pool(s) general was not checked: Compute Engine regions.get failed (HTTP 403: Required 'compute.regions.get' permission for 'projects/${PROJECT}/regions/${REGION}'); the worker's Google identity needs compute.regions.get` },
      ]);
    } finally {
      forbid = false;
    }
  });

  it('maps machine families to their CPU quota metric', () => {
    const metrics = new Set(['CPUS', 'N2_CPUS', 'N2D_CPUS', 'C3_CPUS']);
    expect(['e2-standard-4', 'n1-standard-4', 'custom-4-16384', 'n2-standard-8', 'n2d-standard-4', 'c3-standard-8'].map((t) => gceCpuMetric(t, metrics))).toEqual(['CPUS', 'CPUS', 'CPUS', 'N2_CPUS', 'N2D_CPUS', 'C3_CPUS']);
  });
});
