/**
 * The engine adapter through the real `pulumi` CLI on the sim cloud: create, targeted update,
 * drift, destroy, crash recovery and lock safety.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../stacks/engine/progress.ts';
import { EngineError } from '../stacks/engine/engine-error.ts';
import { simProgram, SIMULATED_NOTICE } from '../stacks/sim/program.ts';
import { engineHome, pulumiCliMissing, simDocuments, type EngineHome } from './support/engine.ts';
import { simSpec } from './support/specs.ts';

describe.skipIf(pulumiCliMissing)('engine on the sim cloud', () => {
  let h: EngineHome;
  const stackName = 'c-engine-test';
  const clusterId = 'c0engine';
  const target = (spec = simSpec()) => ({ stackName, program: simProgram(spec, { clusterId }, { cloudDir: h.cloudDir }) });

  beforeAll(() => {
    h = engineHome();
  });
  afterAll(() => h.cleanup());

  it('creates a cluster with two node pools and two addons and returns its outputs', async () => {
    const events: ProgressEvent[] = [];
    const result = await h.engine.up(target(), { onEvent: (e) => events.push(e) });
    expect(result.changes.create).toBe(7); // stack + component + cluster + 2 pools + 2 addons
    expect(result.outputs.simulated?.value).toBe(true);
    expect(result.outputs.notice?.value).toBe(SIMULATED_NOTICE);
    expect(result.outputs.endpoint?.value).toBe(`https://cluster-${clusterId}-demo.sim.kaas.invalid`);
    expect(result.outputs.kubeconfig?.secret).toBe(true);
    expect(result.outputs.addons?.value).toEqual(['calico', 'prometheus']);
    const docs = simDocuments(h.cloudDir);
    expect(docs.map((d) => d.doc.id).sort()).toEqual(
      [`addon-${clusterId}-calico`, `addon-${clusterId}-prometheus`, `cluster-${clusterId}-demo`, `nodepool-${clusterId}-apps`, `nodepool-${clusterId}-system`].sort(),
    );
    expect(docs.every((d) => d.doc.tags['kaas-cluster-id'] === clusterId)).toBe(true);
    expect(events.filter((e) => e.kind === 'step-done').map((e) => e.resource)).toContain('pool-apps');
  });

  it('changing one node pool size updates only that resource', async () => {
    const spec = simSpec();
    spec.nodePools[1]!.desiredSize = 4;
    const events: ProgressEvent[] = [];
    const result = await h.engine.up(target(spec), { onEvent: (e) => events.push(e) });
    expect(result.changes.update).toBe(1);
    expect(result.changes.create ?? 0).toBe(0);
    const updated = events.filter((e) => e.kind === 'step-started' && e.op === 'update');
    expect(updated.map((e) => e.resource)).toEqual(['pool-apps']);
    const doc = simDocuments(h.cloudDir).find((d) => d.doc.id === `nodepool-${clusterId}-apps`)!.doc;
    expect(doc.properties.desiredSize).toBe(4);
    expect(doc.generation).toBe(2);
  });

  it('a preview-only refresh reports an out-of-band edit as drift without adopting it', async () => {
    const { file, doc } = simDocuments(h.cloudDir).find((d) => d.doc.id === `nodepool-${clusterId}-system`)!;
    fs.writeFileSync(file, JSON.stringify({ ...doc, properties: { ...doc.properties, desiredSize: 9 } }));
    const spec = simSpec();
    spec.nodePools[1]!.desiredSize = 4;
    const first = await h.engine.refresh(target(spec), { previewOnly: true });
    expect(first.drift).toEqual([expect.objectContaining({ resource: 'pool-system', op: 'update' })]);
    expect(first.drift[0]!.fields).toEqual(['properties.desiredSize']);
    const second = await h.engine.refresh(target(spec), { previewOnly: true });
    expect(second.drift.map((d) => d.resource)).toEqual(['pool-system']);
    // a plain up trusts the recorded state; reconciling (refresh first) puts the declared spec back
    await h.engine.up(target(spec));
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).properties.desiredSize).toBe(9);
    await h.engine.up(target(spec), {}, { refresh: true });
    const after = await h.engine.refresh(target(spec), { previewOnly: true });
    expect(after.drift).toEqual([]);
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).properties.desiredSize).toBe(1);
  });

  it('preview shows what would change and changes nothing', async () => {
    const spec = simSpec({ addons: { calico: { enabled: true, values: {} } } });
    spec.nodePools[1]!.desiredSize = 4;
    const preview = await h.engine.preview(target(spec));
    expect(preview.changes.delete).toBe(1);
    expect(preview.steps.map((s) => `${s.op}:${s.resource}`)).toContain('delete:addon-prometheus');
    expect(simDocuments(h.cloudDir).some((d) => d.doc.id === `addon-${clusterId}-prometheus`)).toBe(true);
  });

  it('never breaks a lock held by a live process, and says who holds it', async () => {
    const lockDir = path.join(fileURLToPath(h.backendUrl), '.pulumi', 'locks', 'organization', 'kaas', stackName);
    fs.mkdirSync(lockDir, { recursive: true });
    const lockFile = path.join(lockDir, 'live.json');
    fs.writeFileSync(lockFile, JSON.stringify({ pid: process.pid, username: 'test', hostname: os.hostname(), timestamp: new Date().toISOString() }));
    try {
      const err = await h.engine.up(target()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EngineError);
      expect((err as EngineError).kind).toBe('locked');
      expect((err as EngineError).message).toContain(`pid ${process.pid}`);
      expect(fs.existsSync(lockFile)).toBe(true);
    } finally {
      fs.rmSync(lockFile);
    }
  });

  it('destroy leaves the sim cloud empty and removes the stack', async () => {
    await h.engine.destroy(target(), { remove: true });
    expect(simDocuments(h.cloudDir)).toEqual([]);
    expect(fs.readdirSync(path.join(h.cloudDir, 'resources'))).toEqual([]);
    expect(await h.engine.stackExists(stackName)).toBe(false);
    expect(fs.existsSync(path.join(h.home, 'workspaces', stackName))).toBe(false);
  });
});

describe.skipIf(pulumiCliMissing)('engine crash recovery', () => {
  let h: EngineHome;
  beforeAll(() => {
    h = engineHome();
  });
  afterAll(() => h.cleanup());

  it('an up killed mid-flight (SIGKILL) is recovered by the next operation with no duplicates', async () => {
    const stackName = 'c-crash-test';
    const clusterId = 'c0crash';
    // Slow addon creation so the kill lands while the engine is mid-update.
    fs.mkdirSync(h.cloudDir, { recursive: true });
    fs.writeFileSync(path.join(h.cloudDir, 'faults.json'), JSON.stringify({ latencyMs: { 'addon.create': 60_000 } }));
    const script = fileURLToPath(new URL('./support/crash-up.ts', import.meta.url));
    const child = spawn(process.execPath, [script, h.home, h.backendUrl, h.cloudDir, stackName, clusterId], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const deadline = Date.now() + 90_000;
    while (!/"kind":"step-started"[^\n]*"resource":"addon-/.test(output)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the up never reached the addons:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    process.kill(-child.pid!, 'SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(output).not.toContain('UP-FINISHED');
    const lockDir = path.join(fileURLToPath(h.backendUrl), '.pulumi', 'locks', 'organization', 'kaas', stackName);
    expect(fs.readdirSync(lockDir).length).toBeGreaterThan(0); // the dead process left its lock

    fs.writeFileSync(path.join(h.cloudDir, 'faults.json'), JSON.stringify({}));
    const events: ProgressEvent[] = [];
    const { engine } = h;
    const result = await engine.up({ stackName, program: simProgram(simSpec(), { clusterId }, { cloudDir: h.cloudDir }) }, { onEvent: (e) => events.push(e) });
    expect(events.some((e) => e.kind === 'diagnostic' && /recovering: removed the lock/.test(e.message ?? ''))).toBe(true);
    expect(result.outputs.addons?.value).toEqual(['calico', 'prometheus']);
    const ids = simDocuments(h.cloudDir).map((d) => d.doc.id);
    expect(ids.length).toBe(5);
    expect(new Set(ids).size).toBe(5);
    expect(fs.readdirSync(lockDir)).toEqual([]);
    const again = await engine.up({ stackName, program: simProgram(simSpec(), { clusterId }, { cloudDir: h.cloudDir }) });
    expect(again.changes.create ?? 0).toBe(0);
    expect(again.changes.update ?? 0).toBe(0);
  });
});
