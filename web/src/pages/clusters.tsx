/**
 * Clusters: the table (status, team, template@version, Kubernetes version, cloud/target, drift,
 * last operation, age) with server-side filters, a server-side name search (debounced, a
 * case-insensitive prefix) and cursor paging (`clusters.list`), and live status from
 * `clusters.changes`. Rows are windowed and memoized, so thousands of loaded clusters cost the
 * DOM only the rows on screen and a new page renders only rows that were not on screen before.
 */
import { memo, useEffect, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { subscribe, trpc, type ClusterListItem } from '../api.ts';
import { rowWindow } from '../components/virtual-rows.ts';
import { prefetch, takePrefetched } from '../prefetch.ts';
import { ErrorBox, PageHeader, SimBadge, Status } from '../components/ui.tsx';
import { age, driftSummary } from '../lib/format.ts';
import { Link, navigate, useLocation } from '../router.tsx';
import { useSignedIn } from '../session.tsx';

const STATUSES = ['requested', 'provisioning', 'ready', 'updating', 'upgrading', 'deleting', 'deleted', 'failed'] as const;
const ROW_HEIGHT = 37;
const PAGE_SIZES = [50, 100, 200];
/** How long the search box waits after the last keystroke before it asks the server. */
const SEARCH_DEBOUNCE_MS = 300;

type ClusterPage = { items: ClusterListItem[]; nextCursor: string | null };

/** The `clusters.list` input for the page's URL query (a team filter only for platform admins). */
export function clusterListInput(query: URLSearchParams, admin: boolean, cursor?: string) {
  const status = query.get('status');
  const team = query.get('team');
  const target = query.get('target');
  const template = query.get('template');
  const search = query.get('search');
  return {
    ...(status ? { status: status as (typeof STATUSES)[number] } : {}),
    ...(admin && team ? { team } : {}),
    ...(target ? { target } : {}),
    ...(template ? { template } : {}),
    ...(search ? { search } : {}),
    ...(cursor ? { cursor } : {}),
    limit: Number(query.get('limit')) || 50,
  };
}

/** Asks for the first clusters page of `location` before the session is known (see prefetch.ts); not when a team filter depends on the role. */
export function prefetchClusters(location: { pathname: string; search: string }): void {
  const query = new URLSearchParams(location.search);
  if ((location.pathname !== '/' && location.pathname !== '/clusters') || query.has('team')) return;
  const input = clusterListInput(query, false);
  prefetch(JSON.stringify(input), () => trpc.clusters.list.query(input));
}

/** The link to a cluster's page. */
export function clusterPath(c: { team: string; name: string }): string {
  return `/clusters/${encodeURIComponent(c.team)}/${encodeURIComponent(c.name)}`;
}

export function ClustersPage() {
  const session = useSignedIn();
  const { query } = useLocation();
  const admin = session.role === 'platform-admin';
  const filters = { status: query.get('status') ?? '', team: query.get('team') ?? '', target: query.get('target') ?? '', template: query.get('template') ?? '' };
  const limit = Number(query.get('limit')) || 50;
  const [items, setItems] = useState<ClusterListItem[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [search, setSearch] = useState(query.get('search') ?? '');
  const searched = search.trim();
  const [unseen, setUnseen] = useState(0);
  const key = JSON.stringify([filters, limit, query.get('search') ?? '']);
  // debounced: the URL (and so the query) follows the box once typing pauses
  useEffect(() => {
    if (searched === (query.get('search') ?? '')) return;
    const t = setTimeout(() => setFilter('search', searched), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(t);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [searched]);

  async function load(cursor?: string) {
    setLoading(true);
    try {
      const input = clusterListInput(query, admin, cursor);
      const page = (!cursor && (await takePrefetched<ClusterPage>(JSON.stringify(input)))) || (await trpc.clusters.list.query(input));
      setItems((old) => (cursor ? [...old, ...page.items] : page.items));
      setNext(page.nextCursor);
      setError(null);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }
  useEffect(() => {
    setUnseen(0);
    void load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  // live: patch the status and last operation of loaded rows; count clusters this page has not loaded yet
  useEffect(
    () =>
      subscribe('clusters.changes', admin && filters.team ? { team: filters.team } : {}, {
        onData: (change) => {
          setItems((old) => {
            if (!old.some((c) => c.id === change.clusterId)) {
              setUnseen((n) => n + 1);
              return old;
            }
            return old.map((c) => (c.id === change.clusterId ? { ...c, status: change.status, lastOperation: change.lastOperation, updatedAt: new Date().toISOString() } : c));
          });
        },
      }),
    [admin, filters.team],
  );

  function setFilter(name: string, value: string) {
    const q = new URLSearchParams(query);
    if (value) q.set(name, value);
    else q.delete(name);
    navigate(`/clusters${q.size ? `?${q}` : ''}`, { replace: true });
  }

  return (
    <main id="main">
      <PageHeader title="Clusters">
        <Link to="/create" className="button">Create cluster</Link>
      </PageHeader>
      <form className="filters" role="search" aria-label="Filter clusters" onSubmit={(e) => e.preventDefault()}>
        <label>Search names<input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="name starts with…" maxLength={40} /></label>
        <label>Status
          <select value={filters.status} onChange={(e) => setFilter('status', e.target.value)}>
            <option value="">any</option>
            {STATUSES.map((s) => <option key={s}>{s}</option>)}
          </select>
        </label>
        {admin && <label>Team<input value={filters.team} onChange={(e) => setFilter('team', e.target.value.trim())} placeholder="all teams" /></label>}
        <label>Target<input value={filters.target} onChange={(e) => setFilter('target', e.target.value.trim())} placeholder="any" /></label>
        <label>Template<input value={filters.template} onChange={(e) => setFilter('template', e.target.value.trim())} placeholder="name or name@version" /></label>
        <label>Page size
          <select value={limit} onChange={(e) => setFilter('limit', e.target.value === '50' ? '' : e.target.value)}>
            {PAGE_SIZES.map((n) => <option key={n}>{n}</option>)}
          </select>
        </label>
      </form>
      <ErrorBox error={error} />
      {unseen > 0 && (
        <p className="notice" role="status">
          {unseen} change(s) to clusters not in this list. <button type="button" onClick={() => { setUnseen(0); void load(); }}>Reload</button>
        </p>
      )}
      <p className="count" role="status" aria-live="polite">{loading ? 'Loading…' : `${items.length} cluster(s) loaded${next ? ', more available' : ''}`}</p>
      <ClustersTable clusters={items} />
      {next && <button type="button" onClick={() => void load(next)} disabled={loading}>Load {limit} more</button>}
    </main>
  );
}

/**
 * The windowed clusters table (memoized: the page's own re-renders, e.g. "Loading…", skip it).
 * Exported for the bench (bench/web.ts renders it with 2,000 rows).
 */
export const ClustersTable = memo(function ClustersTable({ clusters }: { clusters: ClusterListItem[] }) {
  const scroller = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 600 });
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const measure = () => setView({ top: el.scrollTop, height: el.clientHeight || 600 });
    // rendered inside the scroll event, so the rows scrolled to are on screen in the same frame (no blank gap)
    const update = () => flushSync(measure);
    measure();
    el.addEventListener('scroll', update, { passive: true });
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => {
      el.removeEventListener('scroll', update);
      ro.disconnect();
    };
  }, []);
  const w = rowWindow(clusters.length, ROW_HEIGHT, view.top, view.height);
  const now = useMinute();
  return (
    <div className="table-scroll" ref={scroller} tabIndex={0} role="region" aria-label="Clusters table" data-rows={clusters.length}>
      <table className="clusters">
        <thead>
          <tr>
            <th scope="col">Name</th><th scope="col">Status</th><th scope="col">Team</th><th scope="col">Template</th><th scope="col">Kubernetes</th>
            <th scope="col">Cloud / target</th><th scope="col">Drift</th><th scope="col">Last operation</th><th scope="col">Age</th>
          </tr>
        </thead>
        <tbody>
          {w.padTop > 0 && <tr aria-hidden="true" className="pad" data-pad={w.padTop}><td colSpan={9} height={w.padTop} /></tr>}
          {clusters.slice(w.start, w.end).map((c) => <ClusterRow key={c.id} c={c} now={now} />)}
          {w.padBottom > 0 && <tr aria-hidden="true" className="pad"><td colSpan={9} height={w.padBottom} /></tr>}
        </tbody>
      </table>
      {clusters.length === 0 && <p className="empty">No clusters match. <Link to="/create">Create one</Link>.</p>}
    </div>
  );
});

/** The current time to the minute: ages shown in rows change at most once a minute, so memoized rows stay valid. */
function useMinute(): number {
  const [now, setNow] = useState(() => Math.floor(Date.now() / 60_000) * 60_000);
  useEffect(() => {
    const t = setInterval(() => setNow(Math.floor(Date.now() / 60_000) * 60_000), 15_000);
    return () => clearInterval(t);
  }, []);
  return now;
}

/** "create succeeded 3m ago" for the table; "—" for a cluster without operations. */
export function lastOperationText(op: ClusterListItem['lastOperation'] | undefined, now: number): string {
  return op ? `${op.kind} ${op.status.replace(/_/g, ' ')} ${age(op.at, now)} ago` : '—';
}

/** One row; re-rendered only when its cluster object (or the minute) changes. */
const ClusterRow = memo(function ClusterRow({ c, now }: { c: ClusterListItem; now: number }) {
  return (
    <tr data-cluster={c.name}>
      <td><Link to={clusterPath(c)}>{c.name}</Link> <SimBadge simulated={c.simulated} /></td>
      <td><Status value={c.status} />{c.statusReason && <span className="reason" title={c.statusReason}> ⓘ<span className="visually-hidden">{c.statusReason}</span></span>}</td>
      <td>{c.team}</td>
      <td>{c.template ?? '—'}</td>
      <td>{c.kubernetesVersion}{c.versionWarning && <span className="badge warn" title={c.versionWarning.message}>{c.versionWarning.phase === 'extended' ? 'extended' : 'EOS'}</span>}</td>
      <td>{c.cloud} / {c.target}</td>
      <td>{driftSummary(c.drift)}</td>
      <td data-last-operation={c.lastOperation ? `${c.lastOperation.kind} ${c.lastOperation.status}` : ''}>{lastOperationText(c.lastOperation, now)}</td>
      <td>{age(c.createdAt, now)}</td>
    </tr>
  );
});
