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
  KAAS_APPROVAL_TTL_HOURS: z.coerce.number().min(0.01).max(720).default(24),
  KAAS_CHANNEL_CHECK_SECONDS: z.coerce.number().int().min(0).max(86_400).default(300),
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
  KAAS_OIDC_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  KAAS_OIDC_CLIENT_ID: z.string().min(1).max(200).optional(),
  KAAS_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  KAAS_OIDC_AUDIENCE: z.string().min(1).max(500).optional(),
  KAAS_OIDC_GROUPS_CLAIM: z.string().regex(/^[A-Za-z0-9_:./-]{1,100}$/, 'must be a claim name such as groups').default('groups'),
  KAAS_OIDC_JWKS_COOLDOWN_SECONDS: z.coerce.number().min(0).max(3600).default(30),
  KAAS_WEBHOOK_ALLOWED_HOSTS: z
    .string()
    .transform((v) => v.split(',').map((h) => h.trim()).filter((h) => h.length > 0))
    .refine((hosts) => hosts.every((h) => /^(\*\.)?[A-Za-z0-9.:-]+$/.test(h)), 'must be comma-separated host patterns such as hooks.example.com,*.corp.example,10.0.0.7')
    .optional(),
  KAAS_WEBHOOK_ALLOW_HTTP: bool.default(false),
  KAAS_WEBHOOK_SECRET_KEY: z
    .string()
    .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes in base64 (e.g. `openssl rand -base64 32`)')
    .optional(),
  KAAS_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  KAAS_WEBHOOK_RETRY_BASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(10),
  KAAS_WEBHOOK_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(120).default(10),
  KAAS_WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
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
  /** Hours an approval request stays open before it expires (default 24). */
  approvalTtlHours: number;
  /** Seconds between auto-upgrade channel checks (proposals, auto-starts); 0 turns them off. */
  channelCheckSeconds: number;
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
  /** Outgoing webhooks (README "Events and webhooks"): the SSRF allow-list, retries and limits. */
  webhooks: {
    /** KAAS_WEBHOOK_ALLOWED_HOSTS: host patterns receivers must match (trusted whatever they resolve to); undefined: any public host. */
    allowedHosts: readonly string[] | undefined;
    /** KAAS_WEBHOOK_ALLOW_HTTP: accept plain-http receivers (tests, labs). */
    allowHttp: boolean;
    /** KAAS_WEBHOOK_SECRET_KEY: the AES-256-GCM key subscription secrets are stored under; undefined: stored as they are. Never logged. */
    secretKey: Buffer | undefined;
    /** Attempts of one delivery before it is recorded failed. */
    maxAttempts: number;
    /** Seconds before the first retry; doubling after each failed attempt. */
    retryBaseSeconds: number;
    /** Seconds a receiver has to answer. */
    timeoutSeconds: number;
    /** Deliveries one worker process sends at once (its own queue: never an operation's slot). */
    concurrency: number;
  };
  /** OIDC single sign-on (api/auth/oidc-verifier.ts); undefined when KAAS_OIDC_ISSUER is not set. */
  oidc: OidcConfig | undefined;
}

/** The identity provider kaas trusts for single sign-on. */
export interface OidcConfig {
  /** KAAS_OIDC_ISSUER: the provider's issuer URL (discovery at `<issuer>/.well-known/openid-configuration`). */
  issuer: string;
  /** KAAS_OIDC_CLIENT_ID: the client registered for kaas (the CLI uses it as a public client; the console too, with the secret when given). */
  clientId: string;
  /** KAAS_OIDC_CLIENT_SECRET: the console's client secret, when the provider registered kaas as a confidential client. Never returned. */
  clientSecret: string | undefined;
  /** KAAS_OIDC_AUDIENCE: the `aud` a JWT access token must carry (default: the client id, which is an ID token's `aud`). */
  audience: string;
  /** KAAS_OIDC_GROUPS_CLAIM: the claim holding the person's groups (default `groups`). */
  groupsClaim: string;
  /** KAAS_OIDC_JWKS_COOLDOWN_SECONDS: least time between two JWKS fetches caused by an unknown key id (default 30 s). */
  jwksCooldownMs: number;
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
    approvalTtlHours: e.KAAS_APPROVAL_TTL_HOURS,
    channelCheckSeconds: e.KAAS_CHANNEL_CHECK_SECONDS,
    lifetimeTickSeconds: e.KAAS_LIFETIME_TICK_SECONDS,
    ttlWarningLeadsMs: Object.freeze(e.KAAS_TTL_WARNING_HOURS.map((h) => Math.round(h * 3_600_000))),
    rateLimit: Object.freeze({ perSecond: e.KAAS_RATE_LIMIT_PER_SECOND, burst: e.KAAS_RATE_LIMIT_BURST }),
    pulumiTools: Object.freeze({ KAAS_TOOLS_DIR: e.KAAS_TOOLS_DIR, KAAS_PULUMI_ROOT: e.KAAS_PULUMI_ROOT }),
    hostPath: e.PATH,
    webDir: e.KAAS_WEB_DIR ? path.resolve(cwd, e.KAAS_WEB_DIR) : fileURLToPath(new URL('../dist/web', import.meta.url)),
    oidc: oidcConfig(e),
    webhooks: Object.freeze({
      allowedHosts: e.KAAS_WEBHOOK_ALLOWED_HOSTS ? Object.freeze(e.KAAS_WEBHOOK_ALLOWED_HOSTS) : undefined,
      allowHttp: e.KAAS_WEBHOOK_ALLOW_HTTP,
      secretKey: e.KAAS_WEBHOOK_SECRET_KEY ? Buffer.from(e.KAAS_WEBHOOK_SECRET_KEY, 'base64') : undefined,
      maxAttempts: e.KAAS_WEBHOOK_MAX_ATTEMPTS,
      retryBaseSeconds: e.KAAS_WEBHOOK_RETRY_BASE_SECONDS,
      timeoutSeconds: e.KAAS_WEBHOOK_TIMEOUT_SECONDS,
      concurrency: e.KAAS_WEBHOOK_CONCURRENCY,
    }),
    workerEgressCidrs: e.KAAS_WORKER_EGRESS_CIDRS ? Object.freeze(e.KAAS_WORKER_EGRESS_CIDRS) : undefined,
    toolEnv: Object.freeze({ ...env }),
    cloudCredentialEnv: Object.freeze(Object.fromEntries(Object.entries(env).filter(([k]) => /^(AWS_|GOOGLE_|CLOUDSDK_|AZURE_|ARM_)/.test(k)))),
  });
}

/** The OIDC settings: all or nothing (an issuer without a client id stops start-up). */
function oidcConfig(e: z.infer<typeof EnvSchema>): OidcConfig | undefined {
  if (!e.KAAS_OIDC_ISSUER) {
    if (e.KAAS_OIDC_CLIENT_ID) throw new Error('invalid configuration:\n  KAAS_OIDC_CLIENT_ID is set but KAAS_OIDC_ISSUER is not: set both for single sign-on, or neither');
    return undefined;
  }
  if (!e.KAAS_OIDC_CLIENT_ID) throw new Error('invalid configuration:\n  KAAS_OIDC_ISSUER is set but KAAS_OIDC_CLIENT_ID is not: set the client id the provider registered for kaas');
  return Object.freeze({
    issuer: e.KAAS_OIDC_ISSUER,
    clientId: e.KAAS_OIDC_CLIENT_ID,
    clientSecret: e.KAAS_OIDC_CLIENT_SECRET,
    audience: e.KAAS_OIDC_AUDIENCE ?? e.KAAS_OIDC_CLIENT_ID,
    groupsClaim: e.KAAS_OIDC_GROUPS_CLAIM,
    jwksCooldownMs: e.KAAS_OIDC_JWKS_COOLDOWN_SECONDS * 1000,
  });
}
