/**
 * AKS stop / start through the real @azure/arm-containerservice client against a local HTTPS
 * server answering in the documented REST shape:
 * - `POST /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ContainerService/managedClusters/{name}/stop?api-version=…`
 *   (and `/start`) → `202 Accepted` with `Location` (and `Azure-AsyncOperation`) headers, or
 *   `204 No Content` when there is nothing to do; errors as `CloudError` `{ error: { code, message } }`
 *   (https://learn.microsoft.com/rest/api/aks/managed-clusters/stop,
 *   https://learn.microsoft.com/rest/api/aks/managed-clusters/start);
 * - the long-running operation polled at the `Azure-AsyncOperation` URL until its `status` is
 *   `Succeeded` (`InProgress` before; `Failed` with an `error`), the ARM async-operation contract
 *   (https://learn.microsoft.com/azure/azure-resource-manager/management/async-operations);
 * - `GET …/managedClusters/{name}` → `{ properties: { powerState: { code: 'Running' | 'Stopped' } } }`
 *   (https://learn.microsoft.com/rest/api/aks/managed-clusters/get).
 * HTTPS because the SDK refuses bearer tokens over plain HTTP (self-signed certificate from
 * openssl, handed to the client's `tlsOptions.ca`, as tests/leak-check.azure.test.ts does).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { aksControlPlanePower } from '../api/worker/power/aks-power.ts';

const SUB = '00000000-0000-0000-0000-000000000001';
const NAME = 'kaas-c0ffee42';
const MC = `/subscriptions/${SUB}/resourceGroups/${NAME}/providers/Microsoft.ContainerService/managedClusters/${NAME}`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-aks-tls-'));
execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
const cert = fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8');

/** The simulated cluster: its power state, the operations it ran, every request seen. */
const cloud = {
  power: 'Running' as 'Running' | 'Stopped',
  requests: [] as string[],
  /** Polls answered `InProgress` before an operation succeeds. */
  pollsBeforeDone: 2,
  /** Newer API versions answer 202 with `Location` and `Retry-After` only: polled at Location (202 while running, 204 when done). */
  locationOnly: false,
  /** When set, the operation ends `Failed` with this error. */
  failWith: undefined as { code: string; message: string } | undefined,
  ops: new Map<string, { to: 'Running' | 'Stopped'; polls: number }>(),
};
let port = 0;

const server = https.createServer({ key: fs.readFileSync(path.join(dir, 'key.pem')), cert }, (req, res) => {
  const url = new URL(req.url!, 'https://127.0.0.1');
  cloud.requests.push(`${req.method} ${url.pathname}`);
  const send = (code: number, body?: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(code, { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
  if (req.headers.authorization !== 'Bearer fake-arm-token') return send(401, { error: { code: 'AuthenticationFailed', message: 'no token' } });
  if (!url.searchParams.get('api-version')) return send(400, { error: { code: 'MissingApiVersionParameter', message: 'The api-version query parameter (?api-version=) is required for all requests.' } });
  if (req.method === 'GET' && url.pathname === MC) {
    return send(200, { id: MC, name: NAME, location: 'westeurope', type: 'Microsoft.ContainerService/ManagedClusters', properties: { provisioningState: 'Succeeded', powerState: { code: cloud.power }, kubernetesVersion: '1.34' } });
  }
  const action = req.method === 'POST' && url.pathname.startsWith(`${MC}/`) ? url.pathname.slice(MC.length + 1) : undefined;
  if (action === 'stop' || action === 'start') {
    const to = action === 'stop' ? 'Stopped' : 'Running';
    if (cloud.power === to) return send(204);
    const id = `op-${cloud.ops.size + 1}`;
    cloud.ops.set(id, { to, polls: 0 });
    const status = `https://127.0.0.1:${port}/subscriptions/${SUB}/providers/Microsoft.ContainerService/locations/westeurope/operations/${id}?api-version=2024-08-01`;
    const result = `https://127.0.0.1:${port}/subscriptions/${SUB}/providers/Microsoft.ContainerService/locations/westeurope/operationresults/${id}?api-version=2024-08-01`;
    return send(202, undefined, cloud.locationOnly ? { location: result, 'retry-after': '0' } : { 'azure-asyncoperation': status, location: result, 'retry-after': '0' });
  }
  const poll = /\/locations\/westeurope\/(operations|operationresults)\/(op-\d+)$/.exec(url.pathname);
  if (req.method === 'GET' && poll) {
    const op = cloud.ops.get(poll[2]!);
    if (!op) return send(404, { error: { code: 'NotFound', message: 'no such operation' } });
    if (poll[1] === 'operationresults') {
      if (!cloud.locationOnly) return send(204);
      if (op.polls++ < cloud.pollsBeforeDone) return send(202, undefined, { location: url.href.replace('https://127.0.0.1', `https://127.0.0.1:${port}`), 'retry-after': '0' });
      cloud.power = op.to;
      return send(204);
    }
    if (op.polls++ < cloud.pollsBeforeDone) return send(200, { name: poll[2], status: 'InProgress', startTime: '2026-12-02T10:00:00Z' }, { 'retry-after': '0' });
    if (cloud.failWith) return send(200, { name: poll[2], status: 'Failed', error: cloud.failWith });
    cloud.power = op.to;
    return send(200, { name: poll[2], status: 'Succeeded', startTime: '2026-12-02T10:00:00Z', endTime: '2026-12-02T10:05:00Z' });
  }
  return send(404, { error: { code: 'NotFound', message: `no route ${req.method} ${req.url}` } });
});

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  fs.rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  cloud.power = 'Running';
  cloud.requests.length = 0;
  cloud.failWith = undefined;
  cloud.locationOnly = false;
  cloud.ops.clear();
});

const credential = { getToken: async () => ({ token: 'fake-arm-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };
const power = () =>
  aksControlPlanePower({ subscriptionId: SUB, resourceGroupName: NAME, clusterName: NAME, credential, pollIntervalMs: 1, client: { endpoint: `https://127.0.0.1:${port}`, tlsOptions: { ca: cert } as any, retryOptions: { maxRetries: 0 } } });

describe('AKS stop / start (arm-containerservice, local server)', () => {
  it('stop: POSTs …/stop, polls the async operation until Succeeded, and the cluster then reads Stopped', async () => {
    const p = power();
    expect(await p.state()).toBe('Running');
    await p.stop();
    expect(cloud.requests).toContain(`POST ${MC}/stop`);
    // 2 × InProgress, then Succeeded: the client waited for the operation, not just the 202
    expect(cloud.requests.filter((r) => r.includes('/operations/op-1')).length).toBeGreaterThanOrEqual(3);
    expect(cloud.power).toBe('Stopped');
    expect(await p.state()).toBe('Stopped');
  });

  it('start: POSTs …/start and waits the same way', async () => {
    cloud.power = 'Stopped';
    await power().start();
    expect(cloud.requests).toContain(`POST ${MC}/start`);
    expect(cloud.power).toBe('Running');
  });

  it('stop with a Location-only 202 (newer API versions): polls Location until it stops answering 202', async () => {
    cloud.locationOnly = true;
    await power().stop();
    expect(cloud.requests.filter((r) => r.includes('/operationresults/op-1')).length).toBeGreaterThanOrEqual(3);
    expect(cloud.power).toBe('Stopped');
  });

  it('an operation that ends Failed is an error naming the cluster and the cloud\'s message', async () => {
    cloud.failWith = { code: 'OperationNotAllowed', message: 'Stop operation is not allowed: the cluster uses node autoprovisioning' };
    await expect(power().stop()).rejects.toThrow(/stopping AKS cluster kaas-c0ffee42 \(resource group kaas-c0ffee42\) failed: .*node autoprovisioning/);
    expect(cloud.power).toBe('Running');
  });
});
