import { describe, expect, it } from 'vitest';
import type { ClusterHealthSignals, ClusterProbe } from './cluster-probe.ts';
import { evaluateHealth, gateFailureText, runHealthGate, type GateClock } from './health-gate.ts';

const healthy = (): ClusterHealthSignals => ({
  apiServer: { reachable: true, gitVersion: 'v1.33.2' },
  nodes: [
    { name: 'general-0', pool: 'general', ready: true, kubeletVersion: 'v1.31.9' },
    { name: 'batch-0', pool: 'batch', ready: true, kubeletVersion: 'v1.33.2' },
  ],
  workloads: [{ kind: 'Deployment', namespace: 'kube-system', name: 'coredns', desired: 2, updated: 2, ready: 2 }],
  systemPods: [{ namespace: 'kube-system', name: 'coredns-1', restarts: 0 }],
});
const expected = { controlPlane: '1.33', pools: { general: '1.31', batch: '1.33' } };
const failing = (s: ClusterHealthSignals) => evaluateHealth(s, expected).filter((r) => !r.ok).map((r) => `${r.check}: ${r.message}`);

/** A clock that advances only when slept. */
function fakeClock(): GateClock & { slept: number } {
  let t = 0;
  return { slept: 0, now: () => t, async sleep(ms) { t += ms; this.slept += ms; } };
}
function probe(reads: (() => ClusterHealthSignals)[], extra: Partial<ClusterProbe> = {}): ClusterProbe {
  let i = 0;
  return {
    signals: async () => reads[Math.min(i++, reads.length - 1)]!(),
    prometheus: async () => 0,
    runJob: async () => ({ succeeded: true, message: 'completed' }),
    preflight: async () => ({ deprecatedApis: [], blockingPdbs: [], surge: [] }),
    ...extra,
  };
}

describe('evaluateHealth', () => {
  it('passes a cluster at the expected versions, pools allowed to lag per the plan', () => {
    expect(failing(healthy())).toEqual([]);
  });

  it('after a patch step: the API server and the pinned pools must run the patch release, not just its minor', () => {
    // a patch pin (platform/patch-plan.ts) is what the cloud reports in /version and the kubelet
    // version: AKS `v1.33.5`, GKE `v1.33.5-gke.1080000` (https://cloud.google.com/kubernetes-engine/versioning)
    const pinned = { ...expected, controlPlanePatch: '1.33.5', poolPatches: { batch: '1.33.5' } };
    const check = (s: ClusterHealthSignals, e = pinned) => evaluateHealth(s, e).filter((r) => !r.ok).map((r) => `${r.check}: ${r.message}`);
    expect(check(healthy())).toEqual(['api-server: API server reports v1.33.2, expected patch 1.33.5', 'nodes-ready: nodes at the wrong version: batch-0 (v1.33.2, expected 1.33.5)']);
    const s = healthy();
    s.apiServer.gitVersion = 'v1.33.5';
    s.nodes[1]!.kubeletVersion = 'v1.33.5';
    expect(check(s)).toEqual([]);
    const gke = healthy();
    gke.apiServer.gitVersion = 'v1.33.5-gke.1080000';
    gke.nodes[1]!.kubeletVersion = 'v1.33.5-gke.1080000';
    expect(check(gke, { ...expected, controlPlanePatch: '1.33.5-gke.1080000', poolPatches: { batch: '1.33.5-gke.1080000' } })).toEqual([]);
    gke.apiServer.gitVersion = 'v1.33.50';
    expect(check(gke, { ...expected, controlPlanePatch: '1.33.5-gke.1080000', poolPatches: { batch: '1.33.5-gke.1080000' } })).toEqual(['api-server: API server reports v1.33.50, expected patch 1.33.5-gke.1080000']);
  });

  it('names each failing check', () => {
    const s = healthy();
    s.apiServer.gitVersion = 'v1.32.1';
    s.nodes[0]!.ready = false;
    s.nodes[1]!.kubeletVersion = 'v1.32.0';
    s.workloads[0]!.ready = 1;
    s.systemPods[0]!.waitingReason = 'CrashLoopBackOff';
    s.systemPods[0]!.restarts = 7;
    expect(failing(s)).toEqual([
      'api-server: API server reports v1.32.1, expected 1.33',
      'nodes-ready: nodes not Ready: general-0; at the wrong version: batch-0 (v1.32.0, expected 1.33)',
      'addons-rolled-out: not rolled out: Deployment kube-system/coredns (1/2 ready, 2 updated)',
      'system-pods: crash-looping: kube-system/coredns-1 (CrashLoopBackOff, 7 restarts)',
    ]);
  });

  it('reports the other checks as not read when the API server is unreachable', () => {
    const s = healthy();
    s.apiServer = { reachable: false, error: 'connect ECONNREFUSED' };
    expect(failing(s)[0]).toBe('api-server: API server unreachable: connect ECONNREFUSED');
    expect(failing(s)).toHaveLength(4);
  });
});

describe('runHealthGate', () => {
  it('polls until the checks pass, within the timeout', async () => {
    const clock = fakeClock();
    const crashing = () => ({ ...healthy(), systemPods: [{ namespace: 'kube-system', name: 'coredns-1', restarts: 3, waitingReason: 'CrashLoopBackOff' }] });
    const out = await runHealthGate(probe([crashing, crashing, healthy]), expected, { gateTimeoutSeconds: 60 }, { clock, intervalMs: 5000 });
    expect(out).toMatchObject({ passed: true, attempts: 3, elapsedMs: 10_000 });
  });

  it('fails at the timeout with the failing check named', async () => {
    const clock = fakeClock();
    const notReady = () => ({ ...healthy(), nodes: [{ name: 'general-0', pool: 'general', ready: false, kubeletVersion: 'v1.31.9' }] });
    const out = await runHealthGate(probe([notReady]), expected, { gateTimeoutSeconds: 30 }, { clock, intervalMs: 10_000 });
    expect(out.passed).toBe(false);
    expect(out.attempts).toBe(4); // t = 0, 10, 20, 30 s
    expect(gateFailureText(out)).toBe('nodes-ready: nodes not Ready: general-0');
  });

  it('evaluates Prometheus thresholds and runs Jobs once the rest pass', async () => {
    const clock = fakeClock();
    const jobs: string[] = [];
    const p = probe([healthy], { prometheus: async (q) => (q.includes('5xx') ? 0.2 : 1), runJob: async (j) => (jobs.push(j.name), { succeeded: false, message: 'job smoke failed: BackoffLimitExceeded' }) });
    const settings = {
      gateTimeoutSeconds: 0,
      checks: { prometheus: [{ name: 'error-rate', query: 'rate(http_5xx[5m])', max: 0.05 }, { name: 'up', query: 'up', min: 1 }], jobs: [{ name: 'smoke', namespace: 'default', image: 'busybox', command: ['true'] }] },
    };
    const out = await runHealthGate(p, expected, settings, { clock });
    expect(out.results.filter((r) => !r.ok).map((r) => r.check)).toEqual(['prometheus:error-rate']);
    expect(jobs).toEqual([]); // not run while a query fails
    const ok = await runHealthGate({ ...p, prometheus: async () => 0.01 }, expected, { ...settings, checks: { ...settings.checks, prometheus: [settings.checks.prometheus[0]!] } }, { clock });
    expect(gateFailureText(ok)).toBe('job:smoke: job smoke failed: BackoffLimitExceeded');
    expect(jobs).toEqual(['smoke']);
  });

  it('treats a probe error as an unreachable API server', async () => {
    const out = await runHealthGate(probe([() => { throw new Error('TLS handshake timeout'); }]), expected, { gateTimeoutSeconds: 0 }, { clock: fakeClock() });
    expect(gateFailureText(out)).toBe('api-server: API server unreachable: TLS handshake timeout');
  });
});
