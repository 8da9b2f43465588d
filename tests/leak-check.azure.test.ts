/**
 * The Azure leak check through the real @azure/arm-resourcegraph client against a local HTTPS
 * server answering in the documented format of Resource Graph `Resources` (2024-04-01):
 * POST /providers/Microsoft.ResourceGraph/resources?api-version=2024-04-01 with
 * `{ subscriptions, query, options: { $top, $skipToken, resultFormat } }` →
 * `{ totalRecords, count, resultTruncated, $skipToken?, data: [...] }`, errors as
 * `{ error: { code, message, details } }`
 * (https://learn.microsoft.com/rest/api/azureresourcegraph/resourcegraph/resources/resources).
 * HTTPS because the SDK refuses bearer tokens over plain HTTP: the test makes a self-signed
 * certificate with openssl and hands it to the client's `tlsOptions.ca`. The credential is a
 * fixed-token TokenCredential, so nothing talks to Entra ID.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../api/config.ts';
import type { TargetRow } from '../api/db/schema.ts';
import { findLeaks } from '../api/worker/leak-check.ts';
import { azureInventory } from '../api/worker/leaks/azure.ts';

const SUB = '00000000-0000-0000-0000-000000000001';
const CLUSTER = 'c0ffee42';
const rg = `/subscriptions/${SUB}/resourceGroups/kaas-${CLUSTER}`;
const MINE = [
  rg,
  `${rg}/providers/Microsoft.ContainerService/managedClusters/kaas-${CLUSTER}`,
  `${rg}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/dns-${CLUSTER}`,
  `${rg}/providers/Microsoft.OperationalInsights/workspaces/fluentd-logs`,
  `/subscriptions/${SUB}/resourceGroups/MC_kaas-${CLUSTER}/providers/Microsoft.Compute/virtualMachineScaleSets/aks-system-1234`,
];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-arg-tls-'));
execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
const cert = fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8');

const bodies: any[] = [];
let failWith: { status: number; error: { code: string; message: string } } | undefined;

const server = https.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert }, (req, res) => {
  let raw = '';
  req.on('data', (d) => (raw += d));
  req.on('end', () => {
    const send = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const url = new URL(req.url!, 'https://127.0.0.1');
    if (req.method !== 'POST' || url.pathname !== '/providers/Microsoft.ResourceGraph/resources' || url.searchParams.get('api-version') !== '2024-04-01') {
      return send(404, { error: { code: 'NotFound', message: `no route ${req.method} ${req.url}` } });
    }
    if (req.headers.authorization !== 'Bearer fake-arm-token') return send(401, { error: { code: 'AuthenticationFailed', message: 'no token' } });
    const body = JSON.parse(raw);
    bodies.push(body);
    if (failWith) return send(failWith.status, { error: failWith.error });
    // the server answers for this cluster's tag only (the query itself is checked below)
    const rows = body.query.includes(`tags['kaas-cluster-id'] == '${CLUSTER}'`) && body.subscriptions?.includes(SUB) ? MINE.map((id) => ({ id })) : [];
    const top = body.options?.$top ?? 1000;
    const start = Number(body.options?.$skipToken ?? 0);
    const page = rows.slice(start, start + top);
    const next = start + top < rows.length ? String(start + top) : undefined;
    send(200, { totalRecords: rows.length, count: page.length, resultTruncated: 'false', ...(next ? { $skipToken: next } : {}), data: page });
  });
});

let port = 0;
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  fs.rmSync(dir, { recursive: true, force: true });
});

const credential = { getToken: async () => ({ token: 'fake-arm-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };
const inventory = (pageSize?: number) =>
  azureInventory({ subscriptionId: SUB, credential, pageSize, client: { endpoint: `https://127.0.0.1:${port}`, tlsOptions: { ca: cert } as any, retryOptions: { maxRetries: 0 } } });

describe('Azure leak check (Resource Graph, local server)', () => {
  it('queries the cluster tag in the target subscription and follows every $skipToken', async () => {
    bodies.length = 0;
    const found = await inventory(2).taggedResources(CLUSTER);
    expect(found).toEqual([...MINE].sort());
    expect(bodies).toHaveLength(3);
    expect(bodies[0].subscriptions).toEqual([SUB]);
    expect(bodies[0].query).toContain(`Resources | where tags['kaas-cluster-id'] == '${CLUSTER}'`);
    expect(bodies[0].query).toContain('ResourceContainers');
    expect(bodies.map((b) => b.options.$skipToken)).toEqual([undefined, '2', '4']);
  });

  it('an API error means the check did not run, with the error', async () => {
    failWith = { status: 403, error: { code: 'AuthorizationFailed', message: 'The client does not have authorization to perform action Microsoft.ResourceGraph/resources/read' } };
    try {
      const target = { name: 'azure-prod', cloud: 'azure', region: 'westeurope', account: SUB } as TargetRow;
      const report = await findLeaks({ cloudCredentialEnv: {} } as unknown as Readonly<Config>, target, CLUSTER, {
        env: { AZURE_CLIENT_ID: 'x', AZURE_CLIENT_SECRET: 'y' },
        inventory: inventory(),
      });
      expect(report.ran).toBe(false);
      expect(!report.ran && report.reason).toMatch(/^azure inventory query failed: .*Microsoft\.ResourceGraph\/resources\/read/);
    } finally {
      failWith = undefined;
    }
  });
});
