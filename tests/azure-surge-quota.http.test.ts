/**
 * The AKS surge-capacity reader (api/worker/health/azure-surge-quota.ts, through the real
 * @azure/arm-compute client) against a local HTTPS server answering the documented ARM shapes,
 * with a fixed-token TokenCredential (nothing talks to Entra ID):
 * - Usage - List, `GET /subscriptions/{id}/providers/Microsoft.Compute/locations/{location}/usages?api-version=…`
 *   → `{ value: [{ unit: 'Count', currentValue, limit, name: { value, localizedValue } }], nextLink }`
 *   (https://learn.microsoft.com/rest/api/compute/usage/list);
 * - Resource Skus - List, `GET /subscriptions/{id}/providers/Microsoft.Compute/skus?api-version=2021-07-01&$filter=location eq '…'`
 *   → `{ value: [{ resourceType, name, tier, size, family, locations, capabilities: [{ name, value }] }], nextLink }`
 *   (https://learn.microsoft.com/rest/api/compute/resource-skus/list);
 * - errors as CloudError `{ error: { code, message } }`.
 * A VM counts against its family's vCPUs and the regional total `cores` (https://learn.microsoft.com/azure/virtual-machines/quotas).
 * The api-version is the client's own (any is accepted, and a nextLink carries the one asked with,
 * as ARM's do). HTTPS because the SDK refuses bearer tokens over plain HTTP (self-signed
 * certificate from openssl, handed to the client's `tlsOptions.ca`, as tests/aks-power.azure.test.ts does).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { TokenCredential } from '@azure/core-auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { azureSurgeCapacity } from '../api/worker/health/azure-surge-quota.ts';

const SUB = '00000000-0000-0000-0000-000000000001';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-azure-quota-tls-'));
execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
const cert = fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8');
const LOC = 'westeurope';
const credential: TokenCredential = { getToken: async () => ({ token: 'static-arm-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };
const usage = (value: string, localizedValue: string, currentValue: number, limit: number) => ({ unit: 'Count', currentValue, limit, name: { value, localizedValue } });
const sku = (name: string, family: string, vcpus: number) => ({ resourceType: 'virtualMachines', name, tier: 'Standard', size: name.replace('Standard_', ''), family, locations: [LOC], capabilities: [{ name: 'vCPUs', value: String(vcpus) }, { name: 'MemoryGB', value: String(vcpus * 4) }], restrictions: [] });

describe('AKS surge capacity against the ARM Compute usages and SKUs', () => {
  let server: https.Server;
  let endpoint: string;
  let deny = false;
  const seen: { url: string; authorization: string | undefined }[] = [];

  beforeAll(async () => {
    server = https.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert }, (req, res) => {
      seen.push({ url: req.url!, authorization: req.headers.authorization });
      res.setHeader('content-type', 'application/json');
      const send = (code: number, body: unknown) => {
        res.statusCode = code;
        res.end(JSON.stringify(body));
      };
      const url = new URL(req.url!, 'http://x');
      const base = `/subscriptions/${SUB}/providers/Microsoft.Compute`;
      const apiVersion = url.searchParams.get('api-version');
      if (!apiVersion) return send(400, { error: { code: 'MissingApiVersionParameter', message: 'The api-version query parameter (?api-version=) is required for all requests.' } });
      if (url.pathname === `${base}/locations/${LOC}/usages`) {
        if (deny) return send(403, { error: { code: 'AuthorizationFailed', message: `The client 'kaas-worker' does not have authorization to perform action 'Microsoft.Compute/locations/usages/read' over scope '/subscriptions/${SUB}'` } });
        if (url.searchParams.get('page') === '2') return send(200, { value: [usage('standardDSv3Family', 'Standard DSv3 Family vCPUs', 8, 20), usage('standardDv5Family', 'Standard Dv5 Family vCPUs', 0, 100)] });
        return send(200, { value: [usage('availabilitySets', 'Availability Sets', 1, 2500), usage('cores', 'Total Regional vCPUs', 14, 30)], nextLink: `${endpoint}${base}/locations/${LOC}/usages?api-version=${apiVersion}&page=2` });
      }
      if (url.pathname === `${base}/skus` && url.searchParams.get('$filter') === `location eq '${LOC}'`) {
        return send(200, { value: [sku('Standard_D4s_v3', 'standardDSv3Family', 4), sku('Standard_D8_v5', 'standardDv5Family', 8), { resourceType: 'disks', name: 'Premium_LRS', locations: [LOC], capabilities: [] }] });
      }
      return send(404, { error: { code: 'NotFound', message: `no route ${url.pathname}` } });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((r) => server.close(r));
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const client = { tlsOptions: { ca: cert } as any, retryOptions: { maxRetries: 0 } };

  it('takes the tighter of the family and the regional total, limit − currentValue, over vCPUs per size', async () => {
    const { surge, warnings } = await azureSurgeCapacity(SUB, LOC, [
      { pool: 'general', machineType: 'Standard_D4s_v3', nodes: 3, why: 'maxSurge 33%' },
      { pool: 'batch', machineType: 'standard_d8_v5', nodes: 2, why: 'maxSurge 2' },
      { pool: 'odd', machineType: 'Standard_Nope_v9', nodes: 1, why: 'maxSurge 1' },
    ], { endpoint, credential, client });
    expect(surge).toEqual([
      // family 20 − 8 = 12, regional 30 − 14 = 16: the family limits, 12 / 4 = 3
      { pool: 'general', needed: 3, available: 3, quota: 'Azure quota Standard DSv3 Family vCPUs in westeurope: 12 of 20 vCPUs free, 4 vCPUs per Standard_D4s_v3 node (maxSurge 33%)' },
      // family 100 free, regional 16: the regional total limits, 16 / 8 = 2
      { pool: 'batch', needed: 2, available: 2, quota: 'Azure quota Total Regional vCPUs in westeurope: 16 of 30 vCPUs free, 8 vCPUs per standard_d8_v5 node (maxSurge 2)' },
    ]);
    expect(warnings).toEqual([{ check: 'surge-capacity', message: 'surge capacity of node pool(s) odd was not checked: Azure Compute Resource Skus - List has no VM size Standard_Nope_v9 in westeurope' }]);
    expect(seen.every((s) => s.authorization === 'Bearer static-arm-token')).toBe(true);
    expect(seen.some((s) => s.url.includes('page=2'))).toBe(true);
  });

  it('a refused read is a warning naming the API and the permission, not a throw', async () => {
    deny = true;
    try {
      const { surge, warnings } = await azureSurgeCapacity(SUB, LOC, [{ pool: 'general', machineType: 'Standard_D4s_v3', nodes: 1, why: '' }], { endpoint, credential, client });
      expect(surge).toEqual([]);
      expect(warnings).toEqual([{ check: 'surge-capacity', message: expect.stringMatching(/^surge capacity of node pool\(s\) general was not checked: Azure Compute Usage - List failed \(AuthorizationFailed: .*\); the worker's Azure identity needs Microsoft\.Compute\/locations\/usages\/read$/) }]);
    } finally {
      deny = false;
    }
    const broken: TokenCredential = { getToken: async () => Promise.reject(new Error('DefaultAzureCredential failed to retrieve a token')) };
    const { warnings } = await azureSurgeCapacity(SUB, LOC, [{ pool: 'general', machineType: 'Standard_D4s_v3', nodes: 1, why: '' }], { endpoint, credential: broken, client });
    expect(warnings[0]!.message).toMatch(/no Azure credentials: DefaultAzureCredential failed to retrieve a token/);
  });
});
