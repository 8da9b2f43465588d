/**
 * The fleet overview (platform admins): Kubernetes versions per cloud with how many minors each
 * is behind the cloud's newest released one, clusters by status, clusters in extended support or
 * past end of support, and clusters with an operation running. Read from `clusters.list` pages
 * (up to OVERVIEW_LIMIT clusters, newest first; the page says when it stopped there) and
 * `versions.list`.
 */
import { trpc, type Cluster } from '../api.ts';
import { BarChart, type Bar } from '../components/charts.tsx';
import { ErrorBox, Loading } from '../components/ui.tsx';
import { useLoad } from '../hooks.ts';

const OVERVIEW_LIMIT = 2000;
const BUSY = new Set(['requested', 'provisioning', 'updating', 'upgrading', 'deleting']);

async function loadFleet(): Promise<{ clusters: Cluster[]; truncated: boolean }> {
  const clusters: Cluster[] = [];
  let cursor: string | undefined;
  do {
    const page = await trpc.clusters.list.query({ limit: 200, ...(cursor ? { cursor } : {}) });
    clusters.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && clusters.length < OVERVIEW_LIMIT);
  return { clusters, truncated: cursor !== undefined };
}

const minor = (v: string) => Number(v.split('.')[1] ?? 0);

export function FleetOverview() {
  const fleet = useLoad(loadFleet, []);
  const versions = useLoad(() => trpc.versions.list.query({}), []);
  if (!fleet.data || !versions.data) return fleet.error || versions.error ? <ErrorBox error={fleet.error ?? versions.error} /> : <Loading what="fleet overview" />;
  const { clusters, truncated } = fleet.data;
  const newest = new Map(versions.data.clouds.map((c) => [c.cloud as string, c.versions.filter((v) => v.released).map((v) => v.version).sort((a, b) => minor(b) - minor(a))[0]]));
  const perVersion = new Map<string, { n: number; cloud: string; version: string; warn: string | undefined }>();
  const perStatus = new Map<string, number>();
  let extended = 0;
  let eos = 0;
  for (const c of clusters) {
    const key = `${c.cloud} ${c.kubernetesVersion}`;
    const e = perVersion.get(key) ?? { n: 0, cloud: c.cloud, version: c.kubernetesVersion, warn: c.versionWarning?.phase };
    e.n++;
    perVersion.set(key, e);
    perStatus.set(c.status, (perStatus.get(c.status) ?? 0) + 1);
    if (c.versionWarning?.phase === 'extended') extended++;
    if (c.versionWarning?.phase === 'end-of-support') eos++;
  }
  const versionBars: Bar[] = [...perVersion.values()]
    .sort((a, b) => a.cloud.localeCompare(b.cloud) || minor(b.version) - minor(a.version))
    .map((e) => {
      const top = newest.get(e.cloud);
      const behind = top ? Math.max(0, minor(top) - minor(e.version)) : 0;
      return { label: `${e.cloud} ${e.version}${behind ? ` (−${behind})` : ''}`, value: e.n, tone: e.warn === 'end-of-support' ? 'chart-bad' : e.warn === 'extended' || behind >= 2 ? 'chart-warn' : 'chart-ok' };
    });
  const statusBars: Bar[] = [...perStatus.entries()].sort((a, b) => b[1] - a[1]).map(([s, n]) => ({ label: s, value: n, tone: s === 'failed' ? 'chart-bad' : s === 'ready' ? 'chart-ok' : 'chart-neutral' }));
  const running = clusters.filter((c) => BUSY.has(c.status));
  const runningBars: Bar[] = [...new Set(running.map((c) => c.status))].map((s) => ({ label: s, value: running.filter((c) => c.status === s).length, tone: 'chart-neutral' }));
  return (
    <section aria-labelledby="overview-h" className="overview">
      <h2 id="overview-h">Fleet overview</h2>
      <p className="muted">{clusters.length} cluster(s){truncated ? `: the newest ${OVERVIEW_LIMIT} (the fleet is larger)` : ''}. "(−n)": minors behind the newest release on that cloud.</p>
      <div className="charts">
        <BarChart title="Kubernetes versions per cloud" bars={versionBars} />
        <BarChart title="Clusters by status" bars={statusBars} />
        <BarChart title="Support" bars={[{ label: 'extended support', value: extended, tone: 'chart-warn' }, { label: 'past end of support', value: eos, tone: 'chart-bad' }, { label: 'standard', value: clusters.length - extended - eos, tone: 'chart-ok' }]} />
        <BarChart title="Running operations" bars={runningBars} />
      </div>
    </section>
  );
}
