/**
 * The platform's configuration: the one place that reads `process.env`. Parsed with zod at start,
 * frozen, and passed down; a bad setting stops start-up with a message naming it.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { isIpv4Cidr } from '../platform/cidr.ts';
import type { PulumiToolsEnv } from '../stacks/engine/pulumi-cli.ts';

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

const EnvSchema = z.object({
  KAAS_HOME: z.string().min(1).default('./.kaas'),
  PORT: z.coerce.number().int().min(0).max(65535).default(7080),
  HOST: z.string().min(1).default('127.0.0.1'),
  KAAS_PROBE_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL').optional(),
  KAAS_PULUMI_BACKEND: z
    .string()
    .regex(/^(file|s3|gs|azblob):\/\//, 'must be a file://, s3://, gs:// or azblob:// URL')
    .optional(),
  KAAS_SECRETS_PROVIDER: z
    .string()
    .regex(/^(passphrase|awskms:\/\/.+|gcpkms:\/\/.+|azurekeyvault:\/\/.+|hashivault:\/\/.+)$/, 'must be "passphrase" or a KMS URL (awskms://, gcpkms://, azurekeyvault://, hashivault://)')
    .default('passphrase'),
  PULUMI_CONFIG_PASSPHRASE: z.string().optional(),
  KAAS_FLEET_MOVE_TO: z
    .string()
    .regex(/^(file|s3|gs|azblob):\/\//, 'must be the new state backend URL (file://, s3://, gs:// or azblob://), the same as KAAS_PULUMI_BACKEND')
    .optional(),
  KAAS_ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  KAAS_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  KAAS_TEAM_MAX_RUNNING: z.coerce.number().int().min(1).max(1000).default(4),
  KAAS_OPERATION_MEMORY_MB: z.coerce.number().int().min(1).max(65_536).default(260),
  KAAS_OPERATION_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
  KAAS_RETRY_BACKOFF_SECONDS: z.coerce.number().min(0).max(600).default(5),
  KAAS_STATE_LOCK_WAIT_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
  KAAS_SIM_CLOUD_DIR: z.string().min(1).optional(),
  KAAS_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KAAS_DEV: bool.default(false),
  KAAS_DRIFT_INTERVAL_MINUTES: z.coerce.number().int().min(0).max(43_200).default(360),
  KAAS_LIFETIME_TICK_SECONDS: z.coerce.number().int().min(0).max(3600).default(60),
  KAAS_TTL_WARNING_HOURS: z
    .string()
    .default('24,1')
    .transform((s) => s.split(',').map((h) => Number(h.trim())))
    .refine((hs) => hs.length > 0 && hs.length <= 10 && hs.every((h) => Number.isFinite(h) && h > 0 && h <= 24 * 30), 'must be a comma-separated list of hours before expiry, e.g. 24,1'),
  KAAS_RATE_LIMIT_PER_SECOND: z.coerce.number().min(0).max(100_000).default(20),
  KAAS_RATE_LIMIT_BURST: z.coerce.number().int().min(1).max(100_000).default(100),
  KAAS_TOOLS_DIR: z.string().min(1).optional(),
  KAAS_PULUMI_ROOT: z.string().min(1).optional(),
  KAAS_WORKER_EGRESS_CIDRS: z
    .string()
    .transform((v) => v.split(',').map((c) => c.trim()).filter((c) => c.length > 0))
    .refine((cidrs) => cidrs.every(isIpv4Cidr), 'must be comma-separated IPv4 CIDRs such as 203.0.113.7/32,198.51.100.0/28')
    .optional(),
  KAAS_WEB_DIR: z.string().min(1).optional(),
  PATH: z.string().default(''),
});

export interface Config {
  home: string;
  port: number;
  host: string;
  /** The worker role's port for /healthz, /readyz and /metrics only (no API); undefined: none. Other roles serve them on `port`. */
  probePort: number | undefined;
  /** Undefined means: start the embedded PostgreSQL under `<home>/postgres`. */
  databaseUrl: string | undefined;
  pulumiBackendUrl: string;
  secretsProvider: string;
  /** Only for the passphrase provider; defaults to a per-install random one kept in `<home>`. */
  passphrase: string | undefined;
  /** KAAS_FLEET_MOVE_TO: the state backend the fleet moves to on purpose (see api/state-fingerprint-check.ts). */
  fleetMoveTo: string | undefined;
  role: 'all' | 'api' | 'worker';
  /** Most operations one worker runs at once; lowered at start to what its memory holds (platform/work-capacity.ts). */
  workerConcurrency: number;
  /** Most operations of one team running at once across every worker (`KAAS_TEAM_MAX_RUNNING`). */
  teamMaxRunning: number;
  /** Memory one concurrent operation needs, for the worker's memory cap (`KAAS_OPERATION_MEMORY_MB`). */
  operationMemoryMb: number;
  /** Retries of a retryable engine failure within one operation, and the first backoff (doubling). */
  operationRetries: number;
  retryBackoffMs: number;
  /** How long an operation waits for a live Pulumi stack lock before failing `locked` (ms). */
  stateLockWaitMs: number;
  simCloudDir: string;
  logLevel: string;
  dev: boolean;
  /** Minutes between scheduled drift checks of each ready cluster; 0 disables the schedule. */
  driftIntervalMinutes: number;
  /** Seconds between lifetime passes (TTL warnings and expiry, hibernation schedules); 0 disables them. */
  lifetimeTickSeconds: number;
  /** Lead times before a cluster's expiry at which its owners are warned (ms, `KAAS_TTL_WARNING_HOURS`). */
  ttlWarningLeadsMs: readonly number[];
  /** Requests per second (sustained, 0 = unlimited) and burst allowed per API token or anonymous address. */
  rateLimit: { perSecond: number; burst: number };
  /** Where the Pulumi CLI is looked for (`KAAS_TOOLS_DIR`, `KAAS_PULUMI_ROOT`; see stacks/engine/pulumi-cli.ts). */
  pulumiTools: PulumiToolsEnv;
  /** The host's PATH, handed to the engine and its providers. */
  hostPath: string;
  /**
   * The cloud SDKs' credential variables of the worker's environment (AWS_*, GOOGLE_*, CLOUDSDK_*,
   * AZURE_*, ARM_*), kept so `targets check` can say which credentials a worker would find.
   * Never logged, stored or returned: the check reports only which source it found.
   */
  cloudCredentialEnv: Readonly<Record<string, string | undefined>>;
  /**
   * The environment the cloud tools the worker runs itself inherit (a kubeconfig's exec credential
   * plugin: `aws eks get-token`, `gke-gcloud-auth-plugin`, `kubelogin`), as kubectl would run them:
   * the platform's own. Never logged, stored or returned.
   */
  toolEnv: Readonly<Record<string, string | undefined>>;
  /**
   * The worker's public egress addresses (`KAAS_WORKER_EGRESS_CIDRS`), matched against a spec's
   * `networking.authorizedCidrs`; undefined when not configured.
   */
  workerEgressCidrs: readonly string[] | undefined;
  /** The built web console served at `/` (`KAAS_WEB_DIR`; default: the repository's `dist/web`). */
  webDir: string;
}

/** Parses the environment into a frozen Config, or throws an Error naming every bad setting. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Readonly<Config> {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n  ');
    throw new Error(`invalid configuration:\n  ${problems}`);
  }
  const e = parsed.data;
  const home = path.resolve(cwd, e.KAAS_HOME);
  return Object.freeze({
    home,
    port: e.PORT,
    host: e.HOST,
    probePort: e.KAAS_PROBE_PORT,
    databaseUrl: e.DATABASE_URL,
    pulumiBackendUrl: e.KAAS_PULUMI_BACKEND ?? pathToFileURL(path.join(home, 'state')).href,
    secretsProvider: e.KAAS_SECRETS_PROVIDER,
    passphrase: e.PULUMI_CONFIG_PASSPHRASE,
    fleetMoveTo: e.KAAS_FLEET_MOVE_TO,
    role: e.KAAS_ROLE,
    workerConcurrency: e.KAAS_WORKER_CONCURRENCY,
    teamMaxRunning: e.KAAS_TEAM_MAX_RUNNING,
    operationMemoryMb: e.KAAS_OPERATION_MEMORY_MB,
    operationRetries: e.KAAS_OPERATION_RETRIES,
    retryBackoffMs: e.KAAS_RETRY_BACKOFF_SECONDS * 1000,
    stateLockWaitMs: e.KAAS_STATE_LOCK_WAIT_SECONDS * 1000,
    simCloudDir: path.resolve(cwd, e.KAAS_SIM_CLOUD_DIR ?? path.join(home, 'sim-cloud')),
    logLevel: e.KAAS_LOG_LEVEL,
    dev: e.KAAS_DEV,
    driftIntervalMinutes: e.KAAS_DRIFT_INTERVAL_MINUTES,
    lifetimeTickSeconds: e.KAAS_LIFETIME_TICK_SECONDS,
    ttlWarningLeadsMs: Object.freeze(e.KAAS_TTL_WARNING_HOURS.map((h) => Math.round(h * 3_600_000))),
    rateLimit: Object.freeze({ perSecond: e.KAAS_RATE_LIMIT_PER_SECOND, burst: e.KAAS_RATE_LIMIT_BURST }),
    pulumiTools: Object.freeze({ KAAS_TOOLS_DIR: e.KAAS_TOOLS_DIR, KAAS_PULUMI_ROOT: e.KAAS_PULUMI_ROOT }),
    hostPath: e.PATH,
    webDir: e.KAAS_WEB_DIR ? path.resolve(cwd, e.KAAS_WEB_DIR) : fileURLToPath(new URL('../dist/web', import.meta.url)),
    workerEgressCidrs: e.KAAS_WORKER_EGRESS_CIDRS ? Object.freeze(e.KAAS_WORKER_EGRESS_CIDRS) : undefined,
    toolEnv: Object.freeze({ ...env }),
    cloudCredentialEnv: Object.freeze(Object.fromEntries(Object.entries(env).filter(([k]) => /^(AWS_|GOOGLE_|CLOUDSDK_|AZURE_|ARM_)/.test(k)))),
  });
}
