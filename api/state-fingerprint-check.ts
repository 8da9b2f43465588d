/**
 * The start-up proof that a worker shares the fleet's state (see state-fingerprint.ts): the first
 * worker records the fingerprint in PostgreSQL (`fleet_state`) and writes a canary naming the
 * fleet in the state backend (file://) and in the sim cloud directory; every later worker must
 * match the record and read both canaries, or it is refused. KAAS_FLEET_MOVE_TO re-records the
 * fleet on purpose (an audited `fleet.state.move`).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { writeAudit } from './audit.ts';
import type { Db, Tx } from './db/schema.ts';
import { fileBackendDir, fingerprintDifferences, fingerprintOf, FleetStateMismatch, normaliseBackendUrl, type FingerprintDifference, type StateFingerprint, type StateSettings } from './state-fingerprint.ts';

/** The canary's file name, in the file:// state directory and in the sim cloud directory. */
export const CANARY_FILE = '.kaas-fleet';

export interface FleetStateSettings extends StateSettings {
  /** KAAS_FLEET_MOVE_TO: the backend the fleet moves to, set on purpose by an admin. */
  moveTo: string | undefined;
  /** Who proves it (host/pid), for the record and the audit row. */
  by: string;
}

export interface FleetStateProof {
  outcome: 'recorded' | 'matched' | 'moved';
  fleetId: string;
  /** What could not be proven (a canary in an object store), for the start-up log. */
  notes: string[];
}

function canaryDirs(s: StateSettings): { part: 'state backend canary' | 'sim cloud directory canary'; dir: string }[] {
  const backendDir = fileBackendDir(s.backendUrl);
  return [...(backendDir ? [{ part: 'state backend canary' as const, dir: backendDir }] : []), { part: 'sim cloud directory canary' as const, dir: path.resolve(s.simCloudDir) }];
}

function writeCanaries(s: StateSettings, fleetId: string): void {
  for (const { dir } of canaryDirs(s)) {
    fs.mkdirSync(dir, { recursive: true });
    const file = path.join(dir, CANARY_FILE);
    fs.writeFileSync(`${file}.${process.pid}.tmp`, JSON.stringify({ fleetId, recordedAt: new Date().toISOString() }) + '\n');
    fs.renameSync(`${file}.${process.pid}.tmp`, file);
  }
}

function canaryDifferences(s: StateSettings, fleetId: string): FingerprintDifference[] {
  const out: FingerprintDifference[] = [];
  for (const { part, dir } of canaryDirs(s)) {
    const file = path.join(dir, CANARY_FILE);
    let found: string | undefined;
    try {
      found = String((JSON.parse(fs.readFileSync(file, 'utf8')) as { fleetId?: unknown }).fleetId);
    } catch {
      found = undefined;
    }
    if (found === fleetId) continue;
    const where = part === 'state backend canary' ? 'state backend' : 'sim cloud directory';
    out.push({
      part,
      detail: `this worker does not see the ${where} the fleet wrote: ${file} ${found === undefined ? 'is missing' : `names another fleet (${found}, not ${fleetId})`} — the path is the same but the storage is not (another machine, an unshared volume, or the directory was replaced)`,
      fix: `mount the fleet's shared ${where} at ${dir} on this worker`,
    });
  }
  return out;
}

function rowFingerprint(row: { backend: string; secrets_provider: string; secrets_check: string | null; sim_cloud_dir: string }): StateFingerprint {
  return { backend: row.backend, secretsProvider: row.secrets_provider, secretsCheck: row.secrets_check, simCloudDir: row.sim_cloud_dir };
}

async function save(tx: Tx, fleetId: string, fp: StateFingerprint, by: string, insert: boolean): Promise<void> {
  const values = { backend: fp.backend, secrets_provider: fp.secretsProvider, secrets_check: fp.secretsCheck, sim_cloud_dir: fp.simCloudDir, recorded_by: by, recorded_at: new Date() };
  if (insert) await tx.insertInto('fleet_state').values({ id: 'fleet', fleet_id: fleetId, ...values }).execute();
  else await tx.updateTable('fleet_state').set(values).where('id', '=', 'fleet').execute();
}

/**
 * Proves that this worker shares the fleet's state, recording the fingerprint when it is the
 * first; throws FleetStateMismatch naming every part that differs and its fix.
 */
export async function proveFleetState(db: Db, s: FleetStateSettings): Promise<FleetStateProof> {
  const notes = fileBackendDir(s.backendUrl) ? [] : [`the state backend canary is checked for file:// backends only; ${normaliseBackendUrl(s.backendUrl)} is compared by URL`];
  return db.transaction().execute(async (tx) => {
    // one prover at a time, so two first workers cannot record two fleets
    await sql`select pg_advisory_xact_lock(hashtext('kaas.fleet_state'))`.execute(tx);
    const row = await tx.selectFrom('fleet_state').selectAll().where('id', '=', 'fleet').executeTakeFirst();
    if (!row) {
      const fleetId = crypto.randomUUID();
      await save(tx, fleetId, fingerprintOf(s, fleetId), s.by, true);
      writeCanaries(s, fleetId);
      return { outcome: 'recorded' as const, fleetId, notes };
    }
    const recorded = rowFingerprint(row);
    const mine = fingerprintOf(s, row.fleet_id);
    const settingsDiffer = fingerprintDifferences(recorded, mine);
    // the canaries are only meaningful where the settings agree
    const differences = settingsDiffer.length ? settingsDiffer : canaryDifferences(s, row.fleet_id);
    if (!differences.length) return { outcome: 'matched' as const, fleetId: row.fleet_id, notes };
    if (s.moveTo === undefined) throw new FleetStateMismatch(differences);
    if (normaliseBackendUrl(s.moveTo) !== mine.backend) {
      throw new FleetStateMismatch(differences, `KAAS_FLEET_MOVE_TO names ${s.moveTo}, but this worker's state backend is ${mine.backend}: no move (the setting must name this worker's own backend).`);
    }
    await save(tx, row.fleet_id, mine, s.by, false);
    writeCanaries(s, row.fleet_id);
    const shown = (fp: StateFingerprint) => ({ backend: fp.backend, secretsProvider: fp.secretsProvider, simCloudDir: fp.simCloudDir });
    await writeAudit(tx, {
      actor: `worker:${s.by}`,
      teamId: null,
      action: 'fleet.state.move',
      target: 'fleet',
      result: 'ok',
      requestId: `start-${s.by}`,
      detail: { from: shown(recorded), to: shown(mine), changed: differences.map((d) => d.part) },
    });
    return { outcome: 'moved' as const, fleetId: row.fleet_id, notes };
  });
}
