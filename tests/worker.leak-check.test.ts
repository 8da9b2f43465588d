/**
 * The leak check after a delete on a real cloud: without credentials (or when the inventory API
 * fails) it reports that it could not run and why, and the delete's outcome says
 * "leak check not run: <reason>" instead of claiming the cloud is clean.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Config } from '../api/config.ts';
import type { TargetRow } from '../api/db/schema.ts';
import { deleteHandler } from '../api/worker/handlers/delete.ts';
import type { HandlerContext } from '../api/worker/handlers/contract.ts';
import { findLeaks } from '../api/worker/leak-check.ts';
import { FakeEngine } from './support/fake-engine.ts';

// an empty home: no ~/.aws, ~/.config/gcloud or ~/.azure to find credentials in
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-leak-home-'));
process.env.HOME = home;
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

const config = { simCloudDir: path.join(home, 'sim-cloud'), cloudCredentialEnv: {} } as unknown as Readonly<Config>;
const target = (cloud: TargetRow['cloud']): TargetRow => ({
  id: 't1', name: `${cloud}-prod`, cloud, region: cloud === 'aws' ? 'eu-west-1' : cloud === 'gcp' ? 'europe-west1' : 'westeurope',
  account: cloud === 'aws' ? '123456789012' : cloud === 'gcp' ? 'kaas-project' : '00000000-0000-0000-0000-000000000001',
  dns_zones: [], allowed_teams: null, settings: {}, approval_policy: null, created_at: new Date() as any,
});

function deleteContext(row: TargetRow, notes: Array<{ message: string; severity?: string }>): HandlerContext {
  return {
    services: { config } as any,
    operationId: 'o1',
    engine: new FakeEngine() as any,
    stack: { stackName: 'kaas-c0ffee42' } as any,
    stackFor: () => ({}) as any,
    checkTarget: async () => { throw new Error('a delete never runs the target check'); },
    cluster: { id: 'c0ffee42' } as any,
    target: row,
    spec: {} as any,
    signal: new AbortController().signal,
    input: {},
    writes: { progress: async () => {}, saveClusterSpec: async () => {}, stepReached: async () => null },
    onEvent: () => {},
    note: (message, severity) => notes.push({ message, severity }),
  };
}

describe('leak check without credentials', () => {
  it.each(['aws', 'gcp', 'azure'] as const)('%s: says it could not run, never an empty list', async (cloud) => {
    const report = await findLeaks(config, target(cloud), 'c0ffee42');
    expect(report).toEqual({ ran: false, reason: expect.stringContaining(`no ${cloud} credentials discoverable`) });
  });

  it('the delete outcome says "leak check not run: <reason>"', async () => {
    const notes: Array<{ message: string; severity?: string }> = [];
    const out = await deleteHandler(deleteContext(target('aws'), notes));
    expect(out.result).toMatchObject({ leaks: null, leakCheck: expect.stringMatching(/^leak check not run: no aws credentials/) });
    expect(out.statusReason).toMatch(/^deleted; leak check not run: no aws credentials/);
    expect(notes.some((n) => n.severity === 'warning' && /leak check not run: no aws credentials/.test(n.message))).toBe(true);
  });

  it('an inventory error is reported as not run, with the error', async () => {
    const failing = { taggedResources: async () => { throw new Error('AccessDeniedException: not authorized to perform tag:GetResources'); } };
    const report = await findLeaks(config, target('aws'), 'c0ffee42', { env: { AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'y' }, inventory: failing });
    expect(report).toEqual({ ran: false, reason: 'aws inventory query failed: AccessDeniedException: not authorized to perform tag:GetResources' });
  });

  it('sim: a clean cloud is reported clean', async () => {
    const notes: Array<{ message: string; severity?: string }> = [];
    const out = await deleteHandler(deleteContext(target('sim'), notes));
    expect(out.result).toMatchObject({ leaks: [], leakCheck: 'clean' });
    expect(out.statusReason).toBeUndefined();
  });
});
