/**
 * The fleet's shared-state fingerprint: what every worker of one fleet must have in common so
 * that all of them see the same Pulumi stacks and the same simulated cloud — the state backend
 * (normalised URL), the secrets provider, a check value of the passphrase (an scrypt KDF of a
 * fixed string salted with the fleet id; never the passphrase itself) and the sim cloud directory.
 * Workers that differ would split the state: a delete run without a stack's state would find
 * "nothing to remove" and leave the cloud resources behind.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The parts of one worker's configuration that the fleet shares. */
export interface StateSettings {
  backendUrl: string;
  secretsProvider: string;
  /** Only used with the `passphrase` secrets provider. */
  passphrase: string | undefined;
  simCloudDir: string;
}

/** What is recorded in PostgreSQL and compared. */
export interface StateFingerprint {
  backend: string;
  secretsProvider: string;
  /** `scrypt:<hex>` for the passphrase provider; null for a KMS provider (its URL names the key). */
  secretsCheck: string | null;
  simCloudDir: string;
}

/** A part that differs between the fleet's record and this worker, with the fix. */
export interface FingerprintDifference {
  part: 'state backend' | 'secrets provider' | 'passphrase' | 'sim cloud directory' | 'state backend canary' | 'sim cloud directory canary';
  detail: string;
  fix: string;
}

/** `file://~/x` is Pulumi's home-relative form (https://www.pulumi.com/docs/iac/concepts/state-and-backends/#local-filesystem). */
function filePath(url: string): string {
  const home = /^file:\/\/~(\/|$)/.exec(url);
  return path.resolve(home ? path.join(os.homedir(), url.slice('file://~'.length)) : fileURLToPath(url));
}

/** The local directory of a file:// backend, else undefined. */
export function fileBackendDir(backendUrl: string): string | undefined {
  return /^file:\/\//i.test(backendUrl) ? filePath(backendUrl.replace(/^file:/i, 'file:')) : undefined;
}

/**
 * One spelling per backend: file:// paths resolved (no `.`/`..`, no trailing slash), scheme
 * lower-cased, a trailing slash of an object-store prefix dropped, query parameters sorted.
 */
export function normaliseBackendUrl(backendUrl: string): string {
  const dir = fileBackendDir(backendUrl);
  if (dir !== undefined) return pathToFileURL(dir).href.replace(/\/+$/, '');
  const url = new URL(backendUrl.replace(/^[a-z0-9+.-]+:/i, (s) => s.toLowerCase()));
  const query = [...url.searchParams.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const pathname = url.pathname.replace(/\/+$/, '');
  const search = query.length ? '?' + new URLSearchParams(query).toString() : '';
  return `${url.protocol}//${url.host}${pathname}${search}`;
}

/** The passphrase's check value, salted with the fleet id; null for KMS providers. */
export function secretsCheck(secretsProvider: string, passphrase: string | undefined, fleetId: string): string | null {
  if (secretsProvider !== 'passphrase') return null;
  // scrypt (RFC 7914) so that a database reader cannot cheaply guess the passphrase from the value
  const key = crypto.scryptSync(passphrase ?? '', `kaas-fleet-secrets-check:${fleetId}`, 32, { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
  return `scrypt:${key.toString('hex')}`;
}

/** This worker's fingerprint for fleet `fleetId`. */
export function fingerprintOf(s: StateSettings, fleetId: string): StateFingerprint {
  return { backend: normaliseBackendUrl(s.backendUrl), secretsProvider: s.secretsProvider, secretsCheck: secretsCheck(s.secretsProvider, s.passphrase, fleetId), simCloudDir: path.resolve(s.simCloudDir) };
}

/** Every part of `mine` that differs from the fleet's `recorded` fingerprint, in a fixed order. */
export function fingerprintDifferences(recorded: StateFingerprint, mine: StateFingerprint): FingerprintDifference[] {
  const out: FingerprintDifference[] = [];
  if (recorded.backend !== mine.backend) {
    out.push({
      part: 'state backend',
      detail: `this worker's is ${mine.backend}, the fleet's is ${recorded.backend}`,
      fix: `set KAAS_PULUMI_BACKEND=${recorded.backend} on this worker (without it the backend is <KAAS_HOME>/state, so workers with different KAAS_HOME split the state)`,
    });
  }
  if (recorded.secretsProvider !== mine.secretsProvider) {
    out.push({ part: 'secrets provider', detail: `this worker's is ${mine.secretsProvider}, the fleet's is ${recorded.secretsProvider}`, fix: `set KAAS_SECRETS_PROVIDER=${recorded.secretsProvider} on this worker` });
  } else if (recorded.secretsCheck !== mine.secretsCheck) {
    out.push({
      part: 'passphrase',
      detail: `this worker's Pulumi passphrase is not the fleet's (compared by a check value; neither is shown)`,
      fix: `set PULUMI_CONFIG_PASSPHRASE to the fleet's passphrase on every worker (without it each KAAS_HOME generates its own, <KAAS_HOME>/pulumi-passphrase)`,
    });
  }
  if (recorded.simCloudDir !== mine.simCloudDir) {
    out.push({ part: 'sim cloud directory', detail: `this worker's is ${mine.simCloudDir}, the fleet's is ${recorded.simCloudDir}`, fix: `set KAAS_SIM_CLOUD_DIR=${recorded.simCloudDir} on this worker (a directory every worker shares)` });
  }
  return out;
}

/** A worker that does not share the fleet's state; it must not start. */
export class FleetStateMismatch extends Error {
  readonly differences: readonly FingerprintDifference[];
  constructor(differences: readonly FingerprintDifference[], note?: string) {
    const lines = differences.map((d) => `  - ${d.part}: ${d.detail}.\n    Fix: ${d.fix}.`);
    super(
      `this worker does not share the fleet's Pulumi state, so it would split it (a delete without a stack's state would leave its cloud resources behind); refusing to start.\n${lines.join('\n')}\n` +
        (note ? `  ${note}\n` : '') +
        `  If the fleet moved on purpose, start one worker with KAAS_FLEET_MOVE_TO=<its state backend URL> to record the new settings (audited as fleet.state.move), then remove the setting.`,
    );
    this.name = 'FleetStateMismatch';
    this.differences = differences;
  }
}
