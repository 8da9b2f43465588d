/**
 * A worker-role process has no API, but Kubernetes still needs to probe it and Prometheus to
 * scrape it (deploy/helm/kaas): with KAAS_PROBE_PORT set it serves /healthz, /readyz and /metrics
 * there, and nothing else; without it a worker opens no port at all.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../api/config.ts';
import { createLogger } from '../api/logger.ts';
import { startPlatform, type RunningPlatform } from '../api/platform-process.ts';
import { createEmptyDatabase } from './support/database.ts';

describe('worker probes', () => {
  let home: string;
  let databaseUrl: string;
  let platform: RunningPlatform;

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-probes-'));
    databaseUrl = await createEmptyDatabase();
    const config = loadConfig({ KAAS_HOME: home, KAAS_PROBE_PORT: '0', KAAS_LOG_LEVEL: 'silent', DATABASE_URL: databaseUrl, KAAS_ROLE: 'worker', KAAS_DRIFT_INTERVAL_MINUTES: '0' });
    platform = await startPlatform(config, { logger: createLogger('silent'), print: () => {} });
  });
  afterAll(async () => {
    await platform?.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('serves /healthz, /readyz and /metrics on the probe port, and no API', async () => {
    expect(platform.url).toBeUndefined();
    expect(platform.probeUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const healthz = await fetch(`${platform.probeUrl}/healthz`);
    expect([healthz.status, await healthz.text()]).toEqual([200, 'ok\n']);
    const readyz = await fetch(`${platform.probeUrl}/readyz`);
    expect([readyz.status, await readyz.text()]).toEqual([200, 'ready\n']);
    const metrics = await fetch(`${platform.probeUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/^process_cpu_user_seconds_total /m);
    const api = await fetch(`${platform.probeUrl}/trpc/whoami`);
    expect(api.status).toBe(404);
  });

  it('a worker without KAAS_PROBE_PORT opens no port', async () => {
    const other = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-probes-'));
    // its own database: a worker with another KAAS_HOME on the first one's database is refused (it would not share the fleet's state)
    const config = loadConfig({ KAAS_HOME: other, KAAS_LOG_LEVEL: 'silent', DATABASE_URL: await createEmptyDatabase(), KAAS_ROLE: 'worker', KAAS_DRIFT_INTERVAL_MINUTES: '0' });
    const second = await startPlatform(config, { logger: createLogger('silent'), print: () => {} });
    try {
      expect(second.url).toBeUndefined();
      expect(second.probeUrl).toBeUndefined();
    } finally {
      await second.stop();
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it('refuses a bad KAAS_PROBE_PORT naming it', () => {
    expect(() => loadConfig({ KAAS_PROBE_PORT: 'eighty' })).toThrow(/KAAS_PROBE_PORT/);
  });
});
