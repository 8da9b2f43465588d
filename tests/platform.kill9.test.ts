/**
 * `kill -9` of the platform mid-operation leaves its children behind: the embedded PostgreSQL
 * (started in its own session so Ctrl-C does not reach it) and the engine's `pulumi` and provider
 * processes. The next start on the same KAAS_HOME must clean them up by itself — it refused
 * ("already running … kill -INT PID") until a person killed them by hand.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, startPlatformProcess, type PlatformProcess } from './support/platform-process.ts';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Pids of the processes whose environment points at this home's Pulumi home (the engine's CLI and its plugins). */
function engineProcesses(home: string): number[] {
  const marker = `PULUMI_HOME=${path.join(home, 'pulumi')}`;
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0').includes(marker)) pids.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids.filter(alive);
}

describe('the next start after kill -9 of the platform', () => {
  let first: PlatformProcess | undefined;
  let second: PlatformProcess | undefined;
  let leftovers: number[] = [];
  afterAll(async () => {
    for (const p of [first, second]) if (p?.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
    for (const pid of leftovers) if (alive(pid)) process.kill(pid, 'SIGKILL');
    if (first) fs.rmSync(first.home, { recursive: true, force: true });
  });

  it('stops the orphaned PostgreSQL and engine processes, then starts', { timeout: 240_000 }, async () => {
    first = await startPlatformProcess({ logLevel: 'info' });
    const home = first.home;
    const env = (token: string) => ({ KAAS_URL: first!.url, KAAS_TOKEN: token, KAAS_CONFIG: path.join(home, 'cli-config.json'), HOME: home });
    expect((await runCli(['teams', 'create', 'k9', '--output', 'json'], env(first.adminToken))).code).toBe(0);
    const minted = await runCli(['tokens', 'create', '--subject', 'k9-lead', '--role', 'team-admin', '--team', 'k9', '--output', 'json'], env(first.adminToken));
    const { token } = JSON.parse(minted.stdout) as { token: string };
    fs.mkdirSync(path.join(home, 'sim-cloud'), { recursive: true });
    fs.writeFileSync(path.join(home, 'sim-cloud', 'faults.json'), JSON.stringify({ latencyMs: { 'addon.create': 120_000 } }));
    const created = await runCli(['clusters', 'create', 'k9', '--template', 'sim-dev'], env(token));
    expect(created.code, created.stderr).toBe(0);

    // wait until the engine is mid-`up`: pulumi and the sim provider are running
    for (let i = 0; i < 240 && engineProcesses(home).length < 2; i++) await sleep(250);
    const postgresPid = Number(fs.readFileSync(path.join(home, 'postgres', 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    leftovers = [postgresPid, ...engineProcesses(home)];
    expect(leftovers.length, 'the engine never started').toBeGreaterThanOrEqual(3);

    first.child.kill('SIGKILL'); // the platform's node process only, as `kill -9 PID` does
    await new Promise((resolve) => (first!.child.exitCode !== null || first!.child.signalCode !== null ? resolve(null) : first!.child.once('exit', resolve)));
    await sleep(500);
    // (a plugin may notice it lost its parent and exit by itself; the CLI and PostgreSQL do not)
    leftovers = leftovers.filter(alive);
    expect(leftovers, 'precondition: the children outlive a kill -9').toContain(postgresPid);
    expect(leftovers.length, 'precondition: engine processes outlive a kill -9').toBeGreaterThanOrEqual(2);

    second = await startPlatformProcess({ home, logLevel: 'info', readyTimeoutMs: 90_000 });
    expect(leftovers.filter(alive), 'left running after the next start').toEqual([]);
    expect(second.stdout() + second.stderr()).toMatch(/orphan/i);
    const list = await runCli(['clusters', 'list', '--output', 'json'], { ...env(token), KAAS_URL: second.url });
    expect(list.code, list.stderr).toBe(0);
    expect(await second.stop('SIGTERM', 30_000)).toBe(0);
  });
});
