/**
 * One cluster: facts, spec, outputs, drift findings by resource and field, operation history
 * (each operation's events on demand, the running one live) and the actions.
 */
import { useEffect, useState } from 'react';
import { subscribe, trpc } from '../api.ts';
import { OperationLog, operationEnded } from '../components/operation-log.tsx';
import { ErrorBox, Facts, Loading, PageHeader, SimBadge, Status } from '../components/ui.tsx';
import { useLoad } from '../hooks.ts';
import { age, driftFindings, when } from '../lib/format.ts';
import { ClusterActions } from './cluster-actions.tsx';

export function ClusterPage({ team, name }: { team: string; name: string }) {
  const got = useLoad(() => trpc.clusters.get.query({ team, name, includeDeleted: true }), [team, name]);
  const [open, setOpen] = useState<string | null>(null);

  // a change to this cluster (another tab, the CLI, a campaign) reloads it
  const clusterId = got.data?.cluster.id;
  useEffect(() => {
    if (!clusterId) return;
    return subscribe('clusters.changes', { team }, { onData: (c) => c.clusterId === clusterId && got.reload() });
  }, [clusterId, team, got.reload]);

  if (!got.data) return <main id="main">{got.error ? <ErrorBox error={got.error} /> : <Loading what={`cluster ${name}`} />}</main>;
  const { cluster, operations } = got.data;
  const running = operations.find((o) => !operationEnded(o.status));
  const findings = driftFindings(cluster.drift);
  const checkedAt = (cluster.drift as { checkedAt?: string } | null)?.checkedAt;
  return (
    <main id="main">
      <PageHeader title={<>{cluster.name} <Status value={cluster.status} /> <SimBadge simulated={cluster.simulated} /></>} />
      {cluster.statusReason && <p className="notice">{cluster.statusReason}</p>}
      {cluster.versionWarning && <p className="notice warn">{cluster.versionWarning.message}</p>}
      <Facts
        items={[
          ['Team', cluster.team],
          ['Template', cluster.template ?? '—'],
          ['Kubernetes', cluster.kubernetesVersion],
          ['Cloud / target', `${cluster.cloud} / ${cluster.target}${cluster.simulated ? ' (simulated)' : ''}`],
          ['Nodes', String(cluster.nodeCount)],
          ['Created', `${when(cluster.createdAt)} (${age(cluster.createdAt)} ago)`],
          ['Labels', Object.entries(cluster.labels).map(([k, v]) => `${k}=${v}`).join(', ') || '—'],
          ['Overrides', Object.entries(cluster.overrides).map(([k, v]) => `${k}=${v}`).join(', ') || '—'],
        ]}
      />
      {!cluster.deletedAt && <ClusterActions cluster={cluster} running={running} operations={operations} onChange={got.reload} />}
      {running && (
        <section aria-labelledby="running-h">
          <h2 id="running-h">Running operation</h2>
          <OperationLog key={running.id} team={team} cluster={name} operation={running} onEnd={got.reload} />
        </section>
      )}
      <section aria-labelledby="drift-h">
        <h2 id="drift-h">Drift</h2>
        {cluster.drift === null ? <p className="muted">Not checked since the last change. Run a drift check.</p> : findings.length === 0 ? <p>In sync (checked {when(checkedAt)}).</p> : (
          <div className="table-scroll" tabIndex={0} role="region" aria-label="Drift findings">
            <table>
              <caption>Drifted resources (checked {when(checkedAt)})</caption>
              <thead><tr><th scope="col">Resource</th><th scope="col">Type</th><th scope="col">Field</th><th scope="col">Change</th></tr></thead>
              <tbody>{findings.map((f, i) => <tr key={i}><td>{f.resource}</td><td>{f.type}</td><td><code>{f.field}</code></td><td>{f.op}</td></tr>)}</tbody>
            </table>
          </div>
        )}
      </section>
      <section aria-labelledby="ops-h">
        <h2 id="ops-h">Operations</h2>
        <div className="table-scroll" tabIndex={0} role="region" aria-label="Operation history">
          <table>
            <thead><tr><th scope="col">Operation</th><th scope="col">Kind</th><th scope="col">Status</th><th scope="col">Actor</th><th scope="col">Started</th><th scope="col">Finished</th><th scope="col">Events</th></tr></thead>
            <tbody>
              {operations.map((o) => (
                <tr key={o.id} data-operation={o.id}>
                  <td><code>{o.id}</code></td><td>{o.kind}</td><td><Status value={o.status} /></td><td>{o.actor}</td>
                  <td>{when(o.startedAt)}</td><td>{when(o.finishedAt)}</td>
                  <td><button type="button" aria-expanded={open === o.id} onClick={() => setOpen(open === o.id ? null : o.id)}>{open === o.id ? 'Hide' : 'Show'} {o.eventCount} events</button></td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {open && operations.some((o) => o.id === open) && <OperationLog key={`h-${open}`} team={team} cluster={name} operation={operations.find((o) => o.id === open)!} />}
      </section>
      <section aria-labelledby="outputs-h">
        <h2 id="outputs-h">Outputs</h2>
        {Object.keys(cluster.outputs).length === 0 ? <p className="muted">None yet.</p> : (
          <Facts items={Object.entries(cluster.outputs).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])} />
        )}
      </section>
      <section aria-labelledby="spec-h">
        <h2 id="spec-h">Spec</h2>
        <pre className="code" tabIndex={0} aria-label="cluster spec">{JSON.stringify(cluster.spec, null, 2)}</pre>
      </section>
    </main>
  );
}
