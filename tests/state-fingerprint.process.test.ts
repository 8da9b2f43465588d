/**
 * Workers of one fleet must share its Pulumi state backend, secrets and sim cloud directory (issue
 * 14, item 1). Found on main: a second worker started with another KAAS_HOME (so another
 * file:// state directory, passphrase and sim directory) started silently, and a delete it ran
 * without the stack's state ended `deleted` with the cloud resources left behind. Such a worker
 * must refuse to start, saying which part differs and how to fix it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEmptyDatabase } from './support/database.ts';
import { FleetProcess } from './support/fleet-process.ts';

describe('a worker process that does not share the fleet state', () => {
  const started: FleetProcess[] = [];
  const homes: string[] = [];
  const home = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-fp-'));
    homes.push(dir);
    return dir;
  };
  afterAll(async () => {
    for (const p of started) await p.stop('SIGKILL', 5_000);
    for (const dir of homes) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses to start with another KAAS_HOME, naming the state backend and the fix', { timeout: 120_000 }, async () => {
    const databaseUrl = await createEmptyDatabase();
    const first = await FleetProcess.start({ role: 'worker', databaseUrl, home: home() });
    started.push(first);

    const other = await FleetProcess.spawn({ role: 'worker', databaseUrl, home: home() });
    started.push(other);
    const ended = await Promise.race([other.exited, other.ready(60_000).then(() => 'started' as const)]);
    expect(ended, 'the worker with another KAAS_HOME started').not.toBe('started');
    expect(other.exit?.code).not.toBe(0);
    const said = other.err;
    expect(said).toMatch(/state backend/);
    expect(said).toMatch(/KAAS_PULUMI_BACKEND/);
    expect(said).toMatch(/KAAS_SIM_CLOUD_DIR/);
    expect(said).toMatch(/PULUMI_CONFIG_PASSPHRASE/);
    expect(first.alive).toBe(true);
  });

  it('starts a second worker that shares backend, passphrase and sim directory (another KAAS_HOME)', { timeout: 120_000 }, async () => {
    const databaseUrl = await createEmptyDatabase();
    const shared = home();
    const env = { KAAS_PULUMI_BACKEND: `file://${path.join(shared, 'state')}`, KAAS_SIM_CLOUD_DIR: path.join(shared, 'sim'), PULUMI_CONFIG_PASSPHRASE: 'fleet-pass' };
    fs.mkdirSync(path.join(shared, 'state'));
    const a = await FleetProcess.start({ role: 'worker', databaseUrl, home: home(), env });
    started.push(a);
    const b = await FleetProcess.start({ role: 'all', databaseUrl, home: home(), env });
    started.push(b);
    expect(a.alive && b.alive).toBe(true);
  });
});
