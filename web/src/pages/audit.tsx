/** Audit (platform admins): filters (team, actor, action prefix, result, time range), cursor paging, links to clusters and operations. */
import { useState } from 'react';
import { trpc } from '../api.ts';
import { ErrorBox, Loading, PageHeader, Status } from '../components/ui.tsx';
import { useLoad } from '../hooks.ts';
import { when } from '../lib/format.ts';
import { Link, navigate, useLocation } from '../router.tsx';
import { clusterPath } from './clusters.tsx';

const FILTERS = ['team', 'actor', 'action', 'result', 'since', 'until'] as const;

export function AuditPage() {
  const { query } = useLocation();
  const f = Object.fromEntries(FILTERS.map((k) => [k, query.get(k) ?? ''])) as Record<(typeof FILTERS)[number], string>;
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const key = JSON.stringify(f);
  const page = useLoad(
    () =>
      trpc.audit.list.query({
        ...(f.team ? { team: f.team } : {}),
        ...(f.actor ? { actor: f.actor } : {}),
        ...(f.action ? { action: f.action } : {}),
        ...(f.result ? { result: f.result as 'ok' | 'denied' | 'failed' } : {}),
        ...(f.since ? { since: new Date(f.since).toISOString() } : {}),
        ...(f.until ? { until: new Date(f.until).toISOString() } : {}),
        ...(cursor ? { cursor } : {}),
        limit: 50,
      }),
    [key, cursor],
  );
  function set(name: string, value: string) {
    const q = new URLSearchParams(query);
    if (value) q.set(name, value);
    else q.delete(name);
    setCursors([]);
    navigate(`/audit${q.size ? `?${q}` : ''}`, { replace: true });
  }
  return (
    <main id="main">
      <PageHeader title="Audit log" />
      <form className="filters" role="search" aria-label="Filter audit log" onSubmit={(e) => e.preventDefault()}>
        <label>Team<input value={f.team} onChange={(e) => set('team', e.target.value.trim())} /></label>
        <label>Actor<input value={f.actor} onChange={(e) => set('actor', e.target.value.trim())} /></label>
        <label>Action starts with<input value={f.action} onChange={(e) => set('action', e.target.value.trim())} placeholder="clusters." /></label>
        <label>Result
          <select value={f.result} onChange={(e) => set('result', e.target.value)}><option value="">any</option><option>ok</option><option>denied</option><option>failed</option></select>
        </label>
        <label>Since<input type="datetime-local" value={f.since} onChange={(e) => set('since', e.target.value)} /></label>
        <label>Until<input type="datetime-local" value={f.until} onChange={(e) => set('until', e.target.value)} /></label>
      </form>
      <ErrorBox error={page.error} />
      {!page.data ? <Loading what="audit log" /> : (
        <>
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Audit entries">
            <table>
              <thead><tr><th scope="col">When</th><th scope="col">Actor</th><th scope="col">Team</th><th scope="col">Action</th><th scope="col">Target</th><th scope="col">Result</th><th scope="col">Request</th></tr></thead>
              <tbody>
                {page.data.items.map((a) => (
                  <tr key={a.id}>
                    <td>{when(a.at)}</td>
                    <td><button type="button" className="link" onClick={() => set('actor', a.actor)}>{a.actor}</button></td>
                    <td>{a.team ? <button type="button" className="link" onClick={() => set('team', a.team!)}>{a.team}</button> : '—'}</td>
                    <td>{a.action}</td>
                    <td>{a.target && a.team && a.action.startsWith('clusters.') ? <Link to={clusterPath({ team: a.team, name: a.target })}>{a.target}</Link> : a.target && a.action.startsWith('fleet.') && !a.action.includes('Maintenance') ? <Link to={`/fleet/${encodeURIComponent(a.target)}`}>{a.target}</Link> : (a.target ?? '—')}</td>
                    <td><Status value={a.result} /></td>
                    <td><code>{a.requestId}</code></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="button-row">
            <button type="button" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>Newer</button>
            <button type="button" disabled={!page.data.nextCursor} onClick={() => setCursors([...cursors, page.data!.nextCursor!])}>Older</button>
          </div>
        </>
      )}
    </main>
  );
}
