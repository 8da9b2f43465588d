/**
 * Assembles the platform: database (embedded or DATABASE_URL) with migrations, the queue, the
 * engine, the HTTP API and the worker, as the configuration's role asks. Used by main.ts and by
 * tests that start a real server in-process.
 */
import { startApprovalExpirySweep } from './approvals/expiry-sweep.ts';
import fs from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { Engine } from '../stacks/engine/engine.ts';
import { findPulumiBinDir } from '../stacks/engine/pulumi-cli.ts';
import { bootstrap, pulumiPassphrase } from './bootstrap.ts';
import type { Config } from './config.ts';
import type { Services } from './context.ts';
import { openDatabase } from './db/database.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { Logger } from './logger.ts';
import { startCampaignRunner, type CampaignRunnerOptions } from './fleet/campaign-runner.ts';
import { startChannelRunner } from './fleet/channel-runner.ts';
import { ChangeFeed } from './events/change-feed.ts';
import { createMetrics } from './metrics.ts';
import { INSTANCE_ENV, reapDeadInstances, registerInstance } from './process-instance.ts';
import { OperationQueue, type QueueOptions } from './queue/operation-queue.ts';
import { createProbeServer, createServer } from './server.ts';
import { proveFleetState } from './state-fingerprint-check.ts';
import { startDriftSchedule } from './worker/drift-schedule.ts';
import { startWebhookWorker } from './webhooks/webhook-worker.ts';
import { startLifetimeSchedule } from './worker/lifetime-schedule.ts';
import { startWorker, type Worker } from './worker/worker.ts';
import { workerCapacity } from '../platform/work-capacity.ts';
import type { RunSettings } from './worker/run-operation.ts';
import { lazyVersionSource } from './versions/live-versions.ts';

export interface PlatformOptions {
  logger: Logger;
  /** Where first-start messages (the admin token) are printed. */
  print?: (line: string) => void;
  run?: Partial<RunSettings>;
  queue?: QueueOptions;
  /** The fleet campaign runner's tick interval and clock. */
  fleet?: CampaignRunnerOptions;
}

export interface RunningPlatform {
  url: string | undefined;
  /** The worker role's /healthz, /readyz and /metrics listener (KAAS_PROBE_PORT), when configured. */
  probeUrl: string | undefined;
  services: Services;
  adminToken: string | undefined;
  worker: Worker | undefined;
  stop(): Promise<void>;
}

export async function startPlatform(config: Readonly<Config>, opts: PlatformOptions): Promise<RunningPlatform> {
  const { logger } = opts;
  // 0711: secrets inside are 0600 files; others may only traverse (the embedded PostgreSQL's
  // `postgres` user must reach <home>/postgres when the platform runs as root)
  if (!fs.existsSync(config.home)) fs.mkdirSync(config.home, { recursive: true, mode: 0o711 });
  for (const { instance, stopped } of await reapDeadInstances(config.home)) {
    if (stopped.length) logger.warn({ killedPlatformPid: instance.pid, stopped }, 'stopped engine processes orphaned by a platform process that was killed');
  }
  const instance = registerInstance(config.home);
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    home: config.home,
    onLog: (line) => logger.debug({ postgres: line.trim() }),
    onOrphan: (pid, ownerPid) => logger.warn({ postgresPid: pid, killedPlatformPid: ownerPid }, 'stopping the embedded PostgreSQL orphaned by a platform process that was killed'),
  }).catch((err: unknown) => {
    instance?.release();
    throw err;
  });
  const cleanups: (() => Promise<void>)[] = [async () => instance?.release(), () => database.close()];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((err: unknown) => logger.error({ err }, 'shutdown step failed'));
  };
  try {
    const applied = await migrateToLatest(database.db);
    if (applied.length) logger.info({ migrations: applied }, 'database migrated');
    const queue = await OperationQueue.start(database.url, opts.queue, (err) => logger.error({ err }, 'queue error'));
    cleanups.push(() => queue.stop());
    const passphrase = config.secretsProvider === 'passphrase' ? pulumiPassphrase(config.home, config.passphrase) : undefined;
    if (config.role !== 'api') {
      // a worker that does not share the fleet's state backend, secrets and sim directory would split the state
      const proof = await proveFleetState(database.db, { backendUrl: config.pulumiBackendUrl, secretsProvider: config.secretsProvider, passphrase, simCloudDir: config.simCloudDir, moveTo: config.fleetMoveTo, by: `${os.hostname()}/${process.pid}` });
      if (proof.outcome === 'moved') logger.warn({ fleetId: proof.fleetId, backend: config.pulumiBackendUrl }, 'fleet state moved on purpose (KAAS_FLEET_MOVE_TO; audited as fleet.state.move): remove the setting now');
      else logger.info({ fleetId: proof.fleetId, outcome: proof.outcome }, 'fleet state fingerprint proven');
      for (const note of proof.notes) logger.warn({ note }, 'fleet state fingerprint');
    }
    const engine = new Engine({ home: config.home, backendUrl: config.pulumiBackendUrl, secretsProvider: config.secretsProvider, pulumiBinDir: findPulumiBinDir(config.pulumiTools), hostPath: config.hostPath, lockWait: { maxMs: config.stateLockWaitMs }, ...(instance ? { env: { [INSTANCE_ENV]: instance.marker } } : {}), ...(passphrase !== undefined ? { passphrase } : {}) });
    const metrics = createMetrics(database.db, { driftIntervalMinutes: config.driftIntervalMinutes });
    // the API's live streams hear every process's changes through PostgreSQL LISTEN/NOTIFY
    const changes = config.role === 'worker' ? undefined : await ChangeFeed.start(database.url, logger);
    if (changes) cleanups.push(() => changes.stop()); // again after the server's below; stopping twice is harmless
    // live version lists read the clouds with each SDK's own credential chain; the calendar is the fallback
    const services: Services = { db: database.db, queue, engine, config, logger, metrics, versionSource: lazyVersionSource(async () => (await import('./versions/cloud-version-clients.ts')).cloudVersionSource()), ...(changes ? { changes } : {}) };
    const { adminToken } = await bootstrap(database.db, config.home, `http://${config.host}:${config.port}`, logger, opts.print ?? ((line) => process.stdout.write(line + '\n')));

    let worker: Worker | undefined;
    if (config.role !== 'api') {
      // the worker-wide cap: the configured concurrency, lowered to what this process's memory holds
      const capacity = workerCapacity(config.workerConcurrency, process.availableMemory(), config.operationMemoryMb);
      worker = await startWorker(services, queue, capacity.concurrency, { retries: opts.run?.retries ?? config.operationRetries, backoffMs: opts.run?.backoffMs ?? config.retryBackoffMs });
      cleanups.push(() => worker!.stop());
      logger.info({ ...capacity, teamMaxRunning: config.teamMaxRunning }, 'worker started');
      cleanups.push(startDriftSchedule(services));
      if (config.driftIntervalMinutes > 0) logger.info({ everyMinutes: config.driftIntervalMinutes }, 'drift schedule started');
      // TTL warnings and expiry, hibernation schedules (one runner among many workers: an advisory lock)
      cleanups.push(startLifetimeSchedule(services));
      // stopped before the worker (cleanups run in reverse): no new fleet operation starts during shutdown
      const runner = startCampaignRunner(services, opts.fleet);
      cleanups.push(() => runner.stop());
      cleanups.push(startApprovalExpirySweep(services));
      // auto-upgrade channels: proposals when the version data gains a release, auto-starts at their time
      cleanups.push(startChannelRunner(services));
      // outgoing webhooks: the dispatcher and their own delivery queue (never an operation's slot)
      cleanups.push(await startWebhookWorker(services));
    }
    const listen = async (server: http.Server, port: number): Promise<string> => {
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, config.host, () => resolve()));
      cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
      // cleanups run in reverse: the change feed stops first, so open streams end (clients reconnect elsewhere) before the server waits for its connections
      if (changes) cleanups.push(() => changes.stop());
      server.closeIdleConnections?.();
      return `http://${config.host}:${(server.address() as AddressInfo).port}`;
    };
    let url: string | undefined;
    let probeUrl: string | undefined;
    if (config.role !== 'worker') {
      url = await listen(createServer(services, metrics), config.port);
      logger.info({ url }, 'API listening');
    } else if (config.probePort !== undefined) {
      probeUrl = await listen(createProbeServer(services, metrics), config.probePort);
      logger.info({ url: probeUrl }, 'worker probes listening');
    }
    return { url, probeUrl, services, adminToken, worker, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
