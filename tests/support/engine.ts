/**
 * Engine test setup: a temporary platform home with a file backend and a sim cloud directory.
 * Without the Pulumi CLI the engine tests skip locally, but fail under CI=true (never skip there).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Engine } from '../../stacks/engine/engine.ts';
import { findPulumiBinDir } from '../../stacks/engine/pulumi-cli.ts';

export const pulumiCliMissing = findPulumiBinDir(process.env) === undefined;
if (pulumiCliMissing && process.env.CI === 'true') {
  throw new Error('the pulumi CLI is not installed and CI=true: engine tests must run in CI. Run `npm run setup:pulumi`.');
}

export interface EngineHome {
  home: string;
  cloudDir: string;
  backendUrl: string;
  engine: Engine;
  cleanup(): void;
}

/** A throwaway platform home with an Engine pointed at it. */
export function engineHome(): EngineHome {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-engine-'));
  const cloudDir = path.join(home, 'sim-cloud');
  const stateDir = path.join(home, 'state');
  fs.mkdirSync(stateDir, { recursive: true });
  const backendUrl = pathToFileURL(stateDir).href;
  const engine = new Engine({ home, backendUrl, secretsProvider: 'passphrase', passphrase: 'test-passphrase', pulumiBinDir: findPulumiBinDir(process.env), hostPath: process.env.PATH ?? '' });
  return { home, cloudDir, backendUrl, engine, cleanup: () => fs.rmSync(home, { recursive: true, force: true }) };
}

/** Every document in a sim cloud directory, as parsed JSON. */
export function simDocuments(cloudDir: string): { file: string; doc: any }[] {
  const root = path.join(cloudDir, 'resources');
  if (!fs.existsSync(root)) return [];
  return fs
    .readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.json'))
    .map((f) => ({ file: path.join(root, f), doc: JSON.parse(fs.readFileSync(path.join(root, f), 'utf8')) }));
}
