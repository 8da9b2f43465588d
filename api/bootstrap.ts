/**
 * First-start set-up, idempotent: publish the shipped templates, register the `sim-local` target,
 * and — when no token exists yet — create a platform-admin token, print it once and write it to
 * `<home>/admin-token` (mode 0600).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { issueToken } from './auth/tokens.ts';
import type { Db } from './db/schema.ts';
import { newId } from './ids.ts';
import type { Logger } from './logger.ts';
import { publishTemplateDirectory } from './templates/template-store.ts';

export const SHIPPED_TEMPLATES_DIR = fileURLToPath(new URL('../templates/', import.meta.url));
export const SIM_TARGET = 'sim-local';

export async function bootstrap(db: Db, home: string, apiUrl: string, logger: Logger, print: (line: string) => void): Promise<{ adminToken?: string }> {
  const templates = await publishTemplateDirectory(db, SHIPPED_TEMPLATES_DIR);
  logger.info({ templates: templates.map((t) => t.template.ref), keptApiVersions: templates.filter((t) => t.keptApiVersion).map((t) => t.template.ref) }, 'shipped templates seeded');
  await db
    .insertInto('targets')
    .values({ id: newId('g'), name: SIM_TARGET, cloud: 'sim', region: 'local', account: 'local', dns_zones: ['sim.kaas.invalid'], allowed_teams: null })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const anyToken = await db.selectFrom('tokens').select('id').limit(1).executeTakeFirst();
  if (anyToken) return {};
  const { token } = await issueToken(db, { subject: 'admin', role: 'platform-admin', teamId: null, createdBy: 'bootstrap', ttlDays: 365 });
  const file = path.join(home, 'admin-token');
  fs.writeFileSync(file, token + '\n', { mode: 0o600 });
  fs.chmodSync(file, 0o600);
  print(`First start: created a platform-admin token (shown once; also saved to ${file}, mode 0600):\n\n  ${token}\n\nLog in with: kaas login --url ${apiUrl} --token-file ${file}\n`);
  return { adminToken: token };
}

/** The Pulumi passphrase: from the environment, else one generated per install and kept in `<home>`. */
export function pulumiPassphrase(home: string, fromEnv: string | undefined): string {
  if (fromEnv) return fromEnv;
  const file = path.join(home, 'pulumi-passphrase');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const passphrase = crypto.randomUUID() + crypto.randomUUID();
  fs.writeFileSync(file, passphrase + '\n', { mode: 0o600 });
  return passphrase;
}
