/**
 * Vitest global setup: one embedded PostgreSQL for the whole run (each test file makes its own
 * database in it, see database.ts), and a check that the Pulumi CLI is installed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../api/db/embedded-postgres.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-test-pg-'));
  fs.chmodSync(dir, 0o755); // the server runs as the `postgres` user when tests run as root
  const logs: string[] = [];
  const pg = await startEmbeddedPostgres(dir, { onLog: (line) => logs.push(line) }).catch((err: Error) => {
    throw new Error(`${err.message}\n${logs.slice(-20).join('')}`);
  });
  project.provide('pgUrl', pg.url);
  return async () => {
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  };
}
