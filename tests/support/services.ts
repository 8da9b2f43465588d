/**
 * Router-test setup: real PostgreSQL (a fresh database), the real queue and engine, and callers
 * for any actor through `createCaller` (no HTTP). Teams and tokens are made through the same
 * functions the API uses.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { issueToken, type Actor, type Role } from '../../api/auth/tokens.ts';
import { bootstrap } from '../../api/bootstrap.ts';
import { loadConfig, type Config } from '../../api/config.ts';
import { createContextInner, type Services } from '../../api/context.ts';
import { newId } from '../../api/ids.ts';
import { createLogger } from '../../api/logger.ts';
import { OperationQueue } from '../../api/queue/operation-queue.ts';
import { appRouter } from '../../api/routers/app-router.ts';
import { createCallerFactory } from '../../api/trpc.ts';
import { Engine } from '../../stacks/engine/engine.ts';
import { findPulumiBinDir } from '../../stacks/engine/pulumi-cli.ts';
import { freshDatabase } from './database.ts';

const createCaller = createCallerFactory(appRouter);

export interface TestPlatform {
  services: Services;
  config: Readonly<Config>;
  home: string;
  /** A caller acting as `actor`, or anonymous. */
  caller(actor?: Actor): ReturnType<typeof createCaller>;
  /** Creates a team (with optional quota) and returns its id. */
  team(name: string, quota?: { maxClusters?: number; maxTotalNodes?: number; allowedTargets?: string[] | null; allowedTemplates?: string[] | null }): Promise<string>;
  /** Creates a token and returns the actor it authenticates as (and the token itself). */
  actor(subject: string, role: Role, teamId: string | null): Promise<Actor & { token: string }>;
  close(): Promise<void>;
}

/** `env`: extra settings (e.g. the webhook allow-list a loopback receiver needs). */
export async function testPlatform(env: Record<string, string> = {}): Promise<TestPlatform> {
  const open = await freshDatabase();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-api-'));
  const config = loadConfig({ KAAS_HOME: home, PORT: '0', KAAS_LOG_LEVEL: 'silent', DATABASE_URL: open.url, KAAS_PULUMI_BACKEND: pathToFileURL(path.join(home, 'state')).href, ...env });
  fs.mkdirSync(path.join(home, 'state'), { recursive: true });
  const logger = createLogger('silent');
  const queue = await OperationQueue.start(open.url, { retryDelaySeconds: 1 });
  const engine = new Engine({ home, backendUrl: config.pulumiBackendUrl, secretsProvider: 'passphrase', passphrase: 'test', pulumiBinDir: findPulumiBinDir(process.env), hostPath: process.env.PATH ?? '' });
  const services: Services = { db: open.db, queue, engine, config, logger };
  await bootstrap(open.db, home, 'http://test', logger, () => {});
  return {
    services,
    config,
    home,
    caller: (actor) => createCaller(createContextInner({ services, ...(actor ? { actor } : {}) })),
    async team(name, quota = {}) {
      const id = newId('t');
      await open.db
        .insertInto('teams')
        .values({ id, name, max_clusters: quota.maxClusters ?? 10, max_total_nodes: quota.maxTotalNodes ?? 100, allowed_targets: quota.allowedTargets ?? null, allowed_templates: quota.allowedTemplates ?? null })
        .execute();
      return id;
    },
    async actor(subject, role, teamId) {
      const { id, token } = await issueToken(open.db, { subject, role, teamId, createdBy: 'test', ttlDays: 1 });
      return { tokenId: id, subject, role, teamId, token };
    },
    async close() {
      await queue.stop();
      await open.close();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}
