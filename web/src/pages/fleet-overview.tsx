/**
 * The fleet overview: Kubernetes versions per cloud with how many minors each is behind the
 * cloud's newest available one, clusters by status, clusters in extended support or past end of
 * support, and operations queued or running. One `fleet.overview` call: the server's SQL
 * group-bys over every live cluster the caller may see (the whole fleet for a platform admin,
 * the own team for a member), not a sample of pages.
 */
import { trpc } from '../api.ts';
import { BarChart, type Bar } from '../components/charts.tsx';
import { ErrorBox, Loading } from '../components/ui.tsx';
import { useLoad } from '../hooks.ts';

export function FleetOverview({ team }: { team?: string }) {
  const overview = useLoad(() => trpc.fleet.overview.query(team ? { team } : {}), [team]);
  const o = overview.data;
  if (!o) return overview.error ? <ErrorBox error={overview.error} /> : <Loading what="fleet overview" />;
  const versionBars: Bar[] = o.versions.map((v) => ({
    label: `${v.cloud} ${v.version}${v.minorsBehind ? ` (−${v.minorsBehind})` : ''}`,
    value: v.clusters,
    tone: v.phase === 'end-of-support' ? 'chart-bad' : v.phase === 'extended' || v.minorsBehind >= 2 ? 'chart-warn' : 'chart-ok',
  }));
  const statusBars: Bar[] = o.statuses.map((s) => ({ label: s.status, value: s.clusters, tone: s.status === 'failed' ? 'chart-bad' : s.status === 'ready' ? 'chart-ok' : 'chart-neutral' }));
  const supportBars: Bar[] = [
    { label: 'extended support', value: o.support.extended, tone: 'chart-warn' },
    { label: 'past end of support', value: o.support.endOfSupport, tone: 'chart-bad' },
    { label: 'standard', value: o.support.standard, tone: 'chart-ok' },
  ];
  const runningBars: Bar[] = o.runningOperations.map((r) => ({ label: `${r.kind} ${r.status}`, value: r.operations, tone: 'chart-neutral' }));
  return (
    <section aria-labelledby="overview-h" className="overview" data-total={o.total}>
      <h2 id="overview-h">{o.team ? `Team ${o.team}: overview` : 'Fleet overview'}</h2>
      <p className="muted">{o.total} live cluster(s){o.team ? ` of team ${o.team}` : ' across every team'}. "(−n)": minors behind the newest available on that cloud.</p>
      <div className="charts">
        <BarChart title="Kubernetes versions per cloud" bars={versionBars} />
        <BarChart title="Clusters by status" bars={statusBars} />
        <BarChart title="Support" bars={supportBars} />
        <BarChart title="Running operations" bars={runningBars} />
      </div>
    </section>
  );
}
