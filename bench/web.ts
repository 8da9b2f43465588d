/**
 * The web console in Debian's chromium. `web.clusters.render-2000`: from navigation start (JS
 * load and start included) to the clusters table holding 2,000 clusters (ten pages of 200, the
 * API's largest page, loaded by clicking "Load more" from inside the page), scrolled to the last
 * row and that row painted; median of 5. The API is a
 * stub that answers `clusters.list` pages instantly from memory, so the number is the browser's
 * cost (JS start, React rendering, the windowed table), not the database's (bench/api.ts measures
 * that). `web.js.initial-gzip`: the console's initial JavaScript gzipped, in KB, against the
 * 300 KB budget.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { buildWeb } from '../scripts/build-web.ts';
import { median, progress, type Benchmark, type BenchResult } from './harness.ts';

const CLUSTERS = 2000;
const RUNS = 5;
const JS_BUDGET_KB = 300;
const CHROMIUM = process.env.KAAS_CHROMIUM ?? '/usr/bin/chromium';
const root = fileURLToPath(new URL('..', import.meta.url));

/** A cluster as `clusters.list` returns it. */
function cluster(i: number): Record<string, unknown> {
  const at = new Date(Date.UTC(2026, 0, 1) + (CLUSTERS - i) * 60_000).toISOString();
  return {
    id: `c${String(i).padStart(12, '0')}`, name: `bench-${i}`, team: `team-${i % 10}`, target: 'sim-local', cloud: 'sim', template: 'sim-dev@1',
    status: i % 17 === 0 ? 'failed' : 'ready', statusReason: null, kubernetesVersion: ['1.31', '1.32', '1.33'][i % 3], versionWarning: null, nodeCount: 2,
    simulated: true, spec: {}, overrides: {}, outputs: {}, drift: i % 5 === 0 ? { checkedAt: at, drifted: true, resources: [{ resource: 'pool', resourceType: 't', op: 'update', fields: ['desiredSize'] }] } : null,
    labels: { ring: String(i % 4) }, createdAt: at, updatedAt: at, deletedAt: null,
    lastOperation: { kind: i % 7 === 0 ? 'refresh' : 'create', status: i % 17 === 0 ? 'failed' : 'succeeded', at },
  };
}

/** Serves dist/web and a stub API: a platform-admin session, `clusters.list` pages, and SSE streams that stay open and quiet. */
function stubServer(webDir: string): http.Server {
  const all = Array.from({ length: CLUSTERS }, (_, i) => cluster(i));
  return http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/auth/session') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ user: { subject: 'bench' }, teams: [], role: 'platform-admin' }));
    } else if (url.pathname === '/trpc/clusters.list') {
      const input = JSON.parse(url.searchParams.get('input') ?? '{}') as { cursor?: string; limit?: number };
      const start = Number(input.cursor ?? 0);
      const end = start + (input.limit ?? 50);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ result: { data: { items: all.slice(start, end), nextCursor: end < all.length ? String(end) : null } } }));
    } else if (url.pathname.startsWith('/trpc/')) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' }).write(': open\n\n');
    } else {
      const file = path.join(webDir, path.normalize(url.pathname).replace(/^(\.\.[/\\])+/, ''));
      const found = url.pathname.startsWith('/assets/') && fs.existsSync(file) ? file : path.join(webDir, 'index.html');
      res.writeHead(200, { 'content-type': found.endsWith('.js') ? 'text/javascript' : found.endsWith('.css') ? 'text/css' : 'text/html' }).end(fs.readFileSync(found));
    }
  });
}

async function* runWebBench(): AsyncIterable<BenchResult> {
  const built = await buildWeb(root);
  const gzipKb = zlib.gzipSync(fs.readFileSync(path.join(built.dir, built.script)), { level: 9 }).length / 1024;
  if (!fs.existsSync(CHROMIUM)) {
    progress(`web.clusters.render-2000: ${CHROMIUM} is missing (apt-get install -y chromium)`);
    yield { name: 'web.clusters.render-2000', value: Number.NaN, unit: 's', baseline: 'chromium unavailable' };
  } else {
    const { chromium } = await import('playwright-core');
    const server = stubServer(built.dir);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
    try {
      const samples: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        await page.goto(`${base}/clusters?limit=200`);
        // in-page code as a string: the root tsconfig has no DOM library (only web/ does)
        const ms = (await page.evaluate(`new Promise((resolve) => {
          const n = ${CLUSTERS};
          const tick = () => {
            const table = document.querySelector('[data-rows]');
            if (table && Number(table.getAttribute('data-rows')) >= n) {
              table.scrollTo(0, table.scrollHeight);
              const last = () => (document.querySelector('tr[data-cluster="bench-' + (n - 1) + '"]') ? requestAnimationFrame(() => resolve(performance.now())) : requestAnimationFrame(last));
              return requestAnimationFrame(last);
            }
            const more = [...document.querySelectorAll('button')].find((b) => /^Load \\d+ more$/.test(b.textContent ?? ''));
            if (more && !more.disabled) more.click();
            requestAnimationFrame(tick);
          };
          tick();
        })`)) as number;
        samples.push(ms / 1000);
        await page.close();
      }
      progress(`web.clusters.render-2000: ${samples.map((s) => s.toFixed(3)).join(', ')} s`);
      yield { name: 'web.clusters.render-2000', value: Math.round(median(samples) * 1000) / 1000, unit: 's' };
    } finally {
      await browser.close();
      server.close();
    }
  }
  yield { name: 'web.js.initial-gzip', value: Math.round(gzipKb * 10) / 10, unit: 'KB', baseline: JS_BUDGET_KB, ratio: Math.round((gzipKb / JS_BUDGET_KB) * 1000) / 1000 };
}

export const webBenchmarks: Benchmark[] = [{ group: 'web', names: ['web.clusters.render-2000', 'web.js.initial-gzip'], run: runWebBench }];
