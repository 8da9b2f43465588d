/**
 * Truthful CLI output (issue 10), as a user sees it: the platform as its own process (sim cloud,
 * real Pulumi engine), the CLI as child processes. Previews and drift read as what they are; a
 * reconcile that stopped for approval is not `succeeded` (nor in /metrics), and only someone
 * other than its requester approves it (`kaas approvals`); a failed operation
 * shows its cause in one line with the next step, the raw engine text only in `events`; upgrade
 * progress is printed once and in order; every error carries a `hint:`; one exit code per kind
 * of mistake.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startPlatformProcess, type CliRun, type PlatformProcess } from './support/platform-process.ts';

describe('truthful CLI output', () => {
  let platform: PlatformProcess;
  const kaas = (args: string[]) => runCli(args, { KAAS_URL: platform.url, KAAS_TOKEN: platform.adminToken, KAAS_CONFIG: path.join(platform.home, 'cli-config.json'), HOME: platform.home });
  const ok = (run: CliRun): CliRun => {
    expect({ code: run.code, stderr: run.code === 0 ? '' : run.stderr }).toEqual({ code: 0, stderr: '' });
    return run;
  };
  const poolDoc = (pool: string) => {
    const dir = path.join(platform.home, 'sim-cloud', 'resources', 'nodepool');
    const file = fs.readdirSync(dir).map((f) => path.join(dir, f)).find((f) => JSON.parse(fs.readFileSync(f, 'utf8')).name === pool);
    if (!file) throw new Error(`no sim document for pool ${pool}`);
    return file;
  };
  const editPool = (pool: string, edit: (props: Record<string, unknown>) => void) => {
    const file = poolDoc(pool);
    const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { properties: Record<string, unknown> };
    edit(doc.properties);
    fs.writeFileSync(file, JSON.stringify(doc));
  };

  beforeAll(async () => {
    platform = await startPlatformProcess();
    ok(await kaas(['teams', 'create', 'tt']));
    ok(await kaas(['clusters', 'create', 'web', '--team', 'tt', '--template', 'sim-dev', '--wait']));
  });

  afterAll(async () => {
    if (!platform) return;
    await platform.stop('SIGTERM', 30_000);
    if (platform.child.exitCode === null && platform.child.signalCode === null) platform.child.kill('SIGKILL');
    fs.rmSync(platform.home, { recursive: true, force: true });
  });

  it('drift (read-only) says what differs, never that it updated anything', async () => {
    editPool('general', (p) => ((p.machineType = 'sim.huge'), (p.desiredSize = 4)));
    const run = ok(await kaas(['clusters', 'drift', 'web', '--team', 'tt', '--wait']));
    expect(run.stderr).toMatch(/^\[[\d:]+\] differs: pool-general \(.*properties\.machineType.*\)$/m);
    expect(run.stderr).not.toMatch(/✓ update/);
    expect(run.stderr).not.toMatch(/updated/);
  });

  it('a reconcile that needs approval reads as a preview, ends needs_approval (exit 5), and is not counted as succeeded', async () => {
    const run = await kaas(['clusters', 'reconcile', 'web', '--team', 'tt', '--wait']);
    expect(run.code).toBe(5);
    expect(run.stderr).toMatch(/would replace\s+pool-general/);
    expect(run.stderr).not.toMatch(/✓ (replace|delete-replaced|create-replacement)/);
    expect(run.stderr).not.toMatch(/succeeded/);
    expect(run.stderr).toMatch(/^operation o[a-z0-9]{12} \(reconcile\) needs approval: nothing was changed$/m);
    expect(run.stdout).toMatch(/needs approval; nothing was changed\. It would:\n {2}replace pool-general\n/);
    const ops = JSON.parse(ok(await kaas(['clusters', 'operations', 'web', '--team', 'tt', '-o', 'json'])).stdout) as { items: { kind: string; status: string }[] };
    expect(ops.items.find((o) => o.kind === 'reconcile')?.status).toBe('needs_approval');
    const metrics = await (await fetch(`${platform.url}/metrics`)).text();
    expect(metrics).toMatch(/^kaas_operations\{kind="reconcile",status="needs_approval"\} 1$/m);
    expect(metrics).not.toMatch(/^kaas_operations\{kind="reconcile",status="succeeded"\}/m);
    // someone other than the requester approves the request it opened; then it applies by itself
    const id = /kaas approvals approve (a[a-z0-9]{12})/.exec(run.stderr)?.[1];
    expect(id, run.stderr).toBeDefined();
    const self = await kaas(['approvals', 'approve', id!]);
    expect({ code: self.code, stderr: self.stderr }).toEqual({ code: 4, stderr: expect.stringMatching(/cannot approve their own request[\s\S]*hint: ask someone else/) });
    const lead = JSON.parse(ok(await kaas(['tokens', 'create', '--subject', 'lead', '--role', 'team-admin', '--team', 'tt', '-o', 'json'])).stdout) as { token: string };
    const asLead = (args: string[]) => runCli(args, { KAAS_URL: platform.url, KAAS_TOKEN: lead.token, KAAS_CONFIG: path.join(platform.home, 'cli-config-lead.json'), HOME: platform.home });
    expect(ok(await asLead(['approvals', 'list'])).stdout).toMatch(new RegExp(`^${id}\\s+reconcile\\s+cluster web\\s+tt\\s+\\S+\\s+pending\\s+0/1`, 'm'));
    const approved = ok(await asLead(['approvals', 'approve', id!, '--reason', 'the pool goes back to sim.small']));
    const started = /is approved; started operation (o[a-z0-9]{12})$/m.exec(approved.stdout)?.[1];
    expect(started, approved.stdout).toBeDefined();
    const deadline = Date.now() + 120_000;
    let applied: { id: string; status: string; result: { applied?: boolean } } | undefined;
    while (Date.now() < deadline) {
      const list = JSON.parse(ok(await kaas(['clusters', 'operations', 'web', '--team', 'tt', '-o', 'json'])).stdout) as { items: { id: string; status: string; result: { applied?: boolean } }[] };
      applied = list.items.find((o) => o.id === started);
      if (applied && ['succeeded', 'failed', 'needs_approval', 'cancelled'].includes(applied.status)) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(applied).toMatchObject({ status: 'succeeded', result: { applied: true } });
    expect(JSON.parse(ok(await kaas(['approvals', 'list', '--status', 'approved', '-o', 'json'])).stdout)).toMatchObject({ items: [expect.objectContaining({ id, approvals: [expect.objectContaining({ subject: 'lead' })] })] });
  });

  it('a failed operation shows the cause in one line, the resource and the next step; the raw engine text only in events', async () => {
    const faults = path.join(platform.home, 'sim-cloud', 'faults.json');
    fs.writeFileSync(faults, JSON.stringify({ failures: [{ kind: 'nodepool', op: 'update', message: 'sim: machine quota exhausted' }] }));
    let failed: CliRun;
    try {
      failed = await kaas(['clusters', 'update', 'web', '--team', 'tt', '--set', 'nodePools.general.desiredSize=3', '--wait']);
    } finally {
      fs.rmSync(faults);
    }
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/^error: operation o[a-z0-9]{12} \(update\) failed: pool-general: sim: machine quota exhausted$/m);
    expect(failed.stderr).toMatch(/^hint: fix the cause above, then kaas clusters retry web --team tt \(full engine log: kaas clusters events web --operation o[a-z0-9]{12} --team tt\)$/m);
    for (const text of [failed.stderr, failed.stdout]) expect(text).not.toMatch(/pulumi-nodejs:dynamic|update failed/);
    expect(failed.stdout).toMatch(/^reason:\s+pool-general: sim: machine quota exhausted$/m);
    const events = ok(await kaas(['clusters', 'events', 'web', '--team', 'tt']));
    expect(events.stdout).toMatch(/pulumi-nodejs:dynamic\/kaas-sim:SimNodePool pool-general/);
    ok(await kaas(['clusters', 'retry', 'web', '--team', 'tt', '--wait']));
  });

  it('an upgrade prints each step once, and status lines never trail the steps they describe', async () => {
    const run = ok(await kaas(['clusters', 'upgrade', 'web', '--team', 'tt', '--to', '1.34', '--wait']));
    const lines = run.stderr.split('\n');
    for (const step of ['step 1/3:', 'step 2/3:', 'step 3/3:']) expect(lines.filter((l) => l.includes(step)), run.stderr).toHaveLength(1);
    // and the health gate after each step, once
    for (const step of ['1/3', '2/3', '3/3']) expect(lines.filter((l) => l.includes(`health gate after step ${step} passed`)), run.stderr).toHaveLength(1);
    // a status line says only what changed in the operation's status, never a stale step
    expect(run.stderr).not.toMatch(/running — (update|create|replace) /);
    const statusLines = lines.filter((l) => / operation o[a-z0-9]{12} \(upgrade\): /.test(l));
    // each status once, in order; `queued` shows when the CLI (bundled, fast to start) polls before a worker takes it
    const statuses = statusLines.map((l) => l.replace(/^.* \(upgrade\): /, ''));
    expect(statuses[0] === 'queued' ? statuses.slice(1) : statuses).toEqual(['running', 'succeeded']);
  });

  it('an unsupported --to names its reasons once, hints only newer versions, and exits like --to latest (2)', async () => {
    const far = await kaas(['clusters', 'upgrade', 'web', '--team', 'tt', '--to', '1.40']);
    expect(far.code).toBe(2);
    expect(far.stderr.match(/intermediate version/g) ?? []).toHaveLength(1);
    expect(far.stderr).toMatch(/^hint: .*/m);
    const hint = far.stderr.match(/^hint: (.*)$/m)![1]!;
    expect(hint).not.toMatch(/1\.(29|30|31|32|33)\b/); // the cluster is at 1.34, the newest sim version: nothing older is offered
    expect(hint).toMatch(/1\.34/);
    const latest = await kaas(['clusters', 'upgrade', 'web', '--team', 'tt', '--to', 'latest']);
    expect(latest.code).toBe(far.code);
  });

  it('a wrong --confirm exits like a wrong name typed at the prompt (2)', async () => {
    const wrong = await kaas(['clusters', 'delete', 'web', '--team', 'tt', '--confirm', 'wbe']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/^hint: kaas clusters delete web --confirm web/m);
  });

  it('every error carries a hint', async () => {
    const bad: string[][] = [
      ['clusters', 'create', 'Bad_Name', '--team', 'tt', '--template', 'sim-dev'],
      ['clusters', 'update', 'web', '--team', 'tt', '--set', 'nodePools.nope.desiredSize=3'],
      ['clusters', 'retry', 'web', '--team', 'tt'],
      ['fleet', 'plan', '--to-version', '1.34', '--waves', '50,40'],
      ['clusters', 'list', '--team', 'nosuch'],
      ['clusters', 'create', 'x', '--team', 'nosuch', '--template', 'sim-dev'],
      ['clusters', 'events', 'web', '--team', 'tt', '--operation', 'bogus'],
      ['clusters', 'events', 'web', '--team', 'tt', '--operation', 'o000000000000'],
      ['clusters', 'get', 'nope', '--team', 'tt'],
      ['clusters', 'upgrade', 'web', '--team', 'tt', '--to', 'latest'],
      ['clusters', 'delete', 'web', '--team', 'tt', '--confirm', 'wbe'],
      ['templates', 'get', 'no-such-template'],
    ];
    for (const args of bad) {
      const run = await kaas(args);
      expect(run.code, `kaas ${args.join(' ')}`).not.toBe(0);
      expect(run.stderr, `kaas ${args.join(' ')}`).toMatch(/^error: .+\n(?:.*\n)*hint: \S.*$/m);
    }
  });
});
