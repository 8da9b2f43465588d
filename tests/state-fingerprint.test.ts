/**
 * The fleet's shared-state fingerprint (issue 14, item 1): the first worker records the state
 * backend, secrets provider, a passphrase check value (a KDF of a fixed string, never the
 * passphrase) and the sim cloud directory in PostgreSQL, and writes a canary naming the fleet in
 * the backend and in the sim directory. Every later worker must match each part and read both
 * canaries, or is refused with the part that differs and the fix. An admin moves the fleet on
 * purpose with KAAS_FLEET_MOVE_TO, audited.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../api/db/database.ts';
import { FleetStateMismatch, normaliseBackendUrl } from '../api/state-fingerprint.ts';
import { proveFleetState, type FleetStateSettings } from '../api/state-fingerprint-check.ts';
import { freshDatabase } from './support/database.ts';

const dirs: string[] = [];
function tmp(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-fpu-'));
  dirs.push(dir);
  return dir;
}
function settings(root: string, over: Partial<FleetStateSettings> = {}): FleetStateSettings {
  fs.mkdirSync(path.join(root, 'state'), { recursive: true });
  return { backendUrl: pathToFileURL(path.join(root, 'state')).href, secretsProvider: 'passphrase', passphrase: 'fleet-secret-1', simCloudDir: path.join(root, 'sim'), moveTo: undefined, by: 'test', ...over };
}
async function refusal(p: Promise<unknown>): Promise<FleetStateMismatch> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(FleetStateMismatch);
  return err as FleetStateMismatch;
}

describe('the fleet state fingerprint', () => {
  const opened: OpenDatabase[] = [];
  const db = async () => {
    const open = await freshDatabase();
    opened.push(open);
    return open.db;
  };
  afterAll(async () => {
    for (const o of opened) await o.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it('is recorded by the first worker, without the passphrase, and accepted for the same settings', async () => {
    const d = await db();
    const s = settings(tmp());
    expect((await proveFleetState(d, s)).outcome).toBe('recorded');
    expect((await proveFleetState(d, s)).outcome).toBe('matched');
    const row = await d.selectFrom('fleet_state').selectAll().executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('fleet-secret-1');
    expect(row.secrets_check).toMatch(/^scrypt:/);
    expect(row.backend).toBe(normaliseBackendUrl(s.backendUrl));
  });

  it('refuses another state backend, naming both and the fix', async () => {
    const d = await db();
    const fleet = settings(tmp());
    await proveFleetState(d, fleet);
    const err = await refusal(proveFleetState(d, settings(tmp(), { simCloudDir: fleet.simCloudDir })));
    expect(err.differences.map((x) => x.part)).toEqual(['state backend']);
    expect(err.message).toContain(normaliseBackendUrl(fleet.backendUrl));
    expect(err.message).toMatch(/KAAS_PULUMI_BACKEND/);
  });

  it('refuses another passphrase without printing either', async () => {
    const d = await db();
    const fleet = settings(tmp());
    await proveFleetState(d, fleet);
    const err = await refusal(proveFleetState(d, { ...fleet, passphrase: 'another-secret' }));
    expect(err.differences.map((x) => x.part)).toEqual(['passphrase']);
    expect(err.message).toMatch(/PULUMI_CONFIG_PASSPHRASE/);
    expect(err.message).not.toContain('fleet-secret-1');
    expect(err.message).not.toContain('another-secret');
  });

  it('refuses another secrets provider and another sim cloud directory', async () => {
    const d = await db();
    const fleet = settings(tmp());
    await proveFleetState(d, fleet);
    const err = await refusal(proveFleetState(d, { ...fleet, secretsProvider: 'awskms://alias/kaas', passphrase: undefined, simCloudDir: path.join(tmp(), 'sim') }));
    expect(err.differences.map((x) => x.part)).toEqual(['secrets provider', 'sim cloud directory']);
    expect(err.message).toMatch(/KAAS_SECRETS_PROVIDER/);
    expect(err.message).toMatch(/KAAS_SIM_CLOUD_DIR/);
  });

  it('refuses a worker that has the same backend URL but does not see the backend the fleet wrote (no canary)', async () => {
    const d = await db();
    const fleet = settings(tmp());
    await proveFleetState(d, fleet);
    // the same URL on another machine or volume: the directory exists but is not the fleet's
    fs.rmSync(path.join(new URL(fleet.backendUrl).pathname, '.kaas-fleet'));
    const err = await refusal(proveFleetState(d, fleet));
    expect(err.differences.map((x) => x.part)).toEqual(['state backend canary']);
    expect(err.message).toMatch(/does not see/);
  });

  it('refuses a sim directory holding another fleet\'s canary', async () => {
    const other = await db();
    const d = await db();
    const fleet = settings(tmp());
    await proveFleetState(d, fleet);
    const root = tmp();
    const foreign = settings(root, { simCloudDir: fleet.simCloudDir });
    await proveFleetState(other, foreign); // another fleet (its own database) records and writes its canary in the same sim directory
    const err = await refusal(proveFleetState(d, fleet));
    expect(err.differences.map((x) => x.part)).toEqual(['sim cloud directory canary']);
  });

  it('moves the fleet on purpose with KAAS_FLEET_MOVE_TO, audited, and refuses the old settings afterwards', async () => {
    const d = await db();
    const fleet = settings(tmp());
    await proveFleetState(d, fleet);
    const next = settings(tmp(), { passphrase: 'fleet-secret-2' });
    // a flag naming another backend than the worker's own is no move
    const wrong = await refusal(proveFleetState(d, { ...next, moveTo: 'file:///elsewhere' }));
    expect(wrong.message).toMatch(/KAAS_FLEET_MOVE_TO names file:\/\/\/elsewhere/);
    expect((await proveFleetState(d, { ...next, moveTo: next.backendUrl + '/' })).outcome).toBe('moved');
    expect((await proveFleetState(d, { ...next, moveTo: next.backendUrl })).outcome).toBe('matched');
    expect((await proveFleetState(d, next)).outcome).toBe('matched');
    const audit = await d.selectFrom('audit').selectAll().where('action', '=', 'fleet.state.move').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.detail).toMatchObject({ changed: ['state backend', 'passphrase', 'sim cloud directory'] });
    expect(JSON.stringify(audit)).not.toContain('fleet-secret');
    const err = await refusal(proveFleetState(d, fleet));
    expect(err.differences.map((x) => x.part)).toEqual(['state backend', 'passphrase', 'sim cloud directory']);
  });

  it('normalises backend URLs: trailing slashes, query order and file paths', () => {
    expect(normaliseBackendUrl('file:///var/kaas/state/')).toBe('file:///var/kaas/state');
    expect(normaliseBackendUrl('file:///var/kaas/./state')).toBe('file:///var/kaas/state');
    expect(normaliseBackendUrl('S3://Bucket/prefix/?region=eu-west-1&endpoint=http://x')).toBe(normaliseBackendUrl('s3://Bucket/prefix?endpoint=http://x&region=eu-west-1'));
  });
});
