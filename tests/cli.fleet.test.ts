/**
 * The fleet CLI: campaign flags → `fleet.plan` input (and the usage errors of bad combinations),
 * the renderers, `--watch`, and the commands over real HTTP against an in-process platform (API
 * role only: campaigns are planned, started and controlled, but no runner moves them).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../api/config.ts';
import { newId } from '../api/ids.ts';
import { createLogger } from '../api/logger.ts';
import { startPlatform, type RunningPlatform } from '../api/platform-process.ts';
import type { CampaignPlan, CampaignStatusView, CampaignSummary, RolloutPreview } from '../cli/api-types.ts';
import type { Api } from '../cli/client.ts';
import { planInputFromFlags, type CampaignFlags } from '../cli/commands/fleet/campaign-flags.ts';
import { watchCampaign } from '../cli/commands/fleet/status.ts';
import { windowFromFlags } from '../cli/commands/fleet/window.ts';
import { CliError } from '../cli/errors.ts';
import { EXIT } from '../cli/exit-codes.ts';
import { run } from '../cli/program.ts';
import { campaignListTable, campaignPlanText, campaignStatusText, rolloutPreviewText, windowText } from '../cli/render/fleet.ts';
import { createEmptyDatabase } from './support/database.ts';
import { insertSimCluster } from './support/fleet.ts';

const MAIN = fileURLToPath(new URL('../cli/main.ts', import.meta.url));

function usageFailure(fn: () => unknown): CliError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).exitCode).toBe(EXIT.USAGE);
    return err as CliError;
  }
  throw new Error('expected a usage error');
}

/** Runs the CLI in-process with no API configured: only what fails before any request can pass. */
async function runOffline(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await run(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: { KAAS_CONFIG: '/nonexistent/kaas.json', KAAS_URL: 'http://127.0.0.1:9' }, stdinIsTTY: false });
  return { code, stdout, stderr };
}

describe('fleet campaign flags', () => {
  it('maps an upgrade with every selector and runner flag to the plan input', () => {
    const flags: CampaignFlags = {
      toVersion: '1.33',
      cloud: 'sim',
      target: 'sim-local',
      team: 'payments',
      selectorTemplate: 'sim-dev@1',
      label: ['env=prod', 'tier=web'],
      versionMin: '1.31',
      versionMax: '1.32',
      canary: '2',
      waves: '25, 75%',
      maxParallel: '3',
      failureThreshold: '1',
      approval: true,
      soak: '600',
    };
    expect(planInputFromFlags(flags)).toEqual({
      kind: 'upgrade',
      targetVersion: '1.33',
      selector: { cloud: 'sim', target: 'sim-local', team: 'payments', template: 'sim-dev@1', labels: { env: 'prod', tier: 'web' }, version: { min: '1.31', max: '1.32' } },
      waves: { canary: 2, percentages: [25, 75] },
      maxParallel: 3,
      failureThreshold: 1,
      approvalBetweenWaves: true,
      soakSeconds: 600,
    });
  });

  it('defaults the runner settings, and --canary alone puts the rest in one wave', () => {
    expect(planInputFromFlags({ toVersion: '1.33', canary: '1' })).toEqual({ kind: 'upgrade', targetVersion: '1.33', selector: {}, waves: { canary: 1, percentages: [100] }, maxParallel: 1, failureThreshold: 0, approvalBetweenWaves: false, soakSeconds: 0 });
    expect(planInputFromFlags({ toVersion: '1.33', waves: '50,50' }).waves).toEqual({ canary: 0, percentages: [50, 50] });
  });

  it('maps explicit --wave lists in order, and a template rollout', () => {
    expect(planInputFromFlags({ toVersion: '1.33', wave: ['c_1, c_2', 'c_3'] }).waves).toEqual({ lists: [['c_1', 'c_2'], ['c_3']] });
    const rollout = planInputFromFlags({ template: 'sim-dev', to: '2', from: '1', waves: '100', label: ['rollout=yes'] });
    expect(rollout).toEqual({ kind: 'template-rollout', template: 'sim-dev', toVersion: 2, fromVersion: 1, selector: { labels: { rollout: 'yes' } }, waves: { canary: 0, percentages: [100] }, maxParallel: 1, failureThreshold: 0, approvalBetweenWaves: false, soakSeconds: 0 });
  });

  it('leaves percentages that do not total 100 to the API', () => {
    expect(planInputFromFlags({ toVersion: '1.33', waves: '30,30' }).waves).toEqual({ canary: 0, percentages: [30, 30] });
  });

  it.each<[string, CampaignFlags, RegExp]>([
    ['--waves with --wave', { toVersion: '1.33', waves: '100', wave: ['c_1'] }, /--waves and --wave cannot be combined/],
    ['--canary with --wave', { toVersion: '1.33', canary: '1', wave: ['c_1'] }, /--canary works with --waves/],
    ['no waves at all', { toVersion: '1.33' }, /say how to split the clusters into waves/],
    ['an empty --wave', { toVersion: '1.33', wave: [' , '] }, /--wave " , " lists no cluster/],
    ['no campaign kind', { canary: '1' }, /--to-version VERSION .* or --template NAME --to N/],
    ['both kinds', { toVersion: '1.33', template: 'sim-dev', to: '2', canary: '1' }, /cannot be combined with --template/],
    ['--template without --to', { template: 'sim-dev', canary: '1' }, /--template needs the version to roll out: --to N/],
    ['--to without --template', { to: '2', canary: '1' }, /--to is a template version: name the template/],
    ['a fractional canary', { toVersion: '1.33', canary: '1.5' }, /--canary "1.5" must be a whole number/],
    ['a word in --waves', { toVersion: '1.33', waves: '50,half' }, /--waves "half" must be a whole number/],
    ['a negative --max-parallel', { toVersion: '1.33', canary: '1', maxParallel: '-1' }, /--max-parallel "-1"/],
    ['an unknown cloud', { toVersion: '1.33', canary: '1', cloud: 'moon' }, /--cloud "moon" is not one of sim, aws, gcp, azure/],
    ['a bad label', { toVersion: '1.33', canary: '1', label: ['env'] }, /--label "env": must look like key=value/],
  ])('refuses %s', (_name, flags, message) => {
    expect(usageFailure(() => planInputFromFlags(flags)).message).toMatch(message);
  });

  it('suggests --to-version when --target was given a version', () => {
    expect(usageFailure(() => planInputFromFlags({ target: '1.33', canary: '1' })).hint).toBe('--target selects clusters by deployment target; did you mean --to-version 1.33?');
    expect(usageFailure(() => planInputFromFlags({ target: 'sim-local', canary: '1' })).hint).toMatch(/^example: kaas fleet plan --to-version/);
  });

  it('exits 2 with the message and hint on stderr before any request', async () => {
    const both = await runOffline(['fleet', 'plan', '--to-version', '1.33', '--waves', '25,75', '--wave', 'c_1']);
    expect(both.code).toBe(EXIT.USAGE);
    expect(both.stderr).toMatch(/^error: --waves and --wave cannot be combined/m);
    expect(both.stderr).toMatch(/^hint: split the clusters with --waves 25,75/m);
    expect(both.stdout).toBe('');
    const start = await runOffline(['fleet', 'start', 'c1', '--template', 'sim-dev', '--canary', '1']);
    expect(start.code).toBe(EXIT.USAGE);
    expect(start.stderr).toMatch(/^error: --template needs the version to roll out/m);
    const cloud = await runOffline(['fleet', 'plan', '--to-version', '1.33', '--canary', '1', '--cloud', 'moon']);
    expect(cloud.code).toBe(EXIT.USAGE);
    expect(cloud.stderr).toMatch(/--cloud <cloud>' argument 'moon' is invalid/);
    const status = await runOffline(['fleet', 'list', '--status', 'sleeping']);
    expect(status.code).toBe(EXIT.USAGE);
    const window = await runOffline(['fleet', 'window', 'web', '--team', 'payments', '--clear', '--days', 'sat']);
    expect(window.code).toBe(EXIT.USAGE);
    expect(window.stderr).toMatch(/^error: --clear cannot be combined with --days$/m);
    const preview = await runOffline(['templates', 'rollout-preview', 'sim-dev@1', '--to', '2']);
    expect(preview.code).toBe(EXIT.USAGE);
    expect(preview.stderr).toMatch(/without a version \("sim-dev"\)/);
  });
});

describe('fleet window flags', () => {
  it('builds a window, or null for --clear', () => {
    expect(windowFromFlags({ days: 'Sat, sun', start: '02:00', duration: '240' })).toEqual({ days: ['sat', 'sun'], startUtc: '02:00', durationMinutes: 240 });
    expect(windowFromFlags({ clear: true })).toBeNull();
  });

  it('refuses a partial window, --clear with a window, and a non-numeric duration', () => {
    expect(usageFailure(() => windowFromFlags({ days: 'sat' })).message).toBe('a maintenance window needs --start, --duration');
    expect(usageFailure(() => windowFromFlags({})).message).toBe('a maintenance window needs --days, --start, --duration');
    expect(usageFailure(() => windowFromFlags({ clear: true, start: '02:00', duration: '60' })).message).toBe('--clear cannot be combined with --start, --duration');
    expect(usageFailure(() => windowFromFlags({ days: 'sat', start: '02:00', duration: '4h' })).message).toMatch(/--duration "4h" must be a whole number of minutes/);
  });
});

const summary = (over: Partial<CampaignSummary> = {}): CampaignSummary => ({
  id: 'cmp_1',
  name: 'q3-upgrade',
  kind: 'upgrade',
  target: '1.33',
  status: 'running',
  statusReason: null,
  waves: ['canary', 'wave-1'],
  currentWave: 'canary',
  maxParallel: 1,
  failureThreshold: 0,
  approvalBetweenWaves: false,
  soakSeconds: 0,
  selector: {},
  strategy: {},
  counts: { pending: 2, waiting_window: 0, upgrading: 1, succeeded: 0, failed: 0, blocked: 0, skipped: 1, deleted: 0 },
  createdBy: 'admin',
  createdAt: '2025-06-11T12:00:00.000Z',
  updatedAt: '2025-06-11T12:00:00.000Z',
  finishedAt: null,
  ...over,
});

describe('fleet renderers', () => {
  it('renders a plan: waves with team, version, template and window, then skipped clusters with reasons', () => {
    const cluster = (id: string, name: string, version: string, window: CampaignPlan['waves'][number]['clusters'][number]['maintenanceWindow'] = null) => ({ id, name, team: 'payments', version, template: 'sim-dev@1', maintenanceWindow: window, hops: version === '1.32' ? ['1.33'] : [] });
    const plan: CampaignPlan = {
      kind: 'upgrade',
      target: '1.33',
      waves: [
        { name: 'canary', clusters: [cluster('c_1', 'api', '1.32')] },
        { name: 'wave-1', clusters: [cluster('c_2', 'web', '1.32', { days: ['sat', 'sun'], startUtc: '02:00', durationMinutes: 240 })] },
      ],
      skipped: [{ ...cluster('c_3', 'old', '1.30'), reason: 'at 1.30: more than one minor behind 1.33; upgrade it first' }],
      total: 2,
      capacity: { maxParallel: 8, workerSlots: 4, workers: 1, teamMaxRunning: 4, effectiveParallel: 4, note: 'maxParallel 8 > worker capacity 4 (1 live worker): waves will run 4 at a time' },
    };
    expect(campaignPlanText(plan).split('\n')).toEqual([
      'upgrade to Kubernetes 1.33: 2 clusters in 2 waves, 1 skipped',
      'note: maxParallel 8 > worker capacity 4 (1 live worker): waves will run 4 at a time',
      'WAVE    CLUSTER  TEAM      VERSION  TEMPLATE   WINDOW                      ID',
      'canary  api      payments  1.32     sim-dev@1  any time                    c_1',
      'wave-1  web      payments  1.32     sim-dev@1  sat,sun 02:00 UTC for 240m  c_2',
      '',
      'skipped:',
      'CLUSTER  TEAM      VERSION  TEMPLATE   REASON',
      'old      payments  1.30     sim-dev@1  at 1.30: more than one minor behind 1.33; upgrade it first',
    ]);
    expect(campaignPlanText({ kind: 'template-rollout', target: 'sim-dev@2', waves: [], skipped: [], total: 0, capacity: { maxParallel: 1, workerSlots: 4, workers: 1, teamMaxRunning: 4, effectiveParallel: 1, note: null } })).toBe('template rollout to sim-dev@2: 0 clusters in 0 waves, 0 skipped\nno cluster to move');
  });

  it('renders a status: header with status, wave and counts, then a row per cluster with its step and gates, then every blocked reason and failing check', () => {
    const none = { step: null, gates: [], blockedReasons: [] };
    const view: CampaignStatusView = {
      campaign: summary({ status: 'halted', statusReason: '1 cluster failed (threshold 0)' }),
      clusters: [
        {
          clusterId: 'c_1', name: 'api', team: 'payments', wave: 'canary', status: 'failed', reason: 'health gate failed', operationId: 'op_9', attempts: 1, kubernetesVersion: '1.33', kubernetesPatch: null, template: 'sim-dev@1', startedAt: null, finishedAt: null,
          step: '1/3 control plane 1.32 → 1.33',
          gates: [{ afterStep: 0, passed: false, elapsedMs: 1200, failing: ['system-pods: crash-looping: kube-system/coredns-0 (CrashLoopBackOff, 5 restarts)'] }],
          blockedReasons: [],
        },
        {
          clusterId: 'c_2', name: 'web', team: 'payments', wave: 'canary', status: 'blocked', reason: 'blocked before the hop to 1.33', operationId: 'op_8', attempts: 1, kubernetesVersion: '1.32', kubernetesPatch: null, template: 'sim-dev@1', startedAt: null, finishedAt: null,
          step: '1/3 control plane 1.32 → 1.33', gates: [],
          blockedReasons: ['deprecated-api: flowcontrol.apiserver.k8s.io/v1beta2 flowschemas is still requested and removed in 1.29 (sim)', 'pod-disruption-budget: PodDisruptionBudget shop/db allows 0 disruption(s) now'],
        },
        { clusterId: 'c_3', name: 'old', team: 'payments', wave: null, status: 'waiting_window', reason: null, operationId: null, attempts: 0, kubernetesVersion: '1.30', kubernetesPatch: null, template: null, startedAt: null, finishedAt: null, ...none },
      ],
    };
    expect(campaignStatusText(view).split('\n')).toEqual([
      'campaign q3-upgrade (cmp_1): upgrade to Kubernetes 1.33',
      'status: halted, wave canary (1/2); 2 pending, 1 upgrading, 1 skipped',
      'reason: 1 cluster failed (threshold 0)',
      'WAVE    CLUSTER  TEAM      STATUS          VERSION  STEP                           GATES                OPERATION  REASON',
      'canary  api      payments  failed          1.33     1/3 control plane 1.32 → 1.33  FAILED after step 1  op_9       health gate failed',
      'canary  web      payments  blocked         1.32     1/3 control plane 1.32 → 1.33  -                    op_8       blocked before the hop to 1.33',
      '-       old      payments  waiting window  1.30     -                              -                    -          -',
      'api: gate after step 1 failed: system-pods: crash-looping: kube-system/coredns-0 (CrashLoopBackOff, 5 restarts)',
      'web: blocked: deprecated-api: flowcontrol.apiserver.k8s.io/v1beta2 flowschemas is still requested and removed in 1.29 (sim)',
      'web: blocked: pod-disruption-budget: PodDisruptionBudget shop/db allows 0 disruption(s) now',
    ]);
  });

  it('renders the campaign list and windows', () => {
    expect(campaignListTable({ items: [summary({ kind: 'template-rollout', target: 'sim-dev@2', status: 'awaiting_approval', currentWave: 'wave-1' })] }).split('\n')).toEqual([
      'NAME        KIND              TARGET     STATUS             WAVE          CLUSTERS                           CREATED                   ID',
      'q3-upgrade  template-rollout  sim-dev@2  awaiting approval  wave-1 (2/2)  2 pending, 1 upgrading, 1 skipped  2025-06-11T12:00:00.000Z  cmp_1',
    ]);
    expect(campaignListTable({ items: [] })).toBe('no campaigns');
    expect(windowText(null)).toBe('any time');
  });

  it('renders a rollout preview: changes per cluster (absent values named), or the error', () => {
    const preview: RolloutPreview = {
      template: 'sim-dev@2',
      items: [
        { clusterId: 'c_1', name: 'api', team: 'payments', from: 'sim-dev@1', error: null, changes: [{ path: 'nodePools.batch.maxSize', from: 3, to: 4 }, { path: 'tags.cost-center', to: 'platform' } as never] },
        { clusterId: 'c_2', name: 'web', team: 'payments', from: 'sim-dev@1', error: 'overrides do not resolve against sim-dev@2: machineType', changes: [] },
      ],
    };
    expect(rolloutPreviewText(preview).split('\n')).toEqual([
      'rollout of sim-dev@2: 2 clusters, 1 cannot roll out',
      'payments/api (from sim-dev@1): 2 changes',
      '  PATH                     FROM      TO',
      '  nodePools.batch.maxSize  3         4',
      '  tags.cost-center         (absent)  platform',
      'payments/web (from sim-dev@1): cannot roll out: overrides do not resolve against sim-dev@2: machineType',
    ]);
    expect(rolloutPreviewText({ template: 'sim-dev@1', items: [] })).toBe('rollout of sim-dev@1: no cluster is on an older version');
  });
});

describe('fleet status --watch', () => {
  it('re-reads until the campaign stops (awaiting approval counts), and stops on abort', async () => {
    const statuses: CampaignSummary['status'][] = ['running', 'paused', 'running', 'awaiting_approval', 'completed'];
    let reads = 0;
    const api = { trpc: { fleet: { status: { query: async () => ({ campaign: summary({ status: statuses[reads++]! }), clusters: [] }) } } } } as unknown as Api;
    const seen: string[] = [];
    const result = await watchCampaign(api, { id: 'q3-upgrade', intervalMs: 1, onRead: (v) => seen.push(v.campaign.status) });
    expect(seen).toEqual(['running', 'paused', 'running', 'awaiting_approval']);
    expect(result).toMatchObject({ interrupted: false, view: { campaign: { status: 'awaiting_approval' } } });

    reads = 0;
    const controller = new AbortController();
    const stopped = await watchCampaign(api, { id: 'q3-upgrade', intervalMs: 60_000, signal: controller.signal, onRead: () => controller.abort() });
    expect(stopped.interrupted).toBe(true);
    expect(reads).toBe(1);
  });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('kaas fleet over HTTP', () => {
  let platform: RunningPlatform;
  let home: string;

  function kaas(args: string[]): Promise<Run> {
    const env = { PATH: process.env.PATH ?? '', HOME: home, KAAS_CONFIG: path.join(home, 'cli-config.json'), KAAS_URL: platform.url!, KAAS_TOKEN: platform.adminToken! };
    return new Promise((resolve) => {
      execFile(process.execPath, [MAIN, ...args], { env, timeout: 60_000 }, (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
    });
  }

  beforeAll(async () => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'kaas-cli-fleet-'));
    const config = loadConfig({ KAAS_HOME: home, PORT: '0', KAAS_LOG_LEVEL: 'silent', DATABASE_URL: await createEmptyDatabase(), KAAS_ROLE: 'api' });
    platform = await startPlatform(config, { logger: createLogger('silent'), print: () => {} });
    const db = platform.services.db;
    await db.insertInto('teams').values({ id: newId('t'), name: 'fleet', max_clusters: 20, max_total_nodes: 100, allowed_targets: null, allowed_templates: null }).execute();
    await db.insertInto('teams').values({ id: newId('t'), name: 'other', max_clusters: 20, max_total_nodes: 100, allowed_targets: null, allowed_templates: null }).execute();
    for (const [name, version] of [['b-api', '1.32'], ['a-web', '1.32'], ['c-jobs', '1.32'], ['cur', '1.33'], ['new', '1.34']] as const) await insertSimCluster(db, { team: 'fleet', name, version });
    await insertSimCluster(db, { team: 'other', name: 'elsewhere', version: '1.32' });
  });
  afterAll(async () => {
    await platform?.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('plans waves for the selected team and lists the skipped clusters with reasons (json and table)', async () => {
    const json = await kaas(['fleet', 'plan', '--to-version', '1.33', '--team', 'fleet', '--canary', '1', '--waves', '100', '--output', 'json']);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const plan = JSON.parse(json.stdout) as CampaignPlan;
    expect(plan.waves.map((w) => `${w.name}:${w.clusters.map((c) => c.name).join(',')}`)).toEqual(['canary:a-web', 'wave-1:b-api,c-jobs']);
    expect(Object.fromEntries(plan.skipped.map((s) => [s.name, s.reason]))).toEqual({ cur: 'already at 1.33', new: 'at 1.34, newer than 1.33; downgrades are not supported' });
    expect(plan.total).toBe(3);

    const window = await kaas(['fleet', 'window', 'b-api', '--team', 'fleet', '--days', 'sat,sun', '--start', '02:00', '--duration', '240']);
    expect(window.stderr).toBe('');
    expect(window.stdout.trim()).toBe('cluster fleet/b-api: maintenance window sat,sun 02:00 UTC for 240m');

    const table = await kaas(['fleet', 'plan', '--to-version', '1.33', '--team', 'fleet', '--canary', '1', '--waves', '100']);
    expect(table.code).toBe(0);
    const lines = table.stdout.trim().split('\n');
    expect(lines[0]).toBe('upgrade to Kubernetes 1.33: 3 clusters in 2 waves, 2 skipped');
    // this test's platform runs no worker: the plan says where its operations would wait
    expect(lines[1]).toBe("note: no live worker is registered: the campaign's operations wait in the queue until a worker starts");
    expect(lines[2]).toMatch(/^WAVE\s+CLUSTER\s+TEAM\s+VERSION\s+TEMPLATE\s+WINDOW\s+ID$/);
    expect(lines[3]).toMatch(/^canary\s+a-web\s+fleet\s+1\.32\s+sim-dev@1\s+any time\s+c/);
    expect(lines[4]).toMatch(/^wave-1\s+b-api\s+fleet\s+1\.32\s+sim-dev@1\s+sat,sun 02:00 UTC for 240m\s+c/);
    expect(lines[5]).toMatch(/^wave-1\s+c-jobs\s/);
    expect(table.stdout).toMatch(/^cur\s+fleet\s+1\.33\s+sim-dev@1\s+already at 1\.33$/m);
    expect(table.stdout).toMatch(/^new\s+fleet\s+1\.34\s+sim-dev@1\s+at 1\.34, newer than 1\.33; downgrades are not supported$/m);
    expect(table.stdout).toMatch(/plan only: nothing was started/);
    // the other team's cluster is outside the selector
    expect(table.stdout).not.toMatch(/elsewhere/);

    const cleared = await kaas(['fleet', 'window', 'b-api', '--team', 'fleet', '--clear', '-o', 'json']);
    expect(JSON.parse(cleared.stdout)).toEqual({ team: 'fleet', name: 'b-api', window: null });
  });

  it('plans explicit wave lists by cluster id, and reports what the API refuses with exit 2', async () => {
    const ids = (JSON.parse((await kaas(['fleet', 'plan', '--to-version', '1.33', '--team', 'fleet', '--canary', '0', '-o', 'json'])).stdout) as CampaignPlan).waves.flatMap((w) => w.clusters.map((c) => c.id));
    expect(ids).toHaveLength(3);
    const lists = await kaas(['fleet', 'plan', '--to-version', '1.33', '--team', 'fleet', '--wave', `${ids[2]},${ids[1]}`, '--wave', ids[0]!, '-o', 'json']);
    expect(lists.code).toBe(0);
    expect((JSON.parse(lists.stdout) as CampaignPlan).waves.map((w) => `${w.name}:${w.clusters.map((c) => c.name).join(',')}`)).toEqual(['wave-1:c-jobs,b-api', 'wave-2:a-web']);

    const sum = await kaas(['fleet', 'plan', '--to-version', '1.33', '--waves', '30,30']);
    expect(sum.code).toBe(EXIT.USAGE);
    expect(sum.stderr).toMatch(/per-wave percentages sum to 60/);
    const missing = await kaas(['fleet', 'plan', '--to-version', '1.33', '--team', 'fleet', '--wave', ids[0]!]);
    expect(missing.code).toBe(EXIT.USAGE);
    expect(missing.stderr).toMatch(/selected clusters missing from every wave/);
    expect(missing.stderr).not.toMatch(/\n\s+at /);
  });

  it('starts a campaign, shows its status, pauses it, and watches it to its end', async () => {
    const started = await kaas(['fleet', 'start', 'q3', '--to-version', '1.33', '--team', 'fleet', '--canary', '1', '--waves', '100', '-o', 'json']);
    expect(started.stderr).toBe('');
    expect(started.code).toBe(0);
    expect(JSON.parse(started.stdout)).toMatchObject({ campaign: { name: 'q3', status: 'running', waves: ['canary', 'wave-1'], counts: { pending: 3, skipped: 2 } }, plan: { total: 3 } });

    const status = await kaas(['fleet', 'status', 'q3', '--output', 'json']);
    expect(status.code).toBe(0);
    const view = JSON.parse(status.stdout) as CampaignStatusView;
    expect(view.campaign).toMatchObject({ name: 'q3', kind: 'upgrade', target: '1.33', status: 'running', currentWave: 'canary' });
    expect(view.clusters.map((c) => `${c.wave ?? '-'}:${c.name}:${c.status}`)).toEqual(['canary:a-web:pending', 'wave-1:b-api:pending', 'wave-1:c-jobs:pending', '-:cur:skipped', '-:new:skipped']);

    const paused = await kaas(['fleet', 'pause', 'q3']);
    expect(paused.code).toBe(0);
    expect(paused.stdout).toMatch(/^status: paused, wave canary \(1\/2\); 3 pending, 2 skipped$/m);
    const table = await kaas(['fleet', 'status', view.campaign.id]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^campaign q3 \(.+\): upgrade to Kubernetes 1\.33$/m);
    expect(table.stdout).toMatch(/^status: paused, wave canary \(1\/2\)/m);
    expect(table.stdout).toMatch(/^WAVE\s+CLUSTER\s+TEAM\s+STATUS\s+VERSION\s+STEP\s+GATES\s+OPERATION\s+REASON$/m);
    expect(table.stdout).toMatch(/^canary\s+a-web\s+fleet\s+pending\s+1\.32\s+-\s+-\s+-\s+-$/m);
    expect(table.stdout).toMatch(/^-\s+cur\s+fleet\s+skipped\s+1\.33\s+-\s+-\s+-\s+already at 1\.33$/m);

    const again = await kaas(['fleet', 'pause', 'q3']);
    expect(again.code).toBe(EXIT.CONFLICT);
    expect(again.stderr).toMatch(/^error: cannot pause campaign "q3": it is paused$/m);
    const list = await kaas(['fleet', 'list', '--status', 'paused', '-o', 'json']);
    expect((JSON.parse(list.stdout) as { items: CampaignSummary[] }).items.map((c) => c.name)).toEqual(['q3']);
    expect(JSON.parse((await kaas(['fleet', 'list', '--status', 'running', '-o', 'json'])).stdout)).toEqual({ items: [] });

    // a halted campaign (as the runner leaves it after failures) ends the watch with exit 1
    await platform.services.db.updateTable('campaigns').set({ status: 'halted', status_reason: '1 cluster failed' }).where('name', '=', 'q3').execute();
    const halted = await kaas(['fleet', 'status', 'q3', '--watch']);
    expect(halted.code).toBe(EXIT.OPERATION_FAILED);
    expect(halted.stdout).toMatch(/^status: halted, wave canary \(1\/2\); 3 pending, 2 skipped$/m);
    expect(halted.stderr).toMatch(/^error: campaign q3 halted: 1 cluster failed$/m);

    const cancelled = await kaas(['fleet', 'cancel', 'q3', '-o', 'json']);
    expect(JSON.parse(cancelled.stdout)).toMatchObject({ campaign: { status: 'cancelled', counts: { skipped: 5 } } });
    const watched = await kaas(['fleet', 'status', 'q3', '--watch', '-o', 'json']);
    expect(watched.code).toBe(0);
    expect((JSON.parse(watched.stdout) as CampaignStatusView).campaign.status).toBe('cancelled');
    expect((await kaas(['fleet', 'status', 'nope'])).code).toBe(EXIT.NOT_FOUND);
  });

  it('previews a template rollout field by field, and the overrides that no longer resolve', async () => {
    const yaml = fs.readFileSync(new URL('../templates/sim-dev.yaml', import.meta.url), 'utf8');
    const v2 = yaml.replace('env: dev', 'env: dev\n    cost-center: platform').replaceAll('machineType}', 'size}').replace('  machineType:\n    type: string', '  size:\n    type: string');
    const file = path.join(home, 'sim-dev-v2.yaml');
    fs.writeFileSync(file, v2);
    expect((await kaas(['templates', 'publish', file])).stdout.trim()).toBe("published sim-dev@2 (the file's version: 1 is ignored; versions are assigned by the platform)");
    await insertSimCluster(platform.services.db, { team: 'other', name: 'sized', version: '1.32', overrides: { machineType: 'sim.medium' } });

    const json = await kaas(['templates', 'rollout-preview', 'sim-dev', '--to', '2', '-o', 'json']);
    expect(json.code).toBe(0);
    const preview = JSON.parse(json.stdout) as RolloutPreview;
    expect(preview.template).toBe('sim-dev@2');
    expect(preview.items.find((i) => i.name === 'a-web')).toMatchObject({ error: null, changes: [{ path: 'tags.cost-center', to: 'platform' }, { path: 'template', from: 'sim-dev@1', to: 'sim-dev@2' }] });
    expect(preview.items.find((i) => i.name === 'sized')!.error).toMatch(/machineType/);

    const table = await kaas(['templates', 'rollout-preview', 'sim-dev', '--to', '2', '--from', '1']);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^rollout of sim-dev@2: \d+ clusters, 1 cannot roll out$/m);
    expect(table.stdout).toMatch(/^fleet\/a-web \(from sim-dev@1\): 2 changes\n {2}PATH\s+FROM\s+TO\n {2}tags\.cost-center\s+\(absent\)\s+platform\n {2}template\s+sim-dev@1\s+sim-dev@2$/m);
    expect(table.stdout).toMatch(/^other\/sized \(from sim-dev@1\): cannot roll out: .*machineType/m);
    expect((await kaas(['templates', 'rollout-preview', 'sim-dev', '--to', '9'])).code).toBe(EXIT.NOT_FOUND);
  });
});
